"""What the citizen's rating screen shows: the question after a service, and what may be answered."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RatingQuestion(BaseModel):
    id: int
    counter_no: int
    counter_name: str
    clerk_name: str  # the clerk's full name, as the citizen sees them
    asked_at: datetime
    closes_at: datetime  # when the screen stops asking
    choices: dict[str, str]  # key -> Vietnamese label, in the order shown
    reasons: dict[str, str]  # for "not_satisfied"
