"""The dossier state machine: national status codes 1–10 and the actions between them.

This is the only place that decides whether an action is allowed from a status.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from counter_app.errors import InvalidTransition


class Status(IntEnum):
    REGISTERED_ONLINE = 1
    RECEIVED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FEES_DUE = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10

    @property
    def label_vi(self) -> str:
        return STATUS_LABELS[self]

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


STATUS_LABELS = {
    Status.REGISTERED_ONLINE: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.FEES_DUE: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESULT_READY: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

TERMINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
OPEN = frozenset(Status) - TERMINAL - {Status.REGISTERED_ONLINE}


class Action(StrEnum):
    RECEIVE = "receive"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    START_PROCESSING = "start_processing"
    HAND_OVER = "hand_over"
    REQUEST_FEES = "request_fees"
    FEES_PAID = "fees_paid"
    RESULT_READY = "result_ready"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"
    RESCHEDULE = "reschedule"

    @property
    def label_vi(self) -> str:
        return ACTION_LABELS[self]


# Steps only a supervisor (tổ trưởng) may take; every other step is a clerk's. The hub's access table
# holds the same (tests/hub/test_access_table.py checks they agree).
SUPERVISOR_ACTIONS = frozenset({Action.STOP})

ACTION_LABELS = {
    Action.RECEIVE: "tiếp nhận hồ sơ",
    Action.REFUSE: "từ chối tiếp nhận",
    Action.REQUEST_SUPPLEMENT: "yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "nhận hồ sơ bổ sung",
    Action.START_PROCESSING: "chuyển xử lý",
    Action.HAND_OVER: "chuyển cơ quan khác",
    Action.REQUEST_FEES: "yêu cầu thực hiện nghĩa vụ tài chính",
    Action.FEES_PAID: "xác nhận đã nộp nghĩa vụ tài chính",
    Action.RESULT_READY: "báo có kết quả",
    Action.RETURN_RESULT: "trả kết quả",
    Action.WITHDRAW: "rút hồ sơ",
    Action.STOP: "dừng xử lý",
    Action.RESCHEDULE: "hẹn lại ngày trả (xin lỗi)",
}

NEW = None  # "from" of an intake: the dossier does not exist yet
_IN_HAND = {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.FEES_DUE}

# action -> (statuses it may start from, status it leads to; None = stays where it is / decided by the data)
TRANSITIONS: dict[Action, tuple[frozenset[Status | None], Status | None]] = {
    Action.RECEIVE: (frozenset({NEW, Status.REGISTERED_ONLINE}), Status.RECEIVED),
    Action.REFUSE: (frozenset({NEW, Status.REGISTERED_ONLINE, Status.SUPPLEMENT_REQUESTED}), Status.REFUSED),
    Action.REQUEST_SUPPLEMENT: (
        frozenset({NEW, Status.REGISTERED_ONLINE, Status.RECEIVED, Status.PROCESSING}),
        Status.SUPPLEMENT_REQUESTED,
    ),
    Action.RECEIVE_SUPPLEMENT: (frozenset({Status.SUPPLEMENT_REQUESTED}), None),
    Action.START_PROCESSING: (frozenset({Status.RECEIVED}), Status.PROCESSING),
    Action.HAND_OVER: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.PROCESSING),
    Action.REQUEST_FEES: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.FEES_DUE),
    Action.FEES_PAID: (frozenset({Status.FEES_DUE}), Status.PROCESSING),
    Action.RESULT_READY: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.RESULT_READY),
    Action.RETURN_RESULT: (frozenset({Status.RESULT_READY}), Status.RETURNED),
    Action.WITHDRAW: (frozenset(_IN_HAND), Status.WITHDRAWN),
    Action.STOP: (frozenset(_IN_HAND), Status.STOPPED),
    Action.RESCHEDULE: (frozenset({Status.RECEIVED, Status.PROCESSING, Status.FEES_DUE}), None),
}


def _label(status: Status | None) -> str:
    return "Chưa có hồ sơ" if status is None else status.label_vi


def allowed(action: Action, current: Status | None) -> bool:
    return current in TRANSITIONS[action][0]


def allowed_actions(current: Status | None) -> list[Action]:
    """What the clerk may do next; the screens show only these."""
    return [a for a in Action if allowed(a, current)]


def target(action: Action, current: Status | None, *, supplement_from: Status | None = None) -> Status:
    """The status `action` leads to from `current`, or `InvalidTransition` naming both states."""
    sources, to = TRANSITIONS[action]
    if current not in sources:
        wanted = to or current
        raise InvalidTransition(
            f"{action.value} not allowed from status {current and int(current)} ({_label(current)})",
            f"Không thể {action.label_vi} khi hồ sơ đang ở trạng thái “{_label(current)}”"
            f" (không được chuyển sang “{_label(wanted)}”).",
        )
    if action is Action.RECEIVE_SUPPLEMENT:
        return supplement_from if supplement_from in (Status.RECEIVED, Status.PROCESSING) else Status.RECEIVED
    if to is None:
        assert current is not None
        return current
    return to
