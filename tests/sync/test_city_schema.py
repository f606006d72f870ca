"""schemathesis against the city server on PostgreSQL, with a hub's and an operator's credential: no server error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AGENCY
from tests.sync.conftest import City


@pytest.mark.parametrize("role, paths", [("hub", "^/v1/(sync|catalog)"), ("admin", "^/v1/admin/")])
def test_schemathesis_finds_no_server_error_at_the_city(pg_city: City, tmp_path: Path, role: str, paths: str):
    token = pg_city.token(AGENCY if role == "hub" else "*", role=role)
    run = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run", f"{pg_city.url}/openapi.json",
         "--checks", "not_a_server_error,response_schema_conformance",
         "-H", f"Authorization: Bearer {token}", "--include-path-regex", paths,
         "-n", "25", "--seed", "1", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
