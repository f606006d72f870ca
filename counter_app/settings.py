"""Settings of one installation (not of the office, which lives in the store).

Read from `settings.toml` in the platform's config folder (or the file named by
`COUNTER_APP_SETTINGS`); `COUNTER_APP_DB` and the `--db` option override the database path.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from counter_app.errors import ConfigError
from counter_app.secrets_store import NAMES, get_secret
from counter_app.store.db import default_db_path

log = logging.getLogger(__name__)


def default_preview_dir() -> Path:
    """Where tickets and slips go when no printer is set up (the embedded default)."""
    return user_data_path("counter-app", appauthor=False) / "previews"


def default_backup_folder() -> Path:
    return user_data_path("counter-app", appauthor=False) / "backups"


def default_settings_path() -> Path:
    return user_config_path("counter-app", appauthor=False) / "settings.toml"


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=default_db_path)
    hub_url: str = ""  # empty: the embedded one-PC hub; else e.g. https://192.168.1.10:8470
    hub_fingerprint: str = ""  # the hub certificate's SHA-256, as `serve` and `machines add` print it
    machine_token: str = ""  # this PC's token at the hub (`counter-app machines add` on the hub)
    hub_listen: str = "127.0.0.1:8470"  # where `counter-app serve` listens (the LAN address, on the hub PC)
    local_printers: tuple[str, ...] = ()  # printers wired to this PC; its spool prints only these (hub: all)
    log_level: str = "INFO"
    counter: int = 1  # the counter this PC's clerk app serves
    clerk: str = ""  # the user name offered at sign-in on this PC
    idle_lock_minutes: float = 15.0  # the clerk's screen locks after this long without a key or a click
    voice_dir: Path | None = None  # the office's own recordings, replacing bundled segments by name
    preview_dir: Path = field(default_factory=default_preview_dir)
    board_screen: int | None = None  # monitor index for the board; default the last one
    city_url: str = ""  # the city centre's sync server; empty: this office does not sync yet
    city_token: str = ""  # the credential the city issued to this office (`counter-app city credential`)
    sync_hour: int = 2  # the nightly sync, at this hour
    # Where backups go (each one that is present: a second disk, a USB stick's folder); sealed with backup_key.
    backup_folders: tuple[Path, ...] = field(default_factory=lambda: (default_backup_folder(),))
    backup_key: str = ""  # from the credential store (`counter-app backup key`), never from settings.toml
    settings_path: Path = field(default_factory=default_settings_path)  # where these were read from

    @property
    def secrets_file(self) -> Path:
        """Where tokens are kept when the PC has no credential store (owner-only)."""
        return self.settings_path.with_name("secrets.toml")


KNOWN = {"db_path", "hub_url", "hub_fingerprint", "machine_token", "hub_listen", "local_printers", "log_level",
         "counter", "clerk", "idle_lock_minutes", "voice_dir", "preview_dir", "board_screen", "city_url",
         "city_token", "sync_hour", "backup_folders"}


def load_settings(path: Path | None = None, *, db_override: Path | None = None) -> Settings:
    env_path = os.environ.get("COUNTER_APP_SETTINGS")
    path = path or (Path(env_path) if env_path else default_settings_path())
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings {path}: {exc}",
                              f"Không đọc được tệp cấu hình “{path}”: {exc}") from None
    unknown = set(data) - KNOWN
    if unknown:
        log.warning("ignoring unknown settings in %s: %s", path, sorted(unknown))
    secrets_file = path.with_name("secrets.toml")
    tokens = {}
    for name in NAMES:
        if data.get(name):
            log.warning("%s is written in %s: move it to the credential store (`counter-app secret set %s`)",
                        name, path, name)
        tokens[name] = str(data.get(name, "") or get_secret(name, secrets_file))
    db = db_override or (Path(os.environ["COUNTER_APP_DB"]) if os.environ.get("COUNTER_APP_DB") else None)
    db = db or (Path(data["db_path"]).expanduser() if data.get("db_path") else default_db_path())
    try:
        return Settings(
            db_path=db, hub_url=str(data.get("hub_url", "")).rstrip("/"),
            hub_fingerprint=str(data.get("hub_fingerprint", "")), machine_token=tokens["machine_token"],
            hub_listen=str(data.get("hub_listen", "127.0.0.1:8470")),
            local_printers=tuple(str(p) for p in data.get("local_printers", ())),
            log_level=str(data.get("log_level", "INFO")),
            counter=int(data.get("counter", 1)), clerk=str(data.get("clerk", "")),
            idle_lock_minutes=min(120.0, max(1.0, float(data.get("idle_lock_minutes", 15)))),
            voice_dir=Path(data["voice_dir"]).expanduser() if data.get("voice_dir") else None,
            preview_dir=Path(data["preview_dir"]).expanduser() if data.get("preview_dir") else default_preview_dir(),
            board_screen=int(data["board_screen"]) if data.get("board_screen") is not None else None,
            city_url=str(data.get("city_url", "")).rstrip("/"), city_token=tokens["city_token"],
            sync_hour=int(data.get("sync_hour", 2)), settings_path=path,
            backup_folders=tuple(Path(str(f)).expanduser() for f in data["backup_folders"])
            if data.get("backup_folders") else (default_backup_folder(),),
            backup_key=tokens["backup_key"],
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad value in settings {path}: {exc}",
                          f"Tệp cấu hình “{path}” có giá trị không hợp lệ: {exc}") from None
