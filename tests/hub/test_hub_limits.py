"""Limits before work: the hub refuses an outsider before reading a byte of the body, and caps bodies as they stream."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx

from tests.hub.conftest import Hub
from tests.uploads import MB, chunked_upload


def _raw_post(hub: Hub, path: str, headers: dict[str, str], first: bytes) -> tuple[bytes, int]:
    """Send the head and the first bytes of a body, then read the answer while sending more; (answer, bytes sent)."""
    chunked = headers.get("Transfer-Encoding") == "chunked"
    piece = b"x" * 65536
    more = b"10000\r\n" + piece + b"\r\n" if chunked else piece  # framed as HTTP/1.1 chunks when chunked
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: hub\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(head.encode() + b"\r\n" + first)
        sent = len(first)
        sock.settimeout(0.05)
        answer = b""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
                if b"\r\n\r\n" in answer:
                    break
            except TimeoutError:
                try:
                    sock.sendall(more)  # keep uploading while no answer came
                    sent += 65536
                except OSError:
                    break
            except OSError:
                break
        return answer, sent


def test_an_unknown_machine_is_refused_before_its_body_is_read(hub: Hub):
    answer, sent = _raw_post(hub, "/api/ops/receive", {"Authorization": "Bearer not-a-token",
                                                       "Content-Type": "application/json",
                                                       "Transfer-Encoding": "chunked"}, b"")
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert sent < 4 * MB  # answered long before a 200 MB upload could be read


def test_a_declared_length_over_the_limit_is_refused_at_once(hub: Hub):
    answer, sent = _raw_post(hub, "/api/ops/issue_ticket", {
        "Authorization": f"Bearer {hub.tokens['kiosk']}", "Content-Type": "application/json",
        "Content-Length": str(200 * MB)}, b"{")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 4 * MB


def test_a_chunked_body_is_cut_off_at_its_operations_limit(hub: Hub):
    upload = chunked_upload(f"{hub.url}/api/ops/issue_ticket", hub.tokens["kiosk"], megabytes=200,
                            head=b'{"lane": "', tail=b'"}', filler=b"A")
    assert upload.status in (413, None)  # None: answered and closed while the upload went on
    assert upload.status is None or "quá lớn".encode() in upload.body
    assert upload.sent < 200 * MB


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_stays_flat_under_twenty_large_uploads_at_once(hub: Hub):
    assert hub.proc is not None
    before = _rss_kib(hub.proc.pid)
    peak = before
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_kib(hub.proc.pid))
            time.sleep(0.02)

    def upload(n: int) -> None:
        token = hub.tokens["kiosk"] if n % 2 else "not-a-token"  # half outsiders, half a machine over its limit
        chunked_upload(f"{hub.url}/api/ops/issue_ticket", token, megabytes=200)

    watcher = threading.Thread(target=watch)
    watcher.start()
    uploads = [threading.Thread(target=upload, args=(n,)) for n in range(20)]
    for t in uploads:
        t.start()
    for t in uploads:
        t.join(timeout=60)
    done.set()
    watcher.join()
    assert peak - before < 40 * 1024, f"hub RSS grew by {(peak - before) // 1024} MiB"  # 20 x 200 MB never held
    assert httpx.get(f"{hub.url}/api/health").status_code == 200
