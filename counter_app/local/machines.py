"""The LAN machines part of `LocalOffice`: the administrator registers and revokes the office's PCs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from counter_app import accounts, machines
from counter_app.errors import InvalidInput, OfficeError
from counter_app.store import Store
from counter_app.views.accounts import Role
from counter_app.views.machines import MachineKind, MachineSetup, MachineView

log = logging.getLogger(__name__)


class LocalMachines:
    """Mixed into `LocalOffice`, which provides `store` and `_now`. `lan_address` gives the hub's address on
    the LAN and its certificate's fingerprint; set by the command on the hub PC (None: no LAN hub). Asked
    only when a machine is registered: the certificate is read then, not at start."""

    store: Store
    _now: Callable[[], datetime]
    lan_address: Callable[[], tuple[str, str] | None] | None = None

    def machines(self) -> list[MachineView]:
        with self.store.read() as s:
            return machines.machines(s)

    def register_machine(self, name: str, kind: str, counter_no: int | None = None, *, actor: str) -> MachineSetup:
        try:
            machine_kind = MachineKind(kind)
        except ValueError:
            raise InvalidInput(f"unknown machine kind {kind!r}", "Loại máy không hợp lệ.") from None
        try:
            with self.store.write() as s:
                accounts.require(s, actor, Role.ADMINISTRATOR, "đăng ký máy trạm")
                machine, token = machines.register(s, name, machine_kind, counter_no=counter_no, at=self._now(),
                                                   actor=actor)
        except OfficeError as exc:
            log.warning("machine %s not registered: %s", name, exc)
            raise
        url, fingerprint = (self.lan_address() if self.lan_address else None) or ("", "")
        return MachineSetup(machine=machine, token=token, hub_url=url, hub_fingerprint=fingerprint)

    def revoke_machine(self, name: str, *, actor: str) -> MachineView:
        try:
            with self.store.write() as s:
                accounts.require(s, actor, Role.ADMINISTRATOR, "thu hồi máy trạm")
                return machines.revoke(s, name, at=self._now(), actor=actor)
        except OfficeError as exc:
            log.warning("machine %s not revoked: %s", name, exc)
            raise
