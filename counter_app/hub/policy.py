"""Who may call what at the hub: the access table for the machine and the clerk, then what the arguments say.

`admit` runs before the request's body is read: the machine's token, then the operation's row of
`counter_app.hub.access` (the machine's kind; the role of a clerk signed in at that very machine).
`actor_for` runs once the arguments are known: the actor of an action is always the signed-in clerk of
the request's session, never a name the client sends; a kiosk's own print jobs carry the kiosk's
machine name; a counter PC acts for its own counter. Roles are checked again by the services, as in
the embedded hub.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app import accounts, machines
from counter_app.errors import Forbidden, SignInFailed
from counter_app.hub import access
from counter_app.remote_ops import CITIZEN_OPS, RemoteOp
from counter_app.store.peek import Peek
from counter_app.views.accounts import Role, SessionView
from counter_app.views.machines import MachineKind, MachineView

log = logging.getLogger(__name__)

SCREEN_OF_A_COUNTER = {"rating_question", "rate"}  # a screen asks and answers for the counter it faces
MACHINE_ACTS = {"submit_print"}  # a kiosk prints its tickets as itself
# Queue steps of one counter: a counter PC acts for its own counter (a supervisor for any).
COUNTER_STEPS = {"call_next", "call_ticket", "recall", "start_serving", "finish_ticket", "no_show",
                 "transfer_ticket", "hold_ticket", "set_counter_open"}


@dataclass(frozen=True)
class Caller:
    machine: MachineView
    session: SessionView | None

    @property
    def name(self) -> str:
        return self.session.username if self.session else self.machine.name


def _refuse(what: str, message_vi: str) -> Forbidden:
    log.warning("refused: %s", what)
    return Forbidden(what, message_vi)


def admit(peek: Peek, operation: str | None, machine_token: str, session_token: str, at: datetime) -> Caller:
    """Who is asking, if they may ask for `operation` at all (None: only follow the event stream)."""
    machine = machines.authenticate(peek, machine_token)
    if operation is None:
        return Caller(machine, None)
    allowed, needed = access.need(operation, machine.kind)
    if not allowed:
        raise _refuse(f"{machine.kind.value} {machine.name} may not call {operation}",
                      f"{machine.kind.label_vi} “{machine.name}” không được phép thực hiện thao tác này.")
    if operation in CITIZEN_OPS and session_token:
        raise _refuse(f"{operation} from {machine.name} with a clerk's session",
                      "Đánh giá là của người dân: không gửi được từ phiên đăng nhập của cán bộ.")
    if needed is access.MACHINE:
        return Caller(machine, None)
    if not session_token:
        raise SignInFailed(f"{operation} from {machine.name} without a clerk session",
                           "Cần đăng nhập cán bộ trước khi thực hiện thao tác này.")
    clerk = accounts.session_of(peek, session_token, at=at)
    if clerk.machine != machine.name:
        log.warning("%s: a session opened at %s presented by %s", operation, clerk.machine or "the hub", machine.name)
        raise SignInFailed(f"session of {clerk.machine or 'the hub'} presented by {machine.name}",
                           "Phiên đăng nhập này không thuộc máy đang dùng; xin đăng nhập lại.")
    if not clerk.role.covers(needed):
        raise _refuse(f"{clerk.username} ({clerk.role.value}) may not call {operation}, which needs {needed.value}",
                      f"Tài khoản của bạn không có quyền thực hiện thao tác này (cần quyền {needed.label_vi}).")
    return Caller(machine, clerk)


def actor_for(op: RemoteOp, caller: Caller, args: dict[str, Any]) -> str | None:
    """Check what the arguments ask of a caller `admit` let in; the actor to run `op` as (None: takes none)."""
    machine = caller.machine
    if op.name == "sign_in" and machine.counter_no is not None and args.get("counter_no") not in (
            None, machine.counter_no):
        raise _refuse(f"{machine.name} signs in at counter {args.get('counter_no')}",
                      f"Máy này là máy của quầy {machine.counter_no}; không đăng nhập vào quầy khác được.")
    if op.name in SCREEN_OF_A_COUNTER and args.get("counter_no") != machine.counter_no:
        raise _refuse(f"{machine.name} asks about counter {args.get('counter_no')}",
                      f"Màn hình này thuộc quầy {machine.counter_no}; không đánh giá được quầy khác.")
    if not op.takes_actor:
        return None
    if machine.kind is MachineKind.KIOSK and op.name in MACHINE_ACTS:
        request = args.get("request")
        if getattr(request, "kind", "ticket") != "ticket":
            raise _refuse(f"kiosk {machine.name} prints {request.kind}", "Máy lấy số chỉ in được phiếu số thứ tự.")
        return machine.name
    if caller.session is None:
        raise SignInFailed(f"{op.name} from {machine.name} without a clerk session",
                           "Cần đăng nhập cán bộ trước khi thực hiện thao tác này.")
    counter = args.get("counter_no")
    if (op.name in COUNTER_STEPS and machine.counter_no is not None and counter != machine.counter_no
            and not caller.session.role.covers(Role.SUPERVISOR)):
        raise _refuse(f"{caller.session.username} at {machine.name} acts for counter {counter}",
                      f"Máy của quầy {machine.counter_no} không thao tác được hàng chờ của quầy {counter}.")
    return caller.session.username
