"""The demo office: Phường Cửa Nam (Hà Nội), the bundled catalog, and a few weeks of dossiers.

Everything goes through the real services with past times, so the demo data obeys the
same rules (codes, due times, events, outbox) as real work.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from counter_app import accounts, office_setup
from counter_app.dossiers import actions as dossier_actions
from counter_app.dossiers import catalog, intake
from counter_app.errors import OfficeError
from counter_app.local.office import LocalOffice
from counter_app.printing import jobs as print_jobs
from counter_app.rules.applicant import subject_label
from counter_app.rules.clock import TZ, now
from counter_app.rules.lifecycle import Status
from counter_app.rules.workcal import WorkCalendar
from counter_app.store import Store
from counter_app.store.models import OfficeRow, Procedure
from counter_app.views.accounts import AccountIn, Role
from counter_app.views.dossiers import ApplicantIn, DocumentIn, IntakeForm, SubjectIn
from counter_app.views.printing import PrinterConfig

DEMO_WARD_CODE = 73  # Phường Cửa Nam, Thành phố Hà Nội
DEMO_AGENCY_CODE = "000.00.73.H26"  # a demo value, not an official code
DEMO_CLERKS = ("canbo1", "canbo2", "canbo3")
DEMO_PASSWORD = "motcua2026"  # every demo account's password (README); change it in a real office
# username, full name, role
DEMO_ACCOUNTS = (
    ("canbo1", "Nguyễn Thị Lan", Role.CLERK),
    ("canbo2", "Trần Văn Minh", Role.CLERK),
    ("canbo3", "Lê Thu Hà", Role.CLERK),
    ("totruong", "Phạm Quang Huy", Role.SUPERVISOR),
    ("quantri", "Đỗ Thanh Tùng", Role.ADMINISTRATOR),
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh")
MIDDLE_M = ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Thanh", "Công")
MIDDLE_F = ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Diệu")
GIVEN_M = ("Đức", "Hùng", "Dũng", "Long", "Tuấn", "Quân", "Sơn", "Phong", "Khánh", "Đạt", "Hiếu", "Tùng")
GIVEN_F = ("Hương", "Lan", "Mai", "Hà", "Linh", "Trang", "Thảo", "Ngân", "Yến", "Đào", "Huyền", "Nhung")
STREETS = ("Hàng Bông", "Lý Thường Kiệt", "Trần Hưng Đạo", "Quán Sứ", "Hai Bà Trưng", "Phan Bội Châu",
           "Thợ Nhuộm", "Hàng Bài", "Lê Duẩn", "Điện Biên Phủ", "Nguyễn Du", "Trần Quốc Toản", "Hàng Trống")
# Certification and civil status dominate a ward's counter.
WEIGHTS = {"ct.ban-sao": 30, "ct.chu-ky": 10, "ht.khai-sinh": 8, "ht.ban-sao-trich-luc": 6, "ht.ket-hon": 4,
           "ht.khai-tu": 3, "ht.xac-nhan-hon-nhan": 6, "cutru.tam-tru": 6, "cutru.thuong-tru": 4,
           "kd.dang-ky-hkd": 3, "xd.cap-gpxd": 2, "dd.dang-ky-bien-dong": 2, "xh.xac-dinh-khuyet-tat": 1}


@dataclass(frozen=True)
class DemoReport:
    created: bool
    dossiers: int


def _subject(rng: random.Random, key: str, applicant: ApplicantIn, day: date) -> SubjectIn | None:
    """The child, the deceased or the ward a procedure concerns (another person of the family), if it has one."""
    if not subject_label(key):
        return None
    other = _person(rng)
    young = key.startswith("ht.khai-sinh") or "lai-khai-sinh" in key
    born = day - timedelta(days=rng.randint(3, 50)) if young else other.birth_date
    return SubjectIn(name=f"{applicant.name.split()[0]} {' '.join(other.name.split()[1:])}",
                     birth_date=born, id_number="" if young else other.id_number)


def _person(rng: random.Random) -> ApplicantIn:
    female = rng.random() < 0.5
    name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)))
    birth = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    century = (birth.year // 100 - 19) * 2 + (1 if female else 0)
    id_number = f"001{century}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
    phone = f"0{rng.choice('3579')}{rng.randint(0, 99_999_999):08d}"
    address = f"Số {rng.randint(1, 120)} {rng.choice(STREETS)}, Phường Cửa Nam, Thành phố Hà Nội"
    return ApplicantIn(name=name, id_number=id_number, birth_date=birth, phone=phone, address=address)


def _working_moments(calendar: WorkCalendar, start: date, end: date, rng: random.Random, per_day: tuple[int, int]):
    day = start
    while day <= end:
        for open_at, close_at in calendar.intervals(day):
            span = int((close_at - open_at).total_seconds())
            for _ in range(rng.randint(*per_day) // 2):
                yield open_at + timedelta(seconds=rng.randint(0, span - 60))
        day += timedelta(days=1)


def _progress(session, code: str, received: datetime, due: datetime | None, today: datetime,
              rng: random.Random, calendar: WorkCalendar, clerk: str) -> None:
    """Move a demo dossier along as a real one would have been by now."""
    step = received + timedelta(minutes=rng.randint(20, 180))
    if step >= today:
        return
    roll = rng.random()
    if roll < 0.03:
        dossier_actions.withdraw(session, code, reason="Công dân xin rút để bổ sung thông tin", actor=clerk, at=step)
        return
    dossier_actions.start_processing(session, code, actor=clerk, at=step)
    if due is None:
        return
    finish = due - timedelta(hours=rng.uniform(0.5, 20))
    if roll < 0.08:  # late: apology with a new date, some still open
        finish = due + timedelta(days=rng.randint(1, 4))
        new_due = datetime.combine(calendar.next_working_day(finish.date()), time(17), TZ)
        if due - timedelta(hours=2) < today:
            dossier_actions.reschedule(session, code, reason="Cần xác minh thêm với cơ quan liên quan",
                                       new_due=new_due, actor=clerk, at=due - timedelta(hours=2), calendar=calendar)
    finish = max(finish, step + timedelta(minutes=5))
    if finish >= today or roll < 0.12:  # some are still being processed (a few overdue)
        return
    dossier_actions.result_ready(session, code, actor=clerk, at=finish)
    back = finish + timedelta(hours=rng.uniform(1, 72))
    if back < today and rng.random() < 0.9:
        dossier_actions.return_result(session, code, to_whom="Người nộp hồ sơ", id_checked=True,
                                      actor=clerk, at=back)


def create_demo(store: Store, *, days: int = 28, per_day: tuple[int, int] = (10, 24), seed: int = 2025,
                if_empty: bool = False) -> DemoReport:
    """Set up the demo office and fill it with dossiers received over the last `days` days."""
    with store.read() as s:
        exists = s.get(OfficeRow, 1) is not None
    if exists and if_empty:
        with store.write() as s:  # an office made before accounts existed gets the demo staff
            if not accounts.accounts(s):
                _demo_accounts(s, now())
        return DemoReport(False, 0)
    rng = random.Random(seed)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=DEMO_WARD_CODE, agency_code=DEMO_AGENCY_CODE, actor=accounts.SYSTEM,
                                  address="Số 1 Hàng Bông, Phường Cửa Nam, Thành phố Hà Nội",
                                  phone="02438250000", counters=5)
        if catalog.active_version(s) is None:
            catalog.import_catalog(s, catalog.bundled_catalog(), actor=accounts.SYSTEM)
        _demo_printers(s, now())
        _demo_accounts(s, now())
        calendar = office_setup.load_calendar(s)
        procs = {p.key: p for p in s.exec(select(Procedure).where(col(Procedure.active))).all()}
    keys = [k for k in WEIGHTS if k in procs]
    today = now()
    count = 0
    start = today.date() - timedelta(days=days)
    for at in _working_moments(calendar, start, today.date(), rng, per_day):
        if at >= today:
            continue
        key = rng.choices(keys, weights=[WEIGHTS[k] for k in keys])[0]
        proc = procs[key]
        clerk = rng.choice(DEMO_CLERKS)
        outcome = "receive" if rng.random() > 0.05 else rng.choice(("supplement", "refuse"))
        docs = [DocumentIn(**d, provided=not (outcome == "supplement" and d["mandatory"])) for d in proc.documents]
        if outcome == "supplement" and all(d.provided for d in docs):
            outcome = "receive"
        applicant = _person(rng)
        subject = _subject(rng, key, applicant, at.date())
        form = IntakeForm(
            submission_id=str(uuid.UUID(int=rng.getrandbits(128))), procedure=key, applicant=applicant,
            subject=subject, documents=docs, counter_no=DEMO_CLERKS.index(clerk) + 1, outcome=outcome,
            reason={"receive": "", "supplement": "Thiếu giấy tờ bắt buộc",
                    "refuse": "Hồ sơ không thuộc thẩm quyền giải quyết"}[outcome],
        )
        try:
            with store.write() as s:
                dossier = intake.receive(s, form, actor=clerk, at=at, calendar=calendar)
                if dossier.status == Status.RECEIVED:
                    _progress(s, dossier.code, at, dossier.due_at, today, rng, calendar, clerk)
        except OfficeError:  # the demo never stops on one bad draw; the transaction rolled back
            continue
        count += 1
    _demo_queue(store, today, rng)
    return DemoReport(True, count)


def _demo_accounts(session: Session, at: datetime) -> None:
    """Demo staff, all with `DEMO_PASSWORD` (one hash: argon2 is slow on purpose)."""
    password_hash = accounts.hash_password(DEMO_PASSWORD)
    for username, full_name, role in DEMO_ACCOUNTS:
        if accounts.get(session, username) is None:
            accounts.save(session, AccountIn(username=username, full_name=full_name, role=role), at=at,
                          actor=accounts.SYSTEM, password_hash=password_hash)


DEMO_LOOKUP_URL = "http://127.0.0.1:8800"


def _demo_printers(session: Session, at: datetime) -> None:
    """Three printers writing files to the preview folder: what a one-PC office starts with."""
    for config in (
        PrinterConfig(name="Máy in vé", kind="thermal", paper_mm=80, purposes=["ticket"]),
        PrinterConfig(name="Máy in phiếu", kind="thermal", paper_mm=80, purposes=["slip"]),
        PrinterConfig(name="Máy in A4", kind="a4", purposes=["a4"]),
    ):
        print_jobs.save_printer(session, config, at)
    # Receipts' QR open the status page of the city `counter-app city serve` runs on this PC (port 8800).
    settings = print_jobs.settings(session)
    print_jobs.save_settings(session, settings.model_copy(update={"public_lookup_url": DEMO_LOOKUP_URL}))


def _demo_queue(store: Store, today: datetime, rng: random.Random) -> None:
    """This morning's queue: tickets of the last hour, most served by counters 2–5, some still waiting.

    Counter 1 is left free for whoever opens the clerk app; counters 2 and 3 stay open so the
    kiosk can estimate waits.
    """
    moments = iter(today - timedelta(minutes=90 - 3 * i) for i in range(30))
    clock = [today - timedelta(minutes=90)]
    office = LocalOffice(store, clock=lambda: clock[0])
    for n in (2, 3, 4, 5):
        office.set_counter_open(n, True, actor=DEMO_CLERKS[(n - 2) % len(DEMO_CLERKS)])
    lanes = ["A", "A", "A", "B", "B", "C", "D", "E", "G"]
    for i, at in enumerate(moments):
        clock[0] = at
        office.issue_ticket(lane=rng.choice(lanes), priority="elderly" if rng.random() < 0.12 else "")
        if i % 2 == 1 and i < 24:  # a counter takes someone every six minutes
            counter = 2 + (i // 2) % 4
            actor = DEMO_CLERKS[(counter - 2) % len(DEMO_CLERKS)]
            if office.call_next(counter, actor=actor) is not None:
                clock[0] = at + timedelta(seconds=rng.randint(30, 90))
                office.start_serving(counter, actor=actor)
                clock[0] = at + timedelta(seconds=rng.randint(150, 170))
                office.finish_ticket(counter, actor=actor)
    for n in (4, 5):
        office.set_counter_open(n, False, actor="quantri")
