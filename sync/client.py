"""The hub's sync client: push the outbox, pull the city's changes (DESIGN.md, Sync protocol).

One round = push until nothing is pending (batches of at most 100 ops, oldest first; a rejected op holds
back only its own dossier), then pull until the feed is drained. Every acknowledgement batch and every
page of changes (with the cursor) is committed in one transaction, so a crash at any point loses
nothing and repeats nothing: the city answers a repeated op with its stored result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from counter_app import audit
from counter_app.accounts import SYSTEM
from counter_app.city import changes as city_changes
from counter_app.city import outbox, snapshot
from counter_app.dossiers import catalog, recovery
from counter_app.errors import OfficeError
from counter_app.rules.clock import now
from counter_app.store import Store
from sync.protocol import (
    CHANGES_LIMIT,
    MAX_BYTES,
    MAX_OPS,
    STORED_OPS_LIMIT,
    CatalogResponse,
    ChainHead,
    ChainHeadsResponse,
    ChangesResponse,
    LookupKeyResponse,
    OpIn,
    PointSnapshot,
    PushRequest,
    PushResponse,
    RestoredRequest,
    RestoredResponse,
    StoredOpsResponse,
)

log = logging.getLogger(__name__)
Page = TypeVar("Page", bound=BaseModel)

RECOVERY_CHUNK = 500  # items applied per transaction while recovering
KEEP_ACKED = timedelta(days=30)  # acknowledged ops kept this long for a supervisor to look at
TOO_LARGE_STRIKES = 5  # a single op refused as too large this many times in a row is set aside


class SyncError(Exception):
    """A round could not finish: the city is unreachable, answered with an error, or refused us."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message_vi = message_vi


@dataclass
class RoundReport:
    pushed: int = 0
    acked: int = 0
    rejected: int = 0
    pulled: int = 0
    catalogs: tuple[str, ...] = ()


