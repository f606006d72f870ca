"""Plain data the queue services return to the screens (through the `Office` interface)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class WaitEstimate(BaseModel):
    """An estimated wait as a range in whole minutes; `None` bounds mean it cannot be told."""

    low_min: int | None = None
    high_min: int | None = None

    @property
    def known(self) -> bool:
        return self.low_min is not None and self.high_min is not None

    @property
    def label_vi(self) -> str:
        if not self.known:
            return "không xác định"
        if self.high_min <= 1:
            return "dưới 1 phút"
        if self.low_min == 0:
            return f"dưới {self.high_min} phút"
        if self.low_min == self.high_min:
            return f"khoảng {self.low_min} phút"
        return f"khoảng {self.low_min}–{self.high_min} phút"


class TicketView(BaseModel):
    id: int
    day: date
    label: str
    lane_prefix: str
    lane_name: str
    priority: str = ""
    priority_label: str = ""
    procedure_key: str = ""
    state: str
    state_label: str
    counter_no: int | None = None
    target_counter: int | None = None
    recalls: int = 0
    transfers: int = 0
    issued_at: datetime
    arrival_at: datetime
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    serving_at: datetime | None = None
    done_at: datetime | None = None
    dossier_codes: list[str] = []
    people_ahead: int | None = None  # filled for waiting tickets
    estimate: WaitEstimate | None = None

    @property
    def wait_s(self) -> float | None:
        """First call minus issue."""
        return _seconds(self.issued_at, self.first_called_at)

    @property
    def walk_s(self) -> float | None:
        """Serving start minus the (last) call."""
        return _seconds(self.called_at, self.serving_at)

    @property
    def service_s(self) -> float | None:
        return _seconds(self.serving_at, self.done_at)


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


class CallView(BaseModel):
    """One announcement: ticket `label` to counter `counter_no`."""

    id: int
    label: str
    counter_no: int
    at: datetime
    recall: bool = False
    priority: bool = False

    @property
    def announcement_vi(self) -> str:
        return f"Mời công dân có số {self.label} đến quầy số {self.counter_no}"


class LaneStatus(BaseModel):
    prefix: str
    name: str
    waiting: int
    priority_waiting: int
    open_counters: int
    estimate_last: WaitEstimate  # for a ticket taken now


class CounterNow(BaseModel):
    """An open counter as the hall's board shows it: the ticket it has called or serves ("" when free)."""

    counter_no: int
    name: str
    label: str = ""
    state: str = ""  # "called", "serving" or ""


class QueueStatus(BaseModel):
    day: date
    lanes: list[LaneStatus]
    calls: list[CallView]  # newest first
    serving: list[CounterNow] = []  # every open counter, in number order
    served_today: int
    no_show_today: int


class CounterQueue(BaseModel):
    """What the counter's panel shows."""

    counter_no: int
    counter_name: str
    lanes: list[str]
    is_open: bool
    current: TicketView | None = None
    waiting: list[TicketView]  # in the order "next" would take them
    waiting_total: int
    held: list[TicketView]
    served_today: int
    no_show_today: int
    recalls_before_no_show: int
