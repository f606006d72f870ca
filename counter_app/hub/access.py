"""Who may call what at the hub: every operation of the `Office` interface × machine kind × clerk role.

A row maps each machine kind that may call the operation to what it needs there: `MACHINE` (the
registered machine alone, no clerk) or the least role of a clerk signed in *at that machine*. A kind
missing from a row may not call it at all. Reads that answer with citizens' personal data (`PERSONAL`)
always need a signed-in clerk. The hub PC's own command line works in-process as `system` and is not
in this table: whoever holds the hub PC holds the store file.

Checked before the request's body is read (`counter_app.hub.gate`); what depends on the arguments (a
counter PC acts for its own counter, a kiosk prints only tickets) is in `counter_app.hub.policy`.
"""

from __future__ import annotations

from typing import Final

from counter_app.views.accounts import Role
from counter_app.views.machines import MachineKind

MACHINE: Final = None  # the registered machine alone may call it; no clerk needed
Need = Role | None

COUNTER, KIOSK, BOARD, RATING = MachineKind.COUNTER, MachineKind.KIOSK, MachineKind.BOARD, MachineKind.RATING
CLERK, SUPERVISOR, ADMINISTRATOR = Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR

_ALL_MACHINES = {COUNTER: MACHINE, KIOSK: MACHINE, BOARD: MACHINE}  # what the hall shows anyway
_COUNTER_AND_KIOSK = {COUNTER: MACHINE, KIOSK: MACHINE}


def _counter(role: Role) -> dict[MachineKind, Need]:
    return {COUNTER: role}


ACCESS: Final[dict[str, dict[MachineKind, Need]]] = {
    # the office, its catalog and due dates: public facts
    "info": _ALL_MACHINES,
    "procedures": _ALL_MACHINES,
    "procedure": _ALL_MACHINES,
    "frequent_procedures": _counter(CLERK),  # counts per procedure only, no person
    # a receipt's public facts (masked name, no ID, address or phone): the kiosk's lookup, and the counters
    "public_status": _COUNTER_AND_KIOSK,
    "preview_due": _COUNTER_AND_KIOSK,
    "import_catalog": _counter(ADMINISTRATOR),
    "import_catalog_text": _counter(ADMINISTRATOR),
    "catalog_overview": _counter(CLERK),
    # dossiers: a clerk's work; stopping one is a supervisor's
    "receive": _counter(CLERK),
    "request_supplement": _counter(CLERK),
    "receive_supplement": _counter(CLERK),
    "refuse": _counter(CLERK),
    "start_processing": _counter(CLERK),
    "hand_over": _counter(CLERK),
    "request_fees": _counter(CLERK),
    "fees_paid": _counter(CLERK),
    "collect_fees": _counter(CLERK),
    "result_ready": _counter(CLERK),
    "return_result": _counter(CLERK),
    "withdraw": _counter(CLERK),
    "stop": _counter(SUPERVISOR),
    "reschedule": _counter(CLERK),
    "dossier": _counter(CLERK),
    "search": _counter(CLERK),
    "recent": _counter(CLERK),
    "dossier_page": _counter(CLERK),
    "dossier_count": _counter(CLERK),  # a count by ID number would tell whether someone has a dossier
    "daily_report": _counter(SUPERVISOR),  # figures by clerk
    "period_report": _counter(SUPERVISOR),  # figures by clerk, for any period
    # the office's counters and days: the administrator's screens (the days off are no secret)
    "save_counter": _counter(ADMINISTRATOR),
    "calendar_days": _counter(CLERK),
    "queue_settings": _counter(CLERK),
    "set_calendar_day": _counter(ADMINISTRATOR),
    "save_queue_settings": _counter(ADMINISTRATOR),
    # the office's LAN PCs: a new one's token travels once, to the administrator, over TLS
    "machines": _counter(ADMINISTRATOR),
    "register_machine": _counter(ADMINISTRATOR),
    "revoke_machine": _counter(ADMINISTRATOR),
    # the citizen's rating: the screen facing a counter (its tablet, or the counter PC's second screen), for
    # that counter only, and never with a clerk's session (`policy`)
    "rating_question": {COUNTER: MACHINE, RATING: MACHINE},
    "rate": {COUNTER: MACHINE, RATING: MACHINE},
    "known_applicant": _counter(CLERK),
    "register_entries": _counter(CLERK),
    # sync with the city
    "sync_status": _counter(CLERK),
    "store_health": _counter(CLERK),
    "request_sync": _counter(CLERK),
    "resend_op": _counter(SUPERVISOR),
    # sign-in: a counter PC before any clerk; the session's own token is the key to it
    "sign_in": {COUNTER: MACHINE},
    "session": {COUNTER: MACHINE},
    "sign_out": {COUNTER: MACHINE},
    "accounts": _counter(CLERK),  # staff names and roles, for the names on slips
    "save_account": _counter(ADMINISTRATOR),
    # the queue: the kiosk issues tickets; clerks call them at their counter; board and kiosk show it
    "issue_ticket": {COUNTER: CLERK, KIOSK: MACHINE},
    "call_next": _counter(CLERK),
    "call_ticket": _counter(CLERK),
    "recall": _counter(CLERK),
    "start_serving": _counter(CLERK),
    "finish_ticket": _counter(CLERK),
    "no_show": _counter(CLERK),
    "transfer_ticket": _counter(CLERK),
    "hold_ticket": _counter(CLERK),
    "set_counter_open": _counter(CLERK),
    "close_queue_day": _counter(SUPERVISOR),
    "ticket": _ALL_MACHINES,
    "queue_status": _ALL_MACHINES,
    "counter_queue": _ALL_MACHINES,
    "calls_since": _ALL_MACHINES,
    "tickets_of_day": _ALL_MACHINES,
    # printing: a PC's print spool works with no clerk signed in; the dossier it prints is read as a clerk
    "print_settings": _COUNTER_AND_KIOSK,
    "save_print_settings": _counter(ADMINISTRATOR),
    "printers": _COUNTER_AND_KIOSK,
    "printer": _COUNTER_AND_KIOSK,
    "save_printer": _counter(ADMINISTRATOR),
    "remove_printer": _counter(ADMINISTRATOR),
    "submit_print": {COUNTER: CLERK, KIOSK: MACHINE},  # the kiosk prints its tickets as itself
    "print_jobs": _counter(CLERK),
    "print_job": _COUNTER_AND_KIOSK,
    "claim_print_job": _COUNTER_AND_KIOSK,
    "print_job_done": _COUNTER_AND_KIOSK,
    "print_job_failed": _COUNTER_AND_KIOSK,
    "cancel_print_job": _counter(CLERK),
    "redirect_print_job": _counter(CLERK),
    "reprint": _counter(CLERK),
    "verify_log": _counter(SUPERVISOR),
}

# Operations whose answer holds citizens' personal data (ID numbers, names, birth dates, addresses, phones).
PERSONAL: Final = frozenset({"receive", "request_supplement", "receive_supplement", "refuse", "start_processing",
                             "hand_over", "request_fees", "fees_paid", "result_ready", "return_result", "withdraw",
                             "stop", "reschedule", "dossier", "search", "recent", "dossier_page",
                             "known_applicant", "register_entries"})


def need(operation: str, kind: MachineKind) -> tuple[bool, Need]:
    """Whether machines of `kind` may call `operation` at all, and what they need to (a role, or MACHINE)."""
    row = ACCESS.get(operation, {})
    return kind in row, row.get(kind)
