"""`counter-app serve` (the office hub on the LAN) and `counter-app machines …` (who may reach it).

Part of the composition root: the hub wires the store, the HTTP API, the print spool for the
printers wired to the hub PC and the city sync, and runs them until stopped.
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import socket
from functools import partial
from types import FrameType

from counter_app import machines
from counter_app.accounts import SYSTEM
from counter_app.errors import ConfigError
from counter_app.hub.tls import HubCertificate, ensure_certificate
from counter_app.rules.addresses import is_loopback
from counter_app.rules.clock import now
from counter_app.rules.display import fmt_datetime
from counter_app.settings import Settings
from counter_app.store import Store

log = logging.getLogger(__name__)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the office hub for the LAN (API, events, print spool, city sync)")
    serve.add_argument("--listen", help="address:port to listen on (default from settings hub_listen)")
    serve.add_argument("--tls", action="store_true",
                       help="serve https on a loopback address too (any other address is always https)")
    parser = sub.add_parser("machines", help="the PCs allowed to reach the hub: counters, kiosk, board")
    acts = parser.add_subparsers(dest="machines_command", metavar="ACTION", required=True)
    acts.add_parser("list", help="registered machines")
    add = acts.add_parser("add", help="register a machine and print its token (shown once)")
    add.add_argument("name", help="e.g. quay-3, kiosk, bang-goi-so")
    add.add_argument("--kind", choices=[k.value for k in machines.MachineKind], required=True)
    add.add_argument("--counter", type=int, help="the counter a counter PC serves")
    acts.add_parser("revoke", help="refuse a machine from now on").add_argument("name")


def listen_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"bad listen address {text!r}",
                          f"Địa chỉ lắng nghe “{text}” không hợp lệ; cần dạng địa-chỉ:cổng, ví dụ 192.168.1.10:8470.")
    return host.strip("[]"), int(port)


def hub_certificate(settings: Settings, host: str) -> HubCertificate:
    """The hub's own certificate, kept beside its store (made on first use)."""
    return ensure_certificate(settings.db_path.parent / "hub-tls", [host])


def lan_address(settings: Settings) -> tuple[str, str] | None:
    """The hub's https address on the LAN and its certificate's fingerprint (None: it listens on this PC only)."""
    host, port = listen_address(settings.hub_listen)
    if is_loopback(host):
        return None
    return f"https://{host}:{port}", hub_certificate(settings, host).fingerprint


def run_machines(settings: Settings, args: argparse.Namespace, store: Store) -> int:
    if args.machines_command == "add":
        with store.write() as s:
            machine, token = machines.register(s, args.name, machines.MachineKind(args.kind),
                                               counter_no=args.counter, at=now(), actor=SYSTEM)
        host, port = listen_address(settings.hub_listen)
        where = f", counter {machine.counter_no}" if machine.counter_no else ""
        print(f"{machine.name}: {machine.kind.label_vi}{where}")
        print("# on that PC, these two lines go in settings.toml:")
        print(f"hub_url = \"https://{host}:{port}\"")
        print(f"hub_fingerprint = \"{hub_certificate(settings, host).fingerprint}\"")
        print("# and its token, pasted into `counter-app secret set machine_token` (it is not shown again):")
        print(token)
        return 0
    if args.machines_command == "revoke":
        with store.write() as s:
            machine = machines.revoke(s, args.name, at=now(), actor=SYSTEM)
        print(f"{machine.name}: revoked at {fmt_datetime(machine.revoked_at)}")
        return 0
    with store.read() as s:
        for m in machines.machines(s):
            state = f"revoked {fmt_datetime(m.revoked_at)}" if m.revoked_at else "active"
            print(f"{m.name:16} {m.kind.value:8} {m.counter_no or '-':>3}  {state}")
    return 0


def serve(settings: Settings, args: argparse.Namespace, store: Store) -> int:
    import uvicorn

    from counter_app.cli import backup as cli_backup
    from counter_app.cli import sync as cli_sync
    from counter_app.hub import native_heap
    from counter_app.hub.api import create_hub_app
    from counter_app.local.office import LocalOffice
    from printers.spool import Spool

    host, port = listen_address(args.listen or settings.hub_listen)
    native_heap.limit_malloc_arenas()  # before the server, spool and sync start their threads
    office = LocalOffice(store)
    office.lan_address = partial(lan_address, settings)  # a PC the administrator registers learns where to go
    app = create_hub_app(office)
    spool = Spool(office, preview_dir=settings.preview_dir, printers=list(settings.local_printers) or None)
    sync = cli_sync.scheduler(settings, office)
    tls = hub_certificate(settings, host) if args.tls or not is_loopback(host) else None  # plain on loopback only
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, log_config=None,
                            timeout_graceful_shutdown=2, lifespan="on",
                            timeout_keep_alive=120,  # a counter calls about once a minute (lan.office.KEEPALIVE_S)
                            ssl_certfile=str(tls.cert) if tls else None, ssl_keyfile=str(tls.key) if tls else None)
    fanout = app.state.fanout

    class HubServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            fanout.close()  # end the open event streams at once, so the hub stops without waiting on them
            super().handle_exit(sig, frame)
            # uvicorn raises the signal again once it has stopped, which kills the process before the
            # spool, the sync and the store are closed below: SIGTERM is how a service is asked to stop.
            log.info("hub stopping (signal %d)", sig)
            self._captured_signals.clear()

    sock = bind(host, port)  # before anything says the hub runs: a port in use stops it here
    server = HubServer(config)
    spool.start()
    if sync is not None:
        sync.start()
    backups = cli_backup.start_scheduler(settings, office)
    if tls is not None:
        log.info("office hub on https://%s:%d (store %s)", host, port, store.path)
        print(f"hub_fingerprint = \"{tls.fingerprint}\"   # the certificate every PC of the office pins", flush=True)
    else:
        log.info("office hub on http://%s:%d, this PC only (store %s)", host, port, store.path)
    # What start loaded (modules, the app, the mappers: most of the heap) stays out of every later garbage
    # collection: a full pass over it paused requests 15-78 ms in a burst of counters (issue 23).
    gc.collect()
    gc.freeze()
    try:
        server.run(sockets=[sock])
    finally:
        if backups is not None:
            backups.stop()
        if sync is not None:
            sync.stop()
        spool.stop()
        store.checkpoint()
        store.close()
        log.info("hub stopped")
    return 0 if server.started else 1


def bind(host: str, port: int) -> socket.socket:
    """The hub's listening socket, or a clear `ConfigError` when the address is taken or not this PC's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol named, as asyncio's own sockets have it: asyncio sets TCP_NODELAY on accepted connections
    # only then, and without it every answer waited about 40 ms for the client's delayed acknowledgement.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"cannot listen on {host}:{port}: address in use",
                              f"Cổng {port} trên {host} đang được một chương trình khác dùng (có thể máy chủ văn "
                              "phòng đã chạy rồi). Hãy tắt chương trình đó hoặc đổi hub_listen.") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}",
                          f"Không mở được địa chỉ {host}:{port} trên máy này ({exc.strerror}); "
                          "kiểm tra hub_listen trong tệp cấu hình.") from None
    sock.set_inheritable(True)
    return sock
