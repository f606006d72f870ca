"""Shared fixtures: a fresh office store in a temporary folder, with a clock the test controls."""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from counter_app import accounts, office_setup
from counter_app.dossiers import catalog
from counter_app.local.office import LocalOffice
from counter_app.rules.applicant import subject_label
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.views.accounts import AccountIn, Role
from counter_app.views.dossiers import ApplicantIn, IntakeForm, SubjectIn

# The programs the tests start log here, not in the machine user's log folder.
os.environ.setdefault("COUNTER_APP_LOG_DIR", tempfile.mkdtemp(prefix="counter-app-test-logs-"))

AGENCY = "000.00.73.H26"
STAFF_PASSWORD = "matkhau-2026"
_STAFF_HASH = accounts.hash_password(STAFF_PASSWORD)  # once per run: argon2 is slow on purpose
# The staff of every ready test office: actors named in tests are these accounts.
STAFF = (("admin", "Quản Trị Viên", Role.ADMINISTRATOR), ("truongbp", "Trưởng Bộ Phận", Role.SUPERVISOR),
         ("canbo1", "Nguyễn Thị Lan", Role.CLERK), ("canbo2", "Trần Văn Minh", Role.CLERK))


def add_staff(session) -> None:
    at = datetime(2026, 11, 1, 8, 0, tzinfo=TZ)
    for username, name, role in STAFF:
        accounts.save(session, AccountIn(username=username, full_name=name, role=role), at=at,
                      actor=accounts.SYSTEM, password_hash=_STAFF_HASH)


class Clock:
    """A settable clock for `LocalOffice`."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, *args: int) -> None:
        self.at = datetime(*args, tzinfo=TZ)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.sqlite3"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def ready_store(store: Store) -> Store:
    """A store with the Cửa Nam office and the bundled catalog."""
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code=AGENCY, actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
        add_staff(s)
    return store


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 9, 30, tzinfo=TZ))  # a Monday morning


@pytest.fixture
def office(ready_store: Store, clock: Clock) -> LocalOffice:
    return LocalOffice(ready_store, clock=clock)


def make_form(procedure: str = "1.004222", **applicant: object) -> IntakeForm:
    data = {"name": "Nguyễn Văn Đức", "id_number": "001090012345", "phone": "0912345678",
            "address": "Số 12 Hàng Bông, Phường Cửa Nam, Thành phố Hà Nội"}
    data.update(applicant)
    # A birth, death or guardianship concerns someone besides the applicant: a child born last week here.
    subject = SubjectIn(name="Nguyễn Minh An", birth_date=date(2026, 11, 16)) if subject_label(procedure) else None
    return IntakeForm(submission_id=str(uuid.uuid4()), procedure=procedure, applicant=ApplicantIn(**data),
                      subject=subject)


def signed_in(office: LocalOffice, username: str = "canbo1", counter_no: int | None = None):
    """A real sign-in of one of the test staff (argon2 verification included)."""
    return office.sign_in(username, STAFF_PASSWORD, counter_no=counter_no)


@pytest.fixture(autouse=True)
def _gc_on_the_gui_thread(request):
    """A test with Qt collects garbage on the GUI thread only, as the applications do (`ui.common.collector`)."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from ui.common import collector

    guard = collector.install(request.getfixturevalue("qapp"))
    yield
    guard.uninstall()
