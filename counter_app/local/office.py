"""The in-process `Office`: services over the local store (the embedded one-PC hub)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from counter_app import accounts, audit, office_setup
from counter_app.audit import ChainReport
from counter_app.dossiers import actions as dossier_actions
from counter_app.dossiers import catalog, intake, portal_format
from counter_app.dossiers import queries as dossier_queries
from counter_app.dossiers.catalog_changes import catalog_change, unconfirmed_entries
from counter_app.errors import InvalidInput, NotFound, OfficeError
from counter_app.events import CatalogChanged, DossierChanged, EventBus, Listener, OfficeChanged, QueueChanged
from counter_app.local.accounts import LocalAccounts
from counter_app.local.health import LocalHealth
from counter_app.local.lists import LocalLists
from counter_app.local.machines import LocalMachines
from counter_app.local.printing import LocalPrinting
from counter_app.local.ratings import LocalRatings
from counter_app.local.sync import LocalSync
from counter_app.queue import figures as queue_figures
from counter_app.queue import service as queue_service
from counter_app.ratings import service as ratings
from counter_app.rules import clock_guard
from counter_app.rules.clock import aware, now
from counter_app.rules.queue import QueueSettings
from counter_app.rules.search_text import search_query
from counter_app.rules.textfold import fold
from counter_app.rules.throttle import Throttle
from counter_app.rules.workcal import due_at
from counter_app.store import Store
from counter_app.store.models import CatalogVersion, Dossier, Procedure, Ticket
from counter_app.views.accounts import Role
from counter_app.views.admin import CalendarDayView
from counter_app.views.catalog import CatalogChange, CatalogOverview
from counter_app.views.dossiers import (
    DocumentIn,
    DossierDetail,
    DossierSummary,
    IntakeForm,
    OfficeInfo,
    ProcedureInfo,
    PublicStatus,
)
from counter_app.views.queue import CallView, CounterQueue, QueueStatus, TicketView

log = logging.getLogger(__name__)


def _procedure_info(proc: Procedure, version: str) -> ProcedureInfo:
    time = catalog.procedure_time(proc)
    return ProcedureInfo(
        key=proc.key, code=proc.code, name=proc.name, field=proc.field, lane=proc.lane,
        time_kind=proc.time_kind, time_days=proc.time_days, time_label=time.label_vi(),
        handled_by=proc.handled_by, handling_agency=proc.handling_agency, fees=proc.fees,
        documents=proc.documents, results=proc.results, unconfirmed=proc.unconfirmed, catalog_version=version,
        cases=proc.cases,
    )


class LocalOffice(LocalAccounts, LocalLists, LocalPrinting, LocalSync, LocalHealth, LocalRatings, LocalMachines):
    """Implements `counter_app.office.Office` in this process.

    `clock` gives the time of each action (tests pin it); every write runs in one store
    transaction and announces its event only after the commit.
    """

    def __init__(self, store: Store, *, clock: Callable[[], datetime] = now) -> None:
        self.store = store
        self.clock = clock
        self.bus = EventBus()
        self._throttle = Throttle()
        self._queue_status: tuple[tuple[date, int], QueueStatus] | None = None  # ((day, store version), figures)

    # --- helpers
    def _now(self) -> datetime:
        return aware(self.clock())

    def _dossier_write(self, code: str, action: str, fn: Callable[[Session, datetime], Dossier]) -> DossierDetail:
        at = self._now()
        try:
            clock_guard.check(at)
            with self.store.write() as session:
                dossier = fn(session, at)
                dossier_code, status = dossier.code, dossier.status
        except OfficeError as exc:
            log.warning("%s %s refused: %s", action, code, exc)
            raise
        self.bus.publish(DossierChanged(dossier_code, status, action))
        return self.dossier(dossier_code)

    # --- the office and its catalog
    def info(self) -> OfficeInfo:
        with self.store.read() as s:
            office = office_setup.get_office(s)
            version = catalog.active_version(s)
            return OfficeInfo(
                ward_code=office.ward_code, ward_name=office.ward_name, province_name=office.province_name,
                agency_code=office.agency_code, name=office.name, parent_name=office.parent_name,
                address=office.address, phone=office.phone, email=office.email, hours=office.hours,
                same_day_cutoff=office.same_day_cutoff, catalog_version=version.version if version else None,
                lanes=[{**lane.model_dump(exclude={"id"}), "examples": catalog.lane_examples(s, lane.groups)}
                       for lane in office_setup.lanes(s)],
                counters=[c.model_dump(exclude={"id"}) for c in office_setup.counters(s)],
            )

    def save_counter(self, number: int, *, name: str, lanes: list[str], active: bool, actor: str) -> None:
        try:
            with self.store.write() as s:
                queue_service.save_counter(s, self._now(), number, name=name, lanes=lanes, active=active,
                                           actor=actor)
        except OfficeError as exc:
            log.warning("counter %s not saved: %s", number, exc)
            raise
        log.info("counter %s saved by %s", number, actor)
        self.bus.publish(OfficeChanged())

    def queue_settings(self) -> QueueSettings:
        with self.store.read() as s:
            return queue_service.settings(s)

    def save_queue_settings(self, value: QueueSettings, *, actor: str) -> QueueSettings:
        try:
            with self.store.write() as s:
                accounts.require(s, actor, Role.ADMINISTRATOR, "sửa quy tắc hàng chờ")
                current = queue_service.settings(s)
                changes = {k: v for k, v in value.model_dump().items() if getattr(current, k) != v}
                result = queue_service.configure(s, self._now(), actor, **changes) if changes else current
        except OfficeError as exc:
            log.warning("queue settings not saved: %s", exc)
            raise
        log.info("queue settings saved by %s", actor)
        self.bus.publish(OfficeChanged())
        return result

    def calendar_days(self) -> list[CalendarDayView]:
        with self.store.read() as s:
            return [CalendarDayView(day=d.day, kind=d.kind, note=d.note) for d in office_setup.calendar_days(s)]

    def set_calendar_day(self, day: date, kind: str, note: str = "", *, actor: str) -> None:
        try:
            with self.store.write() as s:
                accounts.require(s, actor, Role.ADMINISTRATOR, "sửa lịch làm việc của văn phòng")
                office_setup.set_calendar_day(s, day, kind, note.strip()[:200], actor=actor)
        except OfficeError as exc:
            log.warning("calendar day %s not set: %s", day, exc)
            raise
        log.info("calendar day %s set to %s by %s", day, kind, actor)
        self.bus.publish(OfficeChanged())

    def procedures(self, query: str = "") -> list[ProcedureInfo]:
        """Active procedures, grouped by field; `query` matches name or code without accents."""
        with self.store.read() as s:
            version = catalog.active_version(s)
            rows = s.exec(select(Procedure).where(col(Procedure.active))
                          .order_by(col(Procedure.lane), col(Procedure.field), col(Procedure.id))).all()
        words = fold(query).split()
        hits = [p for p in rows if all(w in fold(f"{p.code} {p.name} {p.field}") for w in words)]
        return [_procedure_info(p, version.version if version else "") for p in hits]

    def procedure(self, key: str) -> ProcedureInfo:
        with self.store.read() as s:
            proc = catalog.active_procedure(s, key)
            version = s.get(CatalogVersion, proc.catalog_version_id)
            return _procedure_info(proc, version.version if version else "")

    def public_status(self, code: str) -> PublicStatus:
        with self.store.read() as s:
            return dossier_queries.public_status(s, search_query(code))

    def frequent_procedures(self, limit: int = 10) -> list[str]:
        with self.store.read() as s:
            return dossier_queries.frequent_procedures(s, self.clock(), limit=max(1, min(limit, 50)))

    def preview_due(self, procedure: str, received_at: datetime | None = None) -> datetime:
        with self.store.read() as s:
            proc = catalog.active_procedure(s, procedure)
            calendar = office_setup.load_calendar(s)
        return due_at(received_at or self._now(), catalog.procedure_time(proc), calendar)

    def import_catalog(self, path: Path, *, actor: str) -> str:
        """A catalog file of this program, or the national portal's procedure records (a file or a folder of
        them) laid over the active catalog as its next version."""
        path = Path(path)
        if portal_format.is_portal_path(path):
            with self.store.read() as s:
                active = catalog.active_catalog(s)
            if active is None:
                raise InvalidInput("no active catalog to add portal records to",
                                   "Chưa có danh mục thủ tục để bổ sung bản ghi của Cổng Dịch vụ công.")
            spec = portal_format.lay_over(active, portal_format.read_records(path))
        else:
            spec = catalog.load_catalog_file(path)
        with self.store.write() as s:
            accounts.require(s, actor, Role.ADMINISTRATOR, "cập nhật danh mục thủ tục")
            catalog.import_catalog(s, spec, actor=actor)
        self.bus.publish(CatalogChanged(spec.version))
        return spec.version

    def import_catalog_text(self, text: str, *, actor: str) -> CatalogChange:
        """A catalog file's content (chosen on the administrator's PC, which may not be the hub's) as the next
        version; what it changes against the version in use."""
        spec = catalog.parse_catalog(text, "tệp đã chọn")
        try:
            with self.store.write() as s:
                accounts.require(s, actor, Role.ADMINISTRATOR, "cập nhật danh mục thủ tục")
                change = catalog_change(catalog.active_catalog(s), spec)
                catalog.import_catalog(s, spec, actor=actor)
        except OfficeError as exc:
            log.warning("catalog %s not imported: %s", spec.version, exc)
            raise
        log.info("catalog %s imported by %s: %d added, %d removed, %d changed", spec.version, actor,
                 len(change.added), len(change.removed), len(change.changed))
        self.bus.publish(CatalogChanged(spec.version))
        return change

    def catalog_overview(self) -> CatalogOverview:
        with self.store.read() as s:
            version = catalog.active_version(s)
            active = catalog.active_catalog(s)
        if version is None or active is None:
            raise NotFound("no active catalog", "Chưa có danh mục thủ tục nào được nạp.")
        return CatalogOverview(version=version.version, issued=version.issued, source=version.source,
                               procedures=len(active.procedures), unconfirmed=unconfirmed_entries(active))

    # --- dossiers
    def receive(self, form: IntakeForm, *, actor: str) -> DossierDetail:
        def run(s: Session, at: datetime) -> Dossier:
            return intake.receive(s, form, actor=actor, at=at, calendar=office_setup.load_calendar(s))

        return self._dossier_write(form.submission_id, "receive", run)

    def _act(self, code: str, action: str, fn: Callable[..., Dossier], **kwargs: Any) -> DossierDetail:
        return self._dossier_write(code, action, lambda s, at: fn(s, code, at=at, **kwargs))

    def _act_cal(self, code: str, action: str, fn: Callable[..., Dossier], **kwargs: Any) -> DossierDetail:
        return self._dossier_write(
            code, action, lambda s, at: fn(s, code, at=at, calendar=office_setup.load_calendar(s), **kwargs)
        )

    def request_supplement(self, code: str, *, missing: list[DocumentIn], reason: str, actor: str) -> DossierDetail:
        return self._act(code, "request_supplement", dossier_actions.request_supplement,
                         missing=missing, reason=reason, actor=actor)

    def receive_supplement(self, code: str, *, actor: str, note: str = "") -> DossierDetail:
        return self._act_cal(code, "receive_supplement", dossier_actions.receive_supplement, actor=actor, note=note)

    def refuse(self, code: str, *, reason: str, actor: str) -> DossierDetail:
        return self._act(code, "refuse", dossier_actions.refuse, reason=reason, actor=actor)

    def start_processing(self, code: str, *, actor: str, note: str = "") -> DossierDetail:
        return self._act(code, "start_processing", dossier_actions.start_processing, actor=actor, note=note)

    def hand_over(self, code: str, *, agency: str, actor: str, note: str = "") -> DossierDetail:
        return self._act(code, "hand_over", dossier_actions.hand_over, agency=agency, actor=actor, note=note)

    def request_fees(self, code: str, *, reason: str, actor: str) -> DossierDetail:
        return self._act(code, "request_fees", dossier_actions.request_fees, reason=reason, actor=actor)

    def fees_paid(self, code: str, *, receipt_no: str, actor: str) -> DossierDetail:
        return self._act(code, "fees_paid", dossier_actions.fees_paid, receipt_no=receipt_no, actor=actor)

    def collect_fees(self, code: str, *, method: str, actor: str) -> DossierDetail:
        return self._act(code, "collect_fees", dossier_actions.collect_fees, method=method, actor=actor)

    def result_ready(self, code: str, *, actor: str, results: list[str] | None = None) -> DossierDetail:
        return self._act(code, "result_ready", dossier_actions.result_ready, actor=actor, results=results)

    def return_result(
        self, code: str, *, to_whom: str, id_checked: bool, actor: str, id_number: str = ""
    ) -> DossierDetail:
        def run(s: Session, at: datetime) -> Dossier:
            dossier = dossier_actions.return_result(s, code, at=at, to_whom=to_whom, id_checked=id_checked,
                                                    actor=actor, id_number=id_number)
            ratings.ask_after_return(s, dossier, clerk=actor, at=at)  # the citizen's screen asks how it went
            return dossier

        return self._dossier_write(code, "return_result", run)

    def withdraw(self, code: str, *, reason: str, actor: str) -> DossierDetail:
        return self._act(code, "withdraw", dossier_actions.withdraw, reason=reason, actor=actor)

    def stop(self, code: str, *, reason: str, actor: str) -> DossierDetail:
        def run(s: Session, at: datetime) -> Dossier:
            accounts.require(s, actor, Role.SUPERVISOR, "dừng xử lý hồ sơ")
            return dossier_actions.stop(s, code, at=at, reason=reason, actor=actor)

        return self._dossier_write(code, "stop", run)

    def reschedule(self, code: str, *, reason: str, new_due: datetime, actor: str) -> DossierDetail:
        return self._act_cal(code, "reschedule", dossier_actions.reschedule, reason=reason, new_due=new_due,
                             actor=actor)

    def dossier(self, code: str) -> DossierDetail:
        with self.store.read() as s:
            return dossier_queries.detail(s, code, self._now())

    def search(self, query: str, *, limit: int = 50) -> list[DossierSummary]:
        with self.store.read() as s:
            return dossier_queries.find(s, query, self._now(), limit)

    def recent(self, *, limit: int = 50) -> list[DossierSummary]:
        with self.store.read() as s:
            return dossier_queries.recent(s, self._now(), limit)

    # --- the queue
    def _queue_write(self, step: str, fn: Callable[[Session, datetime], Ticket | None]) -> TicketView | None:
        at = self._now()
        try:
            with self.store.write() as session:
                ticket = fn(session, at)
                view = queue_figures.ticket_view(session, ticket) if ticket is not None else None
        except OfficeError as exc:
            log.warning("queue %s refused: %s", step, exc)
            raise
        if view is not None:
            self.bus.publish(QueueChanged(view.label, view.state, step, view.counter_no))
        return view

    def issue_ticket(
        self, *, lane: str = "", procedure: str = "", priority: str = "", source: str = "kiosk"
    ) -> TicketView:
        return self._queue_write("issue", lambda s, at: queue_service.issue(
            s, at, lane=lane, procedure=procedure, priority=priority, source=source, actor=source))

    def call_next(self, counter_no: int, *, actor: str) -> TicketView | None:
        return self._queue_write("call", lambda s, at: queue_service.call_next(s, at, counter_no, actor))

    def call_ticket(self, counter_no: int, label: str, *, actor: str) -> TicketView:
        return self._queue_write("call", lambda s, at: queue_service.call_ticket(s, at, counter_no, label, actor))

    def recall(self, counter_no: int, *, actor: str) -> TicketView:
        return self._queue_write("recall", lambda s, at: queue_service.recall(s, at, counter_no, actor))

    def start_serving(self, counter_no: int, *, actor: str) -> TicketView:
        return self._queue_write("serve", lambda s, at: queue_service.start_serving(s, at, counter_no, actor))

    def finish_ticket(self, counter_no: int, *, actor: str, dossier_codes: list[str] | None = None) -> TicketView:
        def run(s: Session, at: datetime) -> Ticket:
            ticket = queue_service.finish(s, at, counter_no, actor, list(dossier_codes or []))
            ratings.ask(s, service=f"ticket:{ticket.id}", counter_no=counter_no, clerk=actor, at=at,
                        lane_id=ticket.lane_id, dossier_code=(ticket.dossier_codes or [""])[0])
            return ticket

        return self._queue_write("finish", run)

    def no_show(self, counter_no: int, *, actor: str) -> TicketView:
        return self._queue_write("no_show", lambda s, at: queue_service.no_show(s, at, counter_no, actor))

    def transfer_ticket(
        self, counter_no: int, *, actor: str, to_lane: str = "", to_counter: int | None = None
    ) -> TicketView:
        return self._queue_write("transfer", lambda s, at: queue_service.transfer(
            s, at, counter_no, actor, to_lane=to_lane, to_counter=to_counter))

    def hold_ticket(self, counter_no: int, *, actor: str) -> TicketView:
        return self._queue_write("hold", lambda s, at: queue_service.hold(s, at, counter_no, actor))

    def set_counter_open(self, counter_no: int, is_open: bool, *, actor: str) -> None:
        with self.store.write() as s:
            queue_service.set_counter_open(s, self._now(), counter_no, is_open, actor)
        self.bus.publish(QueueChanged("", "", "open" if is_open else "close", counter_no))

    def close_queue_day(self, *, actor: str) -> int:
        """Close today's open tickets (and any left from earlier days) as not served."""
        at = self._now()
        with self.store.write() as s:
            accounts.require(s, actor, Role.SUPERVISOR, "đóng hàng chờ trong ngày")
            closed = queue_service.close_open_tickets(
                s, at, before=at.date() + timedelta(days=1), actor=actor, reason="closed by staff")
        self.bus.publish(QueueChanged("", "", "close_day"))
        return closed

    def ticket(self, label: str) -> TicketView:
        with self.store.read() as s:
            return queue_figures.ticket_view(s, queue_service.ticket_by_label(s, self._now().date(), label))

    def queue_status(self) -> QueueStatus:
        """Worked out once per change of the store: every board and counter panel asks after every change."""
        key = (self._now().date(), self.store.data_version())
        cached = self._queue_status
        if cached is not None and cached[0] == key:
            return cached[1].model_copy(deep=True)
        with self.store.read() as s:
            status = queue_figures.queue_status(s, key[0])
        self._queue_status = (key, status)
        return status.model_copy(deep=True)

    def counter_queue(self, counter_no: int) -> CounterQueue:
        with self.store.read() as s:
            return queue_figures.counter_queue(s, self._now().date(), counter_no)

    def calls_since(self, after_id: int, *, limit: int = 50) -> list[CallView]:
        with self.store.read() as s:
            return queue_figures.calls_since(s, after_id, limit)

    def tickets_of_day(self, day: date | None = None) -> list[TicketView]:
        with self.store.read() as s:
            return queue_figures.tickets_of_day(s, day or self._now().date())

    # --- audit and events
    def verify_log(self) -> ChainReport:
        with self.store.read() as s:
            return audit.verify_chain(s)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self.bus.subscribe(listener)
