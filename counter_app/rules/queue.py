"""The queue ticket state machine, priority groups and the office's queue settings.

This is the only place that decides whether a ticket step is allowed from a state.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from counter_app.errors import InvalidTransition


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    DONE = "done"
    NO_SHOW = "no_show"
    NOT_SERVED = "not_served"  # still open when the day closed

    @property
    def label_vi(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    TicketState.WAITING: "Đang chờ",
    TicketState.CALLED: "Đã gọi",
    TicketState.SERVING: "Đang phục vụ",
    TicketState.HELD: "Tạm giữ",
    TicketState.DONE: "Đã phục vụ xong",
    TicketState.NO_SHOW: "Vắng mặt",
    TicketState.NOT_SERVED: "Không được phục vụ (hết ngày)",
}

OPEN_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.HELD})
AT_COUNTER = frozenset({TicketState.CALLED, TicketState.SERVING})


class TicketStep(StrEnum):
    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    HOLD = "hold"
    RESUME = "resume"
    CLOSE = "close"


STEP_LABELS = {
    TicketStep.CALL: "gọi số",
    TicketStep.RECALL: "gọi lại",
    TicketStep.SERVE: "bắt đầu phục vụ",
    TicketStep.FINISH: "hoàn thành",
    TicketStep.NO_SHOW: "đánh dấu vắng mặt",
    TicketStep.TRANSFER: "chuyển",
    TicketStep.HOLD: "tạm giữ",
    TicketStep.RESUME: "gọi lại vé tạm giữ",
    TicketStep.CLOSE: "đóng cuối ngày",
}

TRANSITIONS: dict[tuple[TicketState, TicketStep], TicketState] = {
    (TicketState.WAITING, TicketStep.CALL): TicketState.CALLED,
    (TicketState.CALLED, TicketStep.RECALL): TicketState.CALLED,
    (TicketState.CALLED, TicketStep.SERVE): TicketState.SERVING,
    (TicketState.CALLED, TicketStep.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.CALLED, TicketStep.TRANSFER): TicketState.WAITING,
    (TicketState.CALLED, TicketStep.HOLD): TicketState.HELD,
    (TicketState.SERVING, TicketStep.FINISH): TicketState.DONE,
    (TicketState.SERVING, TicketStep.TRANSFER): TicketState.WAITING,
    (TicketState.SERVING, TicketStep.HOLD): TicketState.HELD,
    (TicketState.HELD, TicketStep.RESUME): TicketState.CALLED,
    (TicketState.WAITING, TicketStep.CLOSE): TicketState.NOT_SERVED,
    (TicketState.CALLED, TicketStep.CLOSE): TicketState.NOT_SERVED,
    (TicketState.SERVING, TicketStep.CLOSE): TicketState.NOT_SERVED,
    (TicketState.HELD, TicketStep.CLOSE): TicketState.NOT_SERVED,
}


def next_state(label: str, state: str, step: TicketStep) -> TicketState:
    """The state after `step`, or a refusal naming the ticket, the step and its state."""
    current = TicketState(state)
    after = TRANSITIONS.get((current, step))
    if after is None:
        raise InvalidTransition(
            f"ticket {label}: {step.value} is not allowed from {current.value}",
            f"Không thể {STEP_LABELS[step]} vé {label}: vé đang ở trạng thái “{current.label_vi}”.",
        )
    return after


# Who may take a priority ticket (DOMAIN.md, Queue; Law on the Elderly, on Persons with Disabilities).
PRIORITY_LABELS = {
    "elderly": "Người cao tuổi",
    "disability": "Người khuyết tật",
    "pregnancy": "Phụ nữ mang thai",
    "merit": "Người có công với cách mạng",
    "child": "Người đi cùng trẻ nhỏ dưới 36 tháng",
}


class QueueSettings(BaseModel):
    """Per-office queue settings, stored as JSON on the office row."""

    priority_streak_max: int = Field(3, ge=1, description="priority calls in a row before an overdue ordinary one")
    ordinary_wait_max_min: int = Field(20, ge=0, description="an ordinary ticket waiting longer is overdue")
    recalls_before_no_show: int = Field(2, ge=0, description="recalls needed before a no-show")
    default_service_min: float = Field(6.0, gt=0, description="service time assumed before any is measured")
    recent_services: int = Field(10, ge=1, description="how many recent services the estimate averages")

    @classmethod
    def from_row(cls, data: dict[str, Any] | None) -> QueueSettings:
        return cls.model_validate(data or {})
