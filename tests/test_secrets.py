"""Tokens out of settings.toml: the OS credential store when there is one, an owner-only file when not."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.backends import fail

from counter_app.cli.main import main
from counter_app.errors import ConfigError
from counter_app.secrets_store import get_secret, set_secret
from counter_app.settings import load_settings

TOKEN = "tok_" + "A1b2" * 10


class MemoryKeyring(KeyringBackend):
    """Stands in for Windows Credential Manager or the Secret Service, which this machine has not.

    Not viable on its own (its priority raises), so keyring never picks it for the other tests.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("a test double, set by hand only")

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@contextmanager
def keyring_backend(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def os_store() -> Iterator[KeyringBackend]:
    with keyring_backend(MemoryKeyring()) as store:
        yield store


@pytest.fixture
def no_os_store() -> Iterator[KeyringBackend]:
    """A hub PC without a desktop session: keyring finds no credential store."""
    with keyring_backend(fail.Keyring()) as store:
        yield store


def test_without_a_credential_store_the_token_goes_to_an_owner_only_file(tmp_path, monkeypatch, capsys,
                                                                       no_os_store):
    settings = tmp_path / "settings.toml"
    settings.write_text('hub_url = "https://192.168.1.10:8470"\n', encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    assert main(["--settings", str(settings), "secret", "set", "machine_token"]) == 0
    kept = tmp_path / "secrets.toml"
    said = capsys.readouterr().out
    assert f"kept in {kept}" in said, said
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert TOKEN not in settings.read_text(encoding="utf-8")
    assert load_settings(settings).machine_token == TOKEN


def test_with_a_credential_store_the_token_goes_there_and_nowhere_else(tmp_path, os_store):
    settings = tmp_path / "settings.toml"
    settings.write_text("", encoding="utf-8")
    assert "credential store" in set_secret("city_token", TOKEN, tmp_path / "secrets.toml")
    assert os_store.values == {("counter-app", "city_token"): TOKEN}
    assert not (tmp_path / "secrets.toml").exists()
    assert load_settings(settings).city_token == TOKEN
    assert get_secret("machine_token", tmp_path / "secrets.toml") == ""


def test_a_token_left_in_settings_still_works_with_a_warning_and_junk_is_refused(tmp_path, caplog, no_os_store):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'machine_token = "{TOKEN}"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_settings(settings).machine_token == TOKEN
    assert "secret set machine_token" in caplog.text and TOKEN not in caplog.text
    with pytest.raises(ConfigError) as junk:
        set_secret("machine_token", 'x" \n evil = "1', tmp_path / "secrets.toml")
    assert "Mã không hợp lệ" in junk.value.message_vi
    with pytest.raises(ConfigError):
        set_secret("password", TOKEN, tmp_path / "secrets.toml")
