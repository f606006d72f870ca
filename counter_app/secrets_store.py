"""A PC's secrets (its machine token at the hub, the office's city token) kept out of `settings.toml`.

They go to the operating system's credential store through `keyring` (Windows Credential Manager,
the Secret Service on a Linux desktop); where there is none (a hub PC without a desktop session), to
`secrets.toml` beside the settings, readable by its owner only. `counter-app secret set NAME` puts one
there; a token still written in `settings.toml` works, with a warning to move it.
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import fail

from counter_app.errors import ConfigError
from counter_app.store.private import private_file

log = logging.getLogger(__name__)

SERVICE = "counter-app"
NAMES = ("machine_token", "city_token", "backup_key")


def _keyring_usable() -> bool:
    """False where keyring found no store (its `fail` backend, or a chain of none)."""
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and bool(getattr(backend, "backends", True))


TOKEN = re.compile(r"[A-Za-z0-9_\-]{16,128}")


def _check(name: str) -> None:
    if name not in NAMES:
        raise ConfigError(f"unknown secret {name!r}", f"Không có khóa bí mật “{name}” (chỉ có {', '.join(NAMES)}).")


def _read_file(path: Path) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in tomllib.loads(path.read_text(encoding="utf-8")).items()}
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {type(exc).__name__}",
                          f"Không đọc được tệp khóa bí mật “{path}”.") from None


def get_secret(name: str, file: Path) -> str:
    """The secret `name`: from the credential store if there is one, else from `file`; "" if not set."""
    _check(name)
    if _keyring_usable():
        try:
            value = keyring.get_password(SERVICE, name)
            if value:
                return value
        except keyring.errors.KeyringError as exc:
            log.warning("credential store unreadable (%s); trying %s", type(exc).__name__, file)
    return _read_file(file).get(name, "")


def set_secret(name: str, value: str, file: Path) -> str:
    """Keep `value` as `name`; returns where it went (to tell the administrator)."""
    _check(name)
    if not TOKEN.fullmatch(value):
        raise ConfigError(f"{name}: not a token ({len(value)} characters)",
                          "Mã không hợp lệ: cần dán đúng mã đã được cấp (chữ, số, gạch ngang, gạch dưới).")
    if _keyring_usable():
        try:
            keyring.set_password(SERVICE, name, value)
            return f"the credential store ({type(keyring.get_keyring()).__name__})"
        except keyring.errors.KeyringError as exc:
            log.warning("credential store refused the secret (%s); writing %s", type(exc).__name__, file)
    values = {**_read_file(file), name: value}
    file.parent.mkdir(parents=True, exist_ok=True)
    private_file(file).write_text("# counter-app secrets: readable by this user only\n"  # made 0600 before written
                                  + "".join(f'{k} = "{v}"\n' for k, v in values.items()), encoding="utf-8")
    return str(file)
