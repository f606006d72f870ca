"""`counter-app join`: set a new PC up to work at the office hub from the line the administrator's screen
shows as a QR (scanned here by the barcode scanner, or pasted): the hub's address and certificate go into
settings.toml, the machine's token into the credential store."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from counter_app.errors import InvalidInput
from counter_app.secrets_store import set_secret
from counter_app.settings import Settings

LINE = re.compile(r"counter-app:join hub_url=(https://[^\s]+) hub_fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2}) "
                  r"token=([A-Za-z0-9_-]{20,100})")


def add_parser(sub: argparse._SubParsersAction) -> None:
    join = sub.add_parser("join", help="set this PC up to work at the office hub (scan the administrator's QR)")
    join.add_argument("text", nargs="?", help="the scanned line (default: read it from standard input)")


def parse(text: str) -> tuple[str, str, str]:
    found = LINE.fullmatch(text.strip())
    if found is None:
        raise InvalidInput("join: not a machine set-up line",
                           "Không đọc được mã thiết lập máy. Hãy quét lại mã QR trên màn hình quản trị "
                           "(Quản trị → Máy trạm).")
    return found[1], found[2], found[3]


def set_keys(path: Path, values: dict[str, str]) -> None:
    """Set top-level `key = "value"` lines of a settings file, keeping every other line as it was."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for key, value in values.items():
        line = f"{key} = {json.dumps(value)}"
        at = next((i for i, text in enumerate(lines) if re.match(rf"\s*{key}\s*=", text)), None)
        if at is None:
            lines.append(line)
        else:
            lines[at] = line
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(settings: Settings, args: argparse.Namespace) -> int:
    url, fingerprint, token = parse(args.text or sys.stdin.readline())
    set_keys(settings.settings_path, {"hub_url": url, "hub_fingerprint": fingerprint})
    where = set_secret("machine_token", token, settings.secrets_file)
    print(f"this PC now works at the office hub {url}; settings in {settings.settings_path}, its token in {where}")
    return 0
