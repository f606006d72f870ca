"""The administrator's changes to the office: counters (add, rename, lanes, out of service) and its own days
off and make-up days; each refused to a clerk by the services themselves."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter_app.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from counter_app.rules.clock import TZ


def _counter(office, number: int) -> dict:
    return next(c for c in office.info().counters if c["number"] == number)


def test_an_administrator_adds_renames_and_takes_a_counter_out_of_service(office):
    office.save_counter(4, name="Quầy đất đai", lanes=["d", "A"], active=True, actor="admin")
    four = _counter(office, 4)
    assert (four["name"], four["lanes"], four["active"]) == ("Quầy đất đai", ["D", "A"], True)
    office.set_counter_open(4, True, actor="admin")
    office.save_counter(4, name="  Quầy   đất đai  ", lanes=["D"], active=False, actor="admin")
    four = _counter(office, 4)
    assert (four["name"], four["lanes"], four["active"], four["is_open"]) == ("Quầy đất đai", ["D"], False, False)
    with pytest.raises(NotFound):
        office.set_counter_open(4, True, actor="admin")  # out of service: nobody opens it


def test_a_counter_with_a_ticket_at_it_stays_in_service(office):
    office.set_counter_open(1, True, actor="canbo1")
    office.issue_ticket(lane="A")
    office.call_next(1, actor="canbo1")
    with pytest.raises(InvalidTransition) as busy:
        office.save_counter(1, name="Quầy số 1", lanes=["A"], active=False, actor="admin")
    assert "đang có vé" in busy.value.message_vi
    assert _counter(office, 1)["active"]


def test_bad_counters_are_refused_in_vietnamese(office):
    for number, lanes, words in ((0, ["A"], "từ 1 đến 99"), (5, [], "ít nhất một hàng chờ")):
        with pytest.raises(InvalidInput) as bad:
            office.save_counter(number, name="", lanes=lanes, active=True, actor="admin")
        assert words in bad.value.message_vi
    with pytest.raises(NotFound):
        office.save_counter(5, name="", lanes=["Z"], active=True, actor="admin")
    assert all(c["number"] != 5 for c in office.info().counters)


def test_an_office_day_off_moves_the_due_dates_and_a_clerk_cannot_set_one(office):
    received = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)  # Wednesday
    before = office.preview_due("1.014056", received)  # three working days
    office.set_calendar_day(date(2026, 11, 26), "off", "Tổng vệ sinh trụ sở", actor="admin")
    assert [(d.day, d.kind, d.note) for d in office.calendar_days()] == [
        (date(2026, 11, 26), "off", "Tổng vệ sinh trụ sở")]
    assert office.preview_due("1.014056", received) > before
    office.set_calendar_day(date(2026, 11, 26), "national", actor="admin")
    assert office.calendar_days() == []
    for act in (lambda: office.set_calendar_day(date(2026, 11, 27), "off", actor="canbo1"),
                lambda: office.save_counter(6, name="", lanes=["A"], active=True, actor="canbo1"),
                lambda: office.save_counter(1, name="", lanes=["A"], active=True, actor="truongbp")):
        with pytest.raises(Forbidden):
            act()
    with pytest.raises(InvalidInput):
        office.set_calendar_day(date(2026, 11, 27), "holiday", actor="admin")


def test_queue_rules_are_the_administrator_s(office):
    from counter_app.rules.queue import QueueSettings

    saved = office.save_queue_settings(QueueSettings(recalls_before_no_show=0), actor="admin")
    assert saved.recalls_before_no_show == 0 and office.queue_settings() == saved
    with pytest.raises(Forbidden):
        office.save_queue_settings(QueueSettings(recalls_before_no_show=5), actor="truongbp")
    assert office.queue_settings().recalls_before_no_show == 0


def test_a_lan_pc_registered_from_the_screen_gets_what_join_reads(office, tmp_path):
    from counter_app.cli import join
    from counter_app.settings import load_settings

    fingerprint = ":".join(["AB"] * 32)
    office.lan_address = lambda: ("https://192.168.1.10:8470", fingerprint)
    setup = office.register_machine("DanhGia-2", "rating", 2, actor="admin")
    assert (setup.machine.name, setup.machine.kind.value, setup.machine.counter_no) == ("danhgia-2", "rating", 2)
    assert join.parse(setup.scan_text) == ("https://192.168.1.10:8470", fingerprint, setup.token)
    settings_file = tmp_path / "pc" / "settings.toml"
    settings_file.parent.mkdir()
    settings_file.write_text('counter = 2\nhub_url = "https://old:1"\n', encoding="utf-8")
    join.set_keys(settings_file, {"hub_url": "https://192.168.1.10:8470", "hub_fingerprint": fingerprint})
    loaded = load_settings(settings_file)
    assert (loaded.counter, loaded.hub_url, loaded.hub_fingerprint) == (2, "https://192.168.1.10:8470", fingerprint)
    with pytest.raises(InvalidInput):
        join.parse("counter-app:join hub_url=http://evil hub_fingerprint=AB token=x")
    with pytest.raises(Forbidden):
        office.register_machine("quay-9", "counter", 1, actor="truongbp")
    with pytest.raises(InvalidInput):
        office.register_machine("quay-9", "printer", None, actor="admin")
    assert office.revoke_machine("danhgia-2", actor="admin").revoked_at is not None
    assert [m.name for m in office.machines()] == ["danhgia-2"]


def test_a_catalog_is_imported_by_an_administrator_only_and_garbage_is_refused(office):
    from counter_app.dossiers.catalog import bundled_catalog

    newer = bundled_catalog().model_copy(update={"version": "2099.1"})
    with pytest.raises(Forbidden):
        office.import_catalog_text(newer.model_dump_json(), actor="truongbp")
    with pytest.raises(InvalidInput) as garbage:
        office.import_catalog_text("{not json", actor="admin")
    assert "không đúng định dạng" in garbage.value.message_vi
    change = office.import_catalog_text(newer.model_dump_json(), actor="admin")
    assert (change.version, change.added, change.removed, change.changed) == ("2099.1", [], [], [])
    assert office.catalog_overview().version == "2099.1"
