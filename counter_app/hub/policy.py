"""Who may call what at the hub: the machine's kind, and for a person's actions the clerk's session.

The actor of an action is always the signed-in clerk of the request's session, never a name the
client sends; a kiosk's own print jobs carry the kiosk's machine name. Roles are then checked by the
services as in the embedded hub.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from counter_app.errors import Forbidden, SignInFailed
from counter_app.hub.machines import MachineKind, MachineView
from counter_app.remote_ops import RemoteOp
from counter_app.views.accounts import Role, SessionView

log = logging.getLogger(__name__)

BOARD_OPS = {"info", "procedures", "procedure", "queue_status", "counter_queue", "calls_since", "tickets_of_day",
             "ticket"}
KIOSK_OPS = BOARD_OPS | {"issue_ticket", "preview_due", "submit_print", "claim_print_job", "print_job_done",
                         "print_job_failed", "printers", "printer", "print_settings", "print_job"}
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


def actor_for(op: RemoteOp, caller: Caller, args: dict[str, Any]) -> str | None:
    """Check the machine and session may run `op` with `args`; the actor to run it as (None: takes none)."""
    machine = caller.machine
    allowed = {MachineKind.BOARD: BOARD_OPS, MachineKind.KIOSK: KIOSK_OPS}.get(machine.kind)
    if allowed is not None and op.name not in allowed:
        raise _refuse(f"{machine.kind.value} {machine.name} may not call {op.name}",
                      f"{machine.kind.label_vi} “{machine.name}” không được phép thực hiện thao tác này.")
    if op.name == "sign_in" and machine.counter_no is not None and args.get("counter_no") not in (
            None, machine.counter_no):
        raise _refuse(f"{machine.name} signs in at counter {args.get('counter_no')}",
                      f"Máy này là máy của quầy {machine.counter_no}; không đăng nhập vào quầy khác được.")
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