class SyncClient:
    def __init__(self, store: Store, http: httpx.Client, *, clock: Callable[[], datetime] = now,
                 on_catalog: Callable[[str], None] | None = None, max_ops: int = MAX_OPS) -> None:
        self.store, self.http, self.clock = store, http, clock
        self.on_catalog = on_catalog
        # A proxy in front of the city may take less than the protocol allows: on 413 the batches halve,
        # after each accepted batch they grow back up to `max_ops`.
        self.max_ops = max(1, min(max_ops, MAX_OPS))
        self.batch_ops, self.batch_bytes = self.max_ops, MAX_BYTES // 2
        self._too_large: dict[str, int] = {}
        self.clock_skew_s: int | None = None

    def _call(self, method: str, path: str, *, accept: tuple[int, ...] = (), **kwargs: object) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise SyncError(f"{method} {path}: timed out ({exc})", "Máy chủ thành phố không trả lời kịp.") from None
        except httpx.TransportError as exc:
            raise SyncError(f"{method} {path}: {exc}", "Không kết nối được máy chủ thành phố.") from None
        self._note_clock(response)
        if response.status_code in accept:
            return response
        if response.status_code in (401, 403):
            raise SyncError(f"{method} {path}: {response.status_code} (credential refused)",
                            "Máy chủ thành phố từ chối chứng thư của văn phòng; xin liên hệ quản trị.")
        if response.status_code >= 500 or response.status_code in (408, 413, 429):
            raise SyncError(f"{method} {path}: HTTP {response.status_code}",
                            f"Máy chủ thành phố đang lỗi (mã {response.status_code}); sẽ thử lại.")
        return response

    def _note_clock(self, response: httpx.Response) -> None:
        """How far this PC's clock is off, from the answer's Date header (to the second)."""
        try:
            server = parsedate_to_datetime(response.headers["date"])
        except (KeyError, TypeError, ValueError):
            return
        self.clock_skew_s = round((self.clock() - server).total_seconds())

    def check_health(self) -> None:
        """`SyncError` (saying why, in Vietnamese too) unless the city answers its health check."""
        response = self._call("GET", "/health")
        if response.status_code != 200:
            raise SyncError(f"health: HTTP {response.status_code}", "Máy chủ thành phố chưa sẵn sàng; sẽ thử lại.")

    def push(self) -> RoundReport:
        report = RoundReport()
        while True:
            with self.store.read() as s:
                batch = [(OpIn(op_id=o.op_id, dossier_code=code, kind=o.kind, payload=o.payload, sha256=o.sha256))
                         for o, code in outbox.next_batch(s, limit=self.batch_ops, max_bytes=self.batch_bytes)]
                last = audit.last_link(s)
            if not batch:
                return report
            head = ChainHead(seq=last[0], hash=last[1].hex()) if last else None
            body = PushRequest(ops=batch, chain_head=head).model_dump_json()
            response = self._call("POST", "/v1/sync/push", content=body, accept=(413,),
                                  headers={"Content-Type": "application/json"})
            if response.status_code == 413:
                self._too_large_batch(batch, len(body))
                continue
            if response.status_code not in (200, 409):
                raise SyncError(f"push: HTTP {response.status_code} {response.text[:200]}",
                                f"Máy chủ thành phố không nhận dữ liệu (mã {response.status_code}).")
            results = PushResponse.model_validate_json(response.content).results
            with self.store.write() as s:
                outbox.record_results(s, [(r.op_id, r.result, r.reason, r.reason_vi) for r in results],
                                      at=self.clock())
            self._too_large.clear()
            self.batch_ops = min(self.max_ops, self.batch_ops * 2)
            self.batch_bytes = min(MAX_BYTES // 2, self.batch_bytes * 2)
            report.pushed += len(batch)
            report.acked += sum(r.result in ("ok", "duplicate") for r in results)
            report.rejected += sum(r.result == "rejected" for r in results)
            for r in results:
                if r.result == "rejected":
                    log.warning("op %s rejected by the city: %s", r.op_id, r.reason)
            if not any(r.result in ("ok", "duplicate", "rejected") for r in results):
                return report  # everything left is held behind a rejection: nothing more to send now

    def _too_large_batch(self, batch: list[OpIn], size: int) -> None:
        """The line refused the request as too large: send smaller batches; set aside an op too large alone."""
        if len(batch) > 1:
            self.batch_ops = max(1, len(batch) // 2)
            self.batch_bytes = max(1, size // 2)
            log.warning("push of %d ops (%d bytes) refused as too large; batches of %d ops now", len(batch), size,
                        self.batch_ops)
            return
        op = batch[0]
        strikes = self._too_large[op.op_id] = self._too_large.get(op.op_id, 0) + 1
        if strikes < TOO_LARGE_STRIKES:
            raise SyncError(f"push: HTTP 413 for op {op.op_id} alone ({size} bytes)",
                            "Máy chủ thành phố không nhận gói dữ liệu quá lớn; sẽ thử lại.")
        log.error("op %s (%d bytes) refused as too large %d times; set aside for a supervisor", op.op_id, size,
                  strikes)
        with self.store.write() as s:
            outbox.record_results(s, [(op.op_id, "rejected", f"too large for the line to the city ({size} bytes)",
                                       "Thao tác quá lớn, đường truyền tới thành phố không nhận; cần kỹ thuật viên "
                                       "kiểm tra giới hạn kích thước.")], at=self.clock())
        del self._too_large[op.op_id]

    def pull(self) -> RoundReport:
        report = RoundReport()
        catalogs: list[str] = []
        while True:
            with self.store.read() as s:
                since = city_changes.peek(s).cursor
            page = self._page("/v1/sync/changes", {"since": since, "limit": CHANGES_LIMIT}, ChangesResponse,
                              "nhận được thay đổi")
            with self.store.write() as s:
                catalogs += city_changes.apply_changes(s, [c.model_dump(mode="json") for c in page.changes],
                                                       at=self.clock())
            report.pulled += len(page.changes)
            if not page.more:
                break
        report.catalogs = tuple(catalogs)
        if catalogs and self.update_catalog() and self.on_catalog is not None:
            self.on_catalog(catalogs[-1])
        return report

    def anchors(self) -> list[audit.Anchor]:
        """Every head of this office's log the city keeps."""
        found: list[audit.Anchor] = []
        after = 0
        while True:
            page = self._page("/v1/sync/chain-heads", {"after": after}, ChainHeadsResponse, "lấy được mốc nhật ký")
            found += [audit.Anchor(seq=h.seq, hash=bytes.fromhex(h.hash), at=h.received_at) for h in page.heads]
            if not page.more or not page.heads:
                return found
            after = page.heads[-1].seq

    def check_anchors(self) -> audit.ChainReport:
        """This store's log against the heads the city keeps (`verify-log`, and the hub once a day)."""
        anchors = self.anchors()
        with self.store.read() as s:
            report = audit.check_anchors(s, anchors)
        if report.ok:
            log.info("event log matches the %d heads the city keeps", report.checked)
        else:
            log.error("event log does not match what the city was told: %s", report.reason)
        return report

    def recover(self) -> recovery.RecoveryReport:
        """After a backup was restored: check it against the heads the city keeps, then fetch back what was
        pushed after it and what the city decided after its cursor, and apply both in the order they happened.

        Safe to run again after a crash (ops already here are recognised by id, changes by the cursor).
        """
        with self.store.read() as s:
            since = recovery.fetch_since(s)
            head = audit.last_link(s)
            cursor = city_changes.peek(s).cursor
        known = [a for a in self.anchors() if head is not None and a.seq <= head[0]]
        with self.store.read() as s:
            check = audit.check_anchors(s, known)
        if not check.ok:
            raise SyncError(f"the restored log does not match the heads the city keeps: {check.reason}",
                            "Bản sao lưu vừa khôi phục không khớp với nhật ký thành phố đang giữ, nên chưa lấy lại "
                            "dữ liệu từ thành phố. Xin báo quản trị.")
        ops, changes = self._stored_ops(since), self._changes_after(cursor)
        chain_head = ChainHead(seq=head[0], hash=head[1].hex()) if head else None
        response = self._call("POST", "/v1/sync/restored", content=RestoredRequest(head=chain_head).model_dump_json(),
                              headers={"Content-Type": "application/json"})
        if response.status_code != 200:
            raise SyncError(f"restored: HTTP {response.status_code}",
                            f"Máy chủ thành phố không ghi nhận việc khôi phục (mã {response.status_code}).")
        report = recovery.RecoveryReport(superseded=RestoredResponse.model_validate_json(response.content).superseded)
        timeline = recovery.timeline(ops, changes)
        catalogs: list[str] = []
        for start in range(0, len(timeline), RECOVERY_CHUNK):
            with self.store.write() as s:
                for what, item in timeline[start:start + RECOVERY_CHUNK]:
                    if what == "change":
                        catalogs += recovery.apply_change(s, item)
                        report.changes += 1
                    else:
                        outcome = recovery.apply_op(s, item)
                        setattr(report, outcome, getattr(report, outcome) + 1)
        with self.store.write() as s:
            st = city_changes.state(s)
            st.recovery_due = False
            s.add(st)
        if catalogs and self.update_catalog() and self.on_catalog is not None:
            self.on_catalog(catalogs[-1])
        log.info("recovery after a restore: %d ops made again, %d already here, %d skipped, %d city changes, "
                 "%d heads set aside at the city", report.replayed, report.known, report.skipped, report.changes,
                 report.superseded)
        return report

    def _page(self, path: str, params: dict, model: type[Page], what_vi: str) -> Page:
        """One page of a city feed; `SyncError` naming `what_vi` unless the city answers 200."""
        response = self._call("GET", path, params=params)
        if response.status_code != 200:
            raise SyncError(f"GET {path}: HTTP {response.status_code}",
                            f"Không {what_vi} từ thành phố (mã {response.status_code}).")
        return model.model_validate_json(response.content)

    def _stored_ops(self, since: datetime) -> list[dict]:
        found: list[dict] = []
        after_op = ""
        while True:
            page = self._page("/v1/sync/ops", {"since": since.isoformat(), "after_op": after_op,
                                               "limit": STORED_OPS_LIMIT}, StoredOpsResponse,
                              "lấy lại được dữ liệu đã gửi")
            found += [o.model_dump() for o in page.ops]
            if not page.more or not page.ops:
                return found
            since, after_op = page.ops[-1].received_at, page.ops[-1].op_id

    def _changes_after(self, since: int) -> list[dict]:
        found: list[dict] = []
        while True:
            page = self._page("/v1/sync/changes", {"since": since, "limit": CHANGES_LIMIT}, ChangesResponse,
                              "nhận được thay đổi")
            found += [c.model_dump() for c in page.changes]
            if not page.more or not page.changes:
                return found
            since = page.next_since

    def update_catalog(self) -> bool:
        """Fetch the city's newest procedure catalog and make it active here; True if it changed.

        Dossiers already received keep the catalog version they were received under.
        """
        with self.store.read() as s:
            active = catalog.active_version(s)
        response = self._call("GET", "/v1/catalog", params={"have": active.version if active else ""})
        if response.status_code == 404:
            return False
        published = CatalogResponse.model_validate_json(response.content)
        if published.catalog is None:
            return False
        try:
            spec = catalog.CatalogFile.model_validate(published.catalog)
            with self.store.write() as s:
                catalog.import_catalog(s, spec, actor=SYSTEM)
        except (ValidationError, OfficeError) as exc:  # a bad or older catalog never stops the sync
            log.warning("city catalog %s not imported: %s", published.version, exc)
            return False
        log.info("city catalog %s imported", published.version)
        return True

    def fetch_lookup_key(self) -> bool:
        """Once: the city's key for this office's receipts' QR check (`counter_app.rules.lookup_check`)."""
        with self.store.read() as s:
            if city_changes.peek(s).lookup_key:
                return False
        response = self._call("GET", "/v1/sync/lookup-key", accept=(404,))
        if response.status_code == 404:  # a city without the public lookup yet: receipts print the code alone
            return False
        key = LookupKeyResponse.model_validate_json(response.content).key
        with self.store.write() as s:
            st = city_changes.state(s)
            st.lookup_key = key
            s.add(st)
        log.info("the city's lookup key for the receipts' QR received")
        return True

    def send_snapshot(self) -> None:
        """The queue now and the outbox, for the city's live view (a city without the view answers 404). Only
        a view of now: if the city cannot take it, the round's ops and changes still count as done."""
        with self.store.read() as s:
            taken = snapshot.point_snapshot(s, self.clock())
        try:
            body = PointSnapshot.model_validate(taken).model_dump_json()
        except ValidationError as exc:  # a clock past 2100, say: the round is done all the same
            log.warning("no snapshot for the city: %s", exc.errors()[0]["msg"])
            return
        try:
            response = self._call("POST", "/v1/sync/snapshot", content=body, accept=(404,),
                                  headers={"Content-Type": "application/json"})
        except SyncError as exc:
            log.warning("the city did not take the snapshot: %s", exc)
            return
        if response.status_code not in (204, 404):
            log.warning("the city did not take the snapshot: HTTP %d", response.status_code)

    def round(self) -> RoundReport:
        """Push everything, then pull everything; record the outcome for the status bar."""
        try:
            with self.store.read() as s:
                due = city_changes.peek(s).recovery_due
            if due:  # a restored store: what came after its backup comes back before anything new goes up
                self.recover()
            pushed = self.push()
            pulled = self.pull()
            self.fetch_lookup_key()
            self.send_snapshot()
        except SyncError as exc:
            with self.store.write() as s:
                st = city_changes.state(s)
                st.last_attempt_at, st.failures = self.clock(), st.failures + 1
                st.last_error_en, st.last_error_vi = str(exc), exc.message_vi
                st.clock_skew_s = self.clock_skew_s if self.clock_skew_s is not None else st.clock_skew_s
                s.add(st)
            raise
        with self.store.write() as s:
            st = city_changes.state(s)
            st.last_attempt_at = st.last_success_at = self.clock()
            st.failures, st.last_error_en, st.last_error_vi = 0, "", ""
            st.clock_skew_s = self.clock_skew_s if self.clock_skew_s is not None else st.clock_skew_s
            s.add(st)
            pruned = outbox.prune_acked(s, acked_before=self.clock() - KEEP_ACKED)
        if pruned:
            log.info("%d ops acknowledged over %d days ago pruned", pruned, KEEP_ACKED.days)
        if self.clock_skew_s is not None and abs(self.clock_skew_s) > 300:
            log.warning("this PC's clock is %+d s off the city's", self.clock_skew_s)
        return RoundReport(pushed.pushed, pushed.acked, pushed.rejected, pulled.pulled, pulled.catalogs)
