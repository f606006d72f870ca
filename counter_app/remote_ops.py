"""The operations of the `Office` interface as they cross the LAN, derived from the protocol itself.

Each operation becomes `POST /api/ops/<name>` with a JSON body of its arguments (an `actor` never
travels: the hub takes it from the clerk's session) and a JSON answer of its return type. The hub
builds its routes from this table and the LAN client its methods, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model

from counter_app.office import Office

LOCAL_ONLY = {"subscribe"}  # events travel on their own stream (`GET /api/events`)
# The citizen's own answers on the screen facing a counter: never sent with a clerk's session (the hub refuses it).
CITIZEN_OPS = {"rate"}

# Operations that change nothing: no idempotency key, any number of retries.
READS = {
    "info", "procedures", "procedure", "frequent_procedures", "public_status", "preview_due", "dossier", "search",
    "recent", "dossier_page", "dossier_count", "daily_report", "period_report", "rating_question", "known_applicant",
    "sync_status", "session", "accounts", "ticket", "calendar_days", "queue_settings", "machines", "catalog_overview",
    "queue_status", "counter_queue", "calls_since", "tickets_of_day", "print_settings", "printers", "printer",
    "print_jobs", "print_job", "register_entries", "verify_log", "store_health",
}


@dataclass(frozen=True)
class RemoteOp:
    name: str
    signature: inspect.Signature  # the protocol's own, `self` included
    args: type[BaseModel]  # the JSON body
    returns: Any  # the return annotation
    takes_actor: bool
    writes: bool

    @functools.cached_property
    def answer(self) -> TypeAdapter:
        return TypeAdapter(self.returns)

    @property
    def doc(self) -> str:
        return inspect.getdoc(getattr(Office, self.name)) or ""


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _op(name: str) -> RemoteOp:
    fn = getattr(Office, name)
    hints = get_type_hints(fn)
    signature = inspect.signature(fn)
    fields: dict[str, Any] = {}
    for param in list(signature.parameters.values())[1:]:
        if param.name == "actor":
            continue
        kind = hints[param.name]
        if name == "import_catalog" and param.name == "path":
            fields["content"] = (str, ...)  # the catalog file's text travels, not a path on the client
            continue
        fields[param.name] = (kind, ... if param.default is inspect.Parameter.empty else param.default)
    args = create_model(f"{_camel(name)}Args", __config__=ConfigDict(extra="forbid"), **fields)
    return RemoteOp(name=name, signature=signature, args=args, returns=hints["return"],
                    takes_actor="actor" in signature.parameters, writes=name not in READS)


@functools.cache
def operations() -> dict[str, RemoteOp]:
    names = [n for n, member in vars(Office).items() if inspect.isfunction(member) and not n.startswith("_")]
    return {n: _op(n) for n in names if n not in LOCAL_ONLY}
