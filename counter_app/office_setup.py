"""The office's identity (a commune/ward of `vietnam-provinces`), hours, lanes, counters and calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from counter_app import audit
from counter_app.errors import ConfigError, InvalidInput, NotFound
from counter_app.rules.clock import now
from counter_app.rules.workcal import OfficeHours, WorkCalendar
from counter_app.store.models import CalendarDay, Counter, Lane, OfficeRow

_AGENCY = re.compile(r"[0-9A-Z]{1,4}(\.[0-9A-Z]{1,4}){1,4}")

# The six kiosk groups of the queue issue; a procedure's `lane` is one of them.
DEFAULT_LANES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("A", "Hộ tịch", ("Hộ tịch",)),
    ("B", "Chứng thực", ("Chứng thực",)),
    ("C", "Cư trú", ("Cư trú",)),
    ("D", "Đất đai – Xây dựng", ("Đất đai – Xây dựng",)),
    ("E", "Kinh doanh", ("Kinh doanh",)),
    ("G", "Lao động – Xã hội", ("Lao động – Xã hội",)),
)


@dataclass(frozen=True)
class WardInfo:
    code: int
    name: str
    province_code: int
    province_name: str


def find_ward(code: int) -> WardInfo:
    """A commune/ward of the official list; a clear error for a code that is not in it."""
    try:
        ward = Ward.from_code(WardCode(int(code)))
    except (ValueError, TypeError, KeyError):
        raise NotFound(
            f"ward code {code!r} is not in vietnam-provinces",
            f"Mã phường/xã “{code}” không có trong danh mục đơn vị hành chính.",
        ) from None
    province = Province.from_code(ProvinceCode(ward.province_code))
    return WardInfo(int(ward.code), ward.name, int(ward.province_code), province.name)


def check_agency_code(code: str) -> str:
    value = code.strip().upper()
    if not _AGENCY.fullmatch(value):
        raise InvalidInput(
            f"agency code {code!r} is not like 000.17.22.H56",
            f"Mã định danh cơ quan “{code}” không hợp lệ (ví dụ đúng: 000.17.22.H56).",
        )
    return value


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def setup_office(
    session: Session,
    *,
    ward_code: int,
    agency_code: str,
    actor: str,
    name: str = "",
    parent_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    hours: OfficeHours | None = None,
    counters: int | None = None,
) -> OfficeRow:
    """Create or update the office; the first time also its default lanes and counters (3 unless `counters`).

    On an existing office `counters` adds the counters missing up to that number, with every lane; it
    never takes one away (a counter with a history is taken out of service, not deleted)."""
    ward = find_ward(ward_code)
    agency = check_agency_code(agency_code)
    hours = hours or OfficeHours.default()
    row = session.get(OfficeRow, 1)
    first_time = row is None
    if row is None:
        row = OfficeRow(
            id=1, ward_code=ward.code, ward_name=ward.name, province_code=ward.province_code,
            province_name=ward.province_name, agency_code=agency, name="", created_at=now(),
        )
    row.ward_code, row.ward_name = ward.code, ward.name
    row.province_code, row.province_name = ward.province_code, ward.province_name
    row.agency_code = agency
    row.name = name or f"Trung tâm Phục vụ hành chính công {_lower_first(ward.name)}"
    row.parent_name = parent_name or f"Ủy ban nhân dân {_lower_first(ward.name)}"
    row.address = address or f"{ward.name}, {ward.province_name}"
    row.phone, row.email = phone, email
    row.hours = hours.to_rows()
    row.same_day_cutoff = hours.cutoff.strftime("%H:%M")
    session.add(row)
    if first_time:
        for sort, (prefix, lane_name, groups) in enumerate(DEFAULT_LANES):
            session.add(Lane(prefix=prefix, name=lane_name, groups=list(groups), sort=sort))
    if counters is not None or first_time:
        _add_counters(session, 3 if counters is None else counters, first_time=first_time)
    audit.append(
        session, at=now(), actor=actor, subject="office", kind="office.setup" if first_time else "office.updated",
        details={"ward_code": ward.code, "agency_code": agency, "name": row.name},
    )
    session.flush()
    return row


def _add_counters(session: Session, wanted: int, *, first_time: bool) -> None:
    if wanted < 1:
        raise InvalidInput(f"office with {wanted} counters", "Văn phòng cần ít nhất 1 quầy.")
    have = {c.number for c in session.exec(select(Counter)).all()}
    if not first_time and wanted < len(have):
        raise InvalidInput(
            f"setup asks for {wanted} counters, the office has {len(have)}: counters are not removed here",
            f"Văn phòng đang có {len(have)} quầy; thiết lập chỉ thêm quầy, không bớt. Quầy không dùng nữa "
            "được cho ngừng hoạt động, vì lịch sử của quầy phải được giữ.")
    session.flush()  # the lanes of a first set-up, for their prefixes
    lanes = [lane.prefix for lane in session.exec(select(Lane).order_by(col(Lane.sort))).all()]
    for number in range(1, wanted + 1):
        if number not in have:
            session.add(Counter(number=number, name=f"Quầy số {number}", lanes=lanes))


def get_office(session: Session) -> OfficeRow:
    row = session.get(OfficeRow, 1)
    if row is None:
        raise ConfigError(
            "office is not set up: run `counter-app office setup` or `counter-app demo`",
            "Văn phòng chưa được thiết lập. Quản trị viên cần khai báo phường/xã và mã định danh cơ quan.",
        )
    return row


def set_calendar_day(session: Session, day: date, kind: str, note: str, *, actor: str) -> None:
    """Add an office day off (`off`) or make-up working day (`work`), or remove one (`national`)."""
    if kind not in ("off", "work", "national"):
        raise InvalidInput(f"calendar day kind {kind!r}", "Loại ngày phải là nghỉ, làm bù hoặc theo lịch chung.")
    existing = session.get(CalendarDay, day)
    if kind == "national":
        if existing is not None:
            session.delete(existing)
    elif existing is None:
        session.add(CalendarDay(day=day, kind=kind, note=note))
    else:
        existing.kind, existing.note = kind, note
    audit.append(session, at=now(), actor=actor, subject="office", kind="calendar.changed",
                 details={"day": day.isoformat(), "kind": kind, "note": note})


def calendar_days(session: Session) -> list[CalendarDay]:
    """The office's own days off and make-up working days, in date order."""
    return list(session.exec(select(CalendarDay).order_by(col(CalendarDay.day))).all())


def load_calendar(session: Session) -> WorkCalendar:
    office = get_office(session)
    days = session.exec(select(CalendarDay)).all()
    return WorkCalendar(
        hours=OfficeHours.from_rows(office.hours, office.same_day_cutoff),
        extra_days_off=frozenset(d.day for d in days if d.kind == "off"),
        extra_work_days=frozenset(d.day for d in days if d.kind == "work"),
    )


def lanes(session: Session) -> list[Lane]:
    return list(session.exec(select(Lane).order_by(col(Lane.sort))).all())


def counters(session: Session) -> list[Counter]:
    return list(session.exec(select(Counter).order_by(col(Counter.number))).all())
