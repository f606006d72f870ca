"""The access table (operation × machine kind × clerk role), checked against the interface and walked over HTTP."""

from __future__ import annotations

import httpx
import pytest

from counter_app.hub.access import ACCESS, MACHINE, PERSONAL, need
from counter_app.remote_ops import CITIZEN_OPS, operations
from counter_app.views.accounts import Role
from counter_app.views.machines import MachineKind
from tests.conftest import STAFF_PASSWORD
from tests.hub.conftest import Hub

MACHINES = {"quay-1": MachineKind.COUNTER, "kiosk": MachineKind.KIOSK, "bang-1": MachineKind.BOARD,
            "danhgia-1": MachineKind.RATING}
CLERKS = {"canbo1": Role.CLERK, "truongbp": Role.SUPERVISOR, "admin": Role.ADMINISTRATOR}
# Writes that change the office for real with the defaults of an empty body; walked last, once.
SIDE_EFFECTS = {"close_queue_day", "request_sync", "issue_ticket"}


def test_every_operation_of_the_interface_has_a_row_and_no_row_names_another():
    assert set(ACCESS) == set(operations())


def test_personal_data_is_read_only_by_a_signed_in_clerk_at_a_counter():
    for operation in PERSONAL:
        assert set(ACCESS[operation]) == {MachineKind.COUNTER}, operation
        assert isinstance(ACCESS[operation][MachineKind.COUNTER], Role), operation
    assert ACCESS["daily_report"] == {MachineKind.COUNTER: Role.SUPERVISOR}
    assert ACCESS["period_report"] == {MachineKind.COUNTER: Role.SUPERVISOR}


def test_the_hall_gets_only_what_it_shows():
    board = {op for op, row in ACCESS.items() if MachineKind.BOARD in row}
    kiosk = {op for op, row in ACCESS.items() if MachineKind.KIOSK in row}
    assert board == {"info", "procedures", "procedure", "queue_status", "counter_queue", "calls_since",
                     "tickets_of_day", "ticket"}
    assert kiosk - board == {"issue_ticket", "preview_due", "submit_print", "claim_print_job", "print_job_done",
                             "print_job_failed", "printers", "printer", "print_settings", "print_job",
                             "public_status"}  # a receipt's public facts: no ID, address or phone, a masked name
    assert all(ACCESS[op][kind] is MACHINE for op in kiosk | board for kind in ACCESS[op]
               if kind is not MachineKind.COUNTER)


def _expected(operation: str, kind: MachineKind, role: Role | None) -> int | None:
    """The refusal the table calls for (401 no clerk, 403 not allowed), or None when it lets the call in."""
    allowed, needed = need(operation, kind)
    if not allowed:
        return 403
    if operation in CITIZEN_OPS and role is not None:
        return 403  # the citizen's answer never comes with a clerk's session
    if needed is MACHINE:
        return None
    if role is None:
        return 401
    return None if role.covers(needed) else 403


@pytest.mark.slow
def test_walk_the_whole_table_over_http(hub: Hub):
    """Each operation from each kind of machine, with no clerk and with each role signed in at that machine."""
    counter = hub.client("quay-1")
    sessions = {role: counter.sign_in(name, STAFF_PASSWORD, counter_no=1).token for name, role in CLERKS.items()}
    callers = [("quay-1", None), *(("quay-1", role) for role in CLERKS.values()), ("kiosk", None),
               ("bang-1", None), ("danhgia-1", None)]
    # A clerk's session shown by the kiosk or the board is worth nothing there: it belongs to quay-1.
    callers += [("kiosk", Role.ADMINISTRATOR), ("bang-1", Role.ADMINISTRATOR)]
    wrong: list[str] = []
    order = sorted(ACCESS, key=lambda op: (op in SIDE_EFFECTS, op))
    with httpx.Client(base_url=hub.url, timeout=10) as http:
        for operation in order:
            for machine, role in callers:
                headers = {"Authorization": f"Bearer {hub.tokens[machine]}"}
                if role is not None:
                    headers["X-Clerk-Session"] = sessions[role]
                if operation in {"sign_out"}:
                    continue  # walked below, so the sessions above stay open
                answer = http.post(f"/api/ops/{operation}", json={}, headers=headers)
                kind = MACHINES[machine]
                expected = _expected(operation, kind, role if kind is MachineKind.COUNTER else None)
                got = answer.status_code if answer.status_code in (401, 403) else None
                if got != expected:
                    wrong.append(f"{operation} from {machine} as {role}: {answer.status_code} "
                                 f"{answer.text[:120]}, the table says {expected or 'allowed'}")
                elif expected is not None:
                    assert answer.json()["kind"] in {"Forbidden", "SignInFailed"}
                    assert answer.json()["message_vi"]
        for machine, expected in (("kiosk", 403), ("bang-1", 403), ("quay-1", None)):
            answer = http.post("/api/ops/sign_out", json={"token": "x" * 43},
                               headers={"Authorization": f"Bearer {hub.tokens[machine]}"})
            got = answer.status_code if answer.status_code in (401, 403) else None
            if got != expected:
                wrong.append(f"sign_out from {machine}: {answer.status_code}")
    assert wrong == []


def test_the_steps_the_screens_keep_for_supervisors_are_the_ones_the_hub_does():
    from counter_app.rules.lifecycle import SUPERVISOR_ACTIONS, Action

    for action in Action:
        if action.value in ACCESS:
            supervisor_only = ACCESS[action.value] == {MachineKind.COUNTER: Role.SUPERVISOR}
            assert supervisor_only == (action in SUPERVISOR_ACTIONS), action
