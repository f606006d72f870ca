"""A period's figures for the supervisor: dossiers in the shape of the periodic report, and the queue."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class DossierFigures(BaseModel):
    """One row of the periodic report on handling procedures (per field, procedure or clerk, or the total).

    Received: in the period, by channel, and carried over (received before, still in progress at its
    start). Settled: a result was ready in the period, early (a day or more before the due day), on
    time, or late (after the legal due time; an apology's new date does not make a late one on time).
    In progress at the period's end: on time, or past its legal due time. Refused, withdrawn, stopped
    and supplement requests in the period."""

    key: str
    label: str
    received_counter: int = 0
    received_online: int = 0
    received_post: int = 0
    carried_over: int = 0
    settled_early: int = 0
    settled_on_time: int = 0
    settled_late: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    refused: int = 0
    withdrawn: int = 0
    stopped: int = 0
    supplement: int = 0

    @property
    def received(self) -> int:
        return self.received_counter + self.received_online + self.received_post

    @property
    def to_handle(self) -> int:
        return self.received + self.carried_over

    @property
    def settled(self) -> int:
        return self.settled_early + self.settled_on_time + self.settled_late

    @property
    def on_time_rate(self) -> float | None:
        """Early and on time over everything settled; None when nothing was."""
        return (self.settled_early + self.settled_on_time) / self.settled if self.settled else None


class QueueFigures(BaseModel):
    """Tickets of a lane or an hour of the day. Times in minutes; None where no ticket had that step."""

    key: str
    label: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    wait_median: float | None = None  # arrival to first call
    wait_p90: float | None = None
    walk_median: float | None = None  # call to the start of service
    service_median: float | None = None  # start of service to done
    called_within_15: float | None = None  # share of called tickets first called within 15 minutes


class RatingFigures(BaseModel):
    """Services of a clerk or a lane the citizen was asked to rate, and the answers (none: not answered)."""

    key: str
    label: str
    services: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    reasons: dict[str, int] = {}  # the reason's words -> how often, for "not satisfied"

    @property
    def answered(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def satisfied_rate(self) -> float | None:
        """Very satisfied and satisfied over the answers; None without any."""
        return (self.very_satisfied + self.satisfied) / self.answered if self.answered else None


class PeriodReport(BaseModel):
    date_from: date
    date_to: date  # inclusive
    at: datetime  # when it was made; a period not yet over is counted up to here
    total: DossierFigures
    per_field: list[DossierFigures]
    per_procedure: list[DossierFigures]
    per_clerk: list[DossierFigures]
    received_per_day: list[tuple[date, int]]
    queue_total: QueueFigures
    queue_per_lane: list[QueueFigures]
    queue_per_hour: list[QueueFigures]
    ratings_total: RatingFigures
    ratings_per_clerk: list[RatingFigures]
    ratings_per_lane: list[RatingFigures]
