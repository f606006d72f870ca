"""Staff accounts and sign-in sessions as they cross the `Office` interface (plain pydantic data)."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, field_validator

from counter_app.errors import InvalidInput
from counter_app.rules.text import clean


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"

    @property
    def label_vi(self) -> str:
        return ROLE_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def covers(self, needed: Role) -> bool:
        """An administrator may do what a supervisor may, a supervisor what a clerk may."""
        return self.rank >= needed.rank


ROLE_LABELS = {Role.CLERK: "Cán bộ tiếp nhận", Role.SUPERVISOR: "Tổ trưởng", Role.ADMINISTRATOR: "Quản trị"}

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MIN_PASSWORD = 8


class AccountIn(BaseModel):
    """An account as an administrator creates or edits it; `password` empty keeps the current one."""

    username: str
    full_name: str
    role: Role = Role.CLERK
    password: str = ""
    active: bool = True

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = value.strip().lower()
        if not USERNAME.fullmatch(value):
            raise InvalidInput(
                f"bad username ({len(value)} characters)",
                "Tên đăng nhập gồm 2–32 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.")
        return value

    @field_validator("full_name")
    @classmethod
    def _full_name(cls, value: str) -> str:
        value = " ".join(clean(value, field="account.full_name", field_vi="Họ và tên", max_len=120).split())
        if not value:
            raise InvalidInput("empty full name", "Cần nhập họ và tên cán bộ.")
        return value

    @field_validator("password")
    @classmethod
    def _password(cls, value: str) -> str:
        return clean(value, field="account.password", field_vi="Mật khẩu", max_len=256)


class AccountView(BaseModel):
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None

    @property
    def role_vi(self) -> str:
        return self.role.label_vi


class SessionView(BaseModel):
    """A signed-in clerk. `token` is shown once, to the one who signed in; the store keeps only its hash."""

    token: str
    username: str
    full_name: str
    role: Role
    counter_no: int | None
    started_at: datetime
    machine: str = ""  # the registered machine it was opened at; "": the hub PC itself

    def can(self, needed: Role) -> bool:
        return self.role.covers(needed)
