"""The rating part of `LocalOffice`: the question a counter's citizen screen shows, and the answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from counter_app.errors import OfficeError
from counter_app.ratings import service as ratings
from counter_app.rules.rating import ASK_SECONDS, CHOICES, REASONS
from counter_app.store import Store
from counter_app.views.ratings import RatingQuestion

log = logging.getLogger(__name__)


class LocalRatings:
    """Mixed into `LocalOffice`, which provides `store` and `_now`."""

    store: Store
    _now: Callable[[], datetime]

    def rating_question(self, counter_no: int) -> RatingQuestion | None:
        with self.store.read() as s:
            found = ratings.open_question(s, counter_no, self._now())
        if found is None:
            return None
        rating, clerk_name, counter_name = found
        assert rating.id is not None
        return RatingQuestion(id=rating.id, counter_no=counter_no, counter_name=counter_name, clerk_name=clerk_name,
                              asked_at=rating.asked_at, closes_at=rating.asked_at + timedelta(seconds=ASK_SECONDS),
                              choices=CHOICES, reasons=REASONS)

    def rate(self, counter_no: int, question_id: int, choice: str, reasons: list[str] | None = None) -> None:
        try:
            with self.store.write() as s:
                ratings.answer(s, question_id, counter_no=counter_no, choice=choice, reasons=list(reasons or []),
                               at=self._now())
        except OfficeError as exc:
            log.warning("rating %s at counter %s refused: %s", question_id, counter_no, exc)
            raise
        log.info("rating %s given at counter %s", question_id, counter_no)
