"""How the hub refuses: the HTTP status of each office error, and the body every refusal has."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from counter_app.errors import (
    AlreadyDone,
    DuplicateSubmission,
    Forbidden,
    InvalidTransition,
    KeyReused,
    MachineRefused,
    NotFound,
    OfficeError,
    SignInFailed,
    StorageFull,
    StoreDamaged,
    TooLarge,
)
from counter_app.rules.clock_guard import ClockWrong


class ErrorBody(BaseModel):
    """A refusal: `message_vi` is shown to the clerk as it is; `kind` names the error class."""

    kind: str
    message_vi: str
    message_en: str
    code: str | None = None  # the dossier a duplicate intake form already made
    problems: list[dict[str, str]] | None = None  # a form's problems, each with its field (FormProblems)


STATUS: list[tuple[type[OfficeError], int]] = [
    (NotFound, 404), (Forbidden, 403), (SignInFailed, 401), (MachineRefused, 401),
    (InvalidTransition, 409), (DuplicateSubmission, 409), (AlreadyDone, 409), (KeyReused, 409), (ClockWrong, 503),
    (TooLarge, 413), (StorageFull, 507), (StoreDamaged, 503),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in (
        (400, "the input is refused"), (401, "unknown or revoked machine, or no valid clerk session"),
        (403, "the machine or the clerk's role may not do this"), (404, "no such record"),
        (409, "the record's state does not allow it, or the request was already carried out"),
        (413, "the request is larger than this operation allows"),
        (503, "the hub's clock is wrong, or its store is damaged"),
        (507, "the hub's disk is full: nothing was written"),
    )
}


def error_answer(exc: OfficeError) -> tuple[int, bytes]:
    status = next((code for cls, code in STATUS if isinstance(exc, cls)), 400)
    problems = getattr(exc, "problems", None)
    body = ErrorBody(kind=type(exc).__name__, message_vi=exc.message_vi, message_en=str(exc),
                     code=getattr(exc, "code", None),
                     problems=[{"field": p.field, "message_vi": p.message_vi} for p in problems] if problems else None)
    return status, body.model_dump_json().encode()
