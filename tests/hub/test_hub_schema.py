"""schemathesis against a running hub: no server error, no answer that breaks the OpenAPI description."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import STAFF_PASSWORD
from tests.hub.conftest import Hub


def test_the_openapi_description_covers_every_operation(hub: Hub):
    spec = httpx.get(f"{hub.url}/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/ops/call_next", "/api/ops/receive", "/api/events", "/api/health"} <= paths
    assert spec["paths"]["/api/ops/receive"]["post"]["responses"]["409"]


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(hub: Hub, tmp_path: Path):
    # An administrator signed in at counter 1, so the fuzzed requests reach the services, not only the door.
    session = hub.client("quay-1").sign_in("admin", STAFF_PASSWORD, counter_no=1)
    run = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run", f"{hub.url}/openapi.json",
         "--checks", "not_a_server_error,response_schema_conformance",
         "-H", f"Authorization: Bearer {hub.tokens['quay-1']}", "-H", f"X-Clerk-Session: {session.token}",
         "--exclude-path", "/api/events",  # an endless stream, tested on its own
         "--generation-with-security-parameters", "false", "-n", "12", "--seed", "1", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Traceback" not in hub.log()
