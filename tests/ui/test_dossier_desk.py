"""After intake: the list, the detail view and its actions (each printing its slip), the daily view, sign-in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit
from sqlmodel import select

from counter_app.views.accounts import Role
from counter_app.views.dossiers import DocumentIn
from counter_app.views.printing import PrinterConfig
from tests.conftest import STAFF_PASSWORD, make_form, signed_in
from ui.desk.action_dialog import ActionDialog
from ui.desk.clerk_window import ClerkWindow
from ui.desk.dossier_detail import DossierDetailDialog
from ui.desk.sign_in import SignInDialog

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)


def _answer(**values):
    """Fill an action dialog as a clerk would, then press its OK button; record what it said."""
    said: list[str] = []

    def ask(dialog: ActionDialog) -> bool:
        for name, value in values.items():
            widget = dialog.inputs[name]
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(value)
            elif isinstance(widget, QListWidget):
                for i in range(widget.count()):
                    item = widget.item(i)
                    item.setCheckState(Qt.CheckState.Checked if item.text() in value else Qt.CheckState.Unchecked)
        dialog._accept()
        said.append(dialog.banner.text())
        return dialog.perform is not None

    ask.said = said
    return ask


@pytest.fixture
def desk(qtbot, office):
    office.save_printer(PrinterConfig(name="Máy in A4", kind="a4", purposes=["a4"]), actor="admin")
    office.save_printer(PrinterConfig(name="Máy in phiếu", kind="thermal", purposes=["slip"]), actor="admin")
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def _detail(qtbot, desk, code: str, ask) -> DossierDetailDialog:
    dialog = DossierDetailDialog(desk.office, desk.office.dossier(code), actor=desk.actor,
                                 counter_no=desk.counter_no, names=desk.names, parent=desk, ask=ask)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _act(qtbot, dialog: DossierDetailDialog, action: str, status: int) -> None:
    assert action in dialog.action_buttons, f"{action} not offered in {list(dialog.action_buttons)}"
    dialog.action_buttons[action].click()
    qtbot.waitUntil(lambda: dialog.dossier.status == status and not dialog.busy, timeout=5000)
    qtbot.waitUntil(lambda: "Đã gửi lệnh in" in dialog.banner.text() or not dialog.banner.text().endswith("…"),
                    timeout=5000)
    dialog.runner.wait()


def _jobs(office) -> list[tuple[str, str]]:
    return [(j.kind, j.request.code) for j in reversed(office.print_jobs(active_only=False))]


def test_supplement_then_result_and_return_each_print_their_slip(qtbot, desk, office, clock):
    code = office.receive(make_form(), actor="canbo1").code
    dialog = _detail(qtbot, desk, code, _answer(missing=["Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"],
                                                reason="Thiếu hợp đồng thuê nhà có công chứng"))
    assert set(dialog.action_buttons) >= {"request_supplement", "start_processing", "result_ready", "withdraw",
                                          "reschedule"}
    assert "return_result" not in dialog.action_buttons  # only what the status allows
    _act(qtbot, dialog, "request_supplement", 5)
    assert dialog.history.item(0, 2).text() == "Yêu cầu bổ sung hồ sơ"
    assert dialog.history.item(0, 1).text() == "Nguyễn Thị Lan"  # who, by name
    assert "Thiếu hợp đồng thuê nhà" in dialog.history.item(0, 4).text()
    # stopping is a supervisor's; the intake's fee is still to be collected
    assert set(dialog.action_buttons) == {"receive_supplement", "refuse", "withdraw", "collect_fees"}

    clock.at += timedelta(days=1)
    dialog.ask = _answer(note="Đã nộp hợp đồng thuê nhà")
    _act(qtbot, dialog, "receive_supplement", 2)
    dialog.ask = _answer(results="Giấy xác nhận đăng ký thường trú")
    _act(qtbot, dialog, "result_ready", 9)
    assert dialog.grab().save(str(SHOTS / "detail_result_ready.png"))

    dialog.ask = _answer(to_whom="", id_checked=True)  # the person collecting must be named
    dialog.action_buttons["return_result"].click()
    assert dialog.ask.said == ["Cần nhập người nhận kết quả."] and office.dossier(code).status == 9
    dialog.ask = _answer(to_whom="Nguyễn Văn Đức", id_number="001090012345", id_checked=True)
    _act(qtbot, dialog, "return_result", 10)
    d = office.dossier(code)
    assert (d.returned_to, d.returned_id_checked) == ("Nguyễn Văn Đức", True)
    assert [e.actor for e in d.events] == ["canbo1"] * 5
    qtbot.waitUntil(lambda: len(_jobs(office)) == 3, timeout=5000)
    assert _jobs(office) == [("supplement", code), ("receipt", code), ("result_slip", code)]
    assert set(dialog.action_buttons) == {"collect_fees"}  # the dossier has ended: only its unpaid fee is left
    assert dialog.grab().save(str(SHOTS / "detail_view.png"))
    dialog.close()


def test_refusal_and_apology_print_and_reprint_any_slip(qtbot, desk, office, clock):
    code = office.receive(make_form(name="Trần Thị Hương"), actor="canbo1").code
    refused = office.receive(make_form(name="Lê Văn Tám"), actor="canbo1").code
    office.request_supplement(refused, missing=[DocumentIn(name="Tờ khai thay đổi thông tin cư trú (CT01)")],
                              reason="Thiếu tờ khai", actor="canbo1")

    dialog = _detail(qtbot, desk, refused, _answer(reason="Hồ sơ không thuộc thẩm quyền của phường"))
    _act(qtbot, dialog, "refuse", 3)
    dialog.close()

    clock.at += timedelta(days=20)  # long past the 7 working days
    apology = _detail(qtbot, desk, code, _answer(reason="Chờ xác minh của công an"))
    assert "QUÁ HẠN" in apology.values["Trạng thái"].text()
    _act(qtbot, apology, "reschedule", 2)
    assert office.dossier(code).due_at > clock.at  # the default new date lies ahead, not a day after the old one
    reprint = [a.text() for a in apology.reprint_menu.actions()]
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in reprint and "Phiếu trả kết quả" not in reprint
    apology.reprint_menu.actions()[0].trigger()  # the receipt again
    qtbot.waitUntil(lambda: len(_jobs(office)) == 3, timeout=5000)
    assert _jobs(office) == [("refusal", refused), ("apology", code), ("receipt", code)]
    apology.close()


def test_a_failed_action_keeps_the_dossier_and_says_why(qtbot, desk, office):
    code = office.receive(make_form(), actor="canbo1").code
    answer = _answer(reason="Không liên lạc được")
    shown: list[str] = []

    def once(action_dialog: ActionDialog) -> bool:  # the clerk answers, then closes the dialog when it returns
        shown.append(action_dialog.banner.text())
        return answer(action_dialog) if len(shown) == 1 else False

    # A screen that took canbo1 for a supervisor offers "stop"; the office decides, and refuses.
    dialog = DossierDetailDialog(office, office.dossier(code), actor="canbo1", counter_no=1, ask=once,
                                 role=Role.SUPERVISOR)
    qtbot.addWidget(dialog)
    dialog.action_buttons["stop"].click()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert "không có quyền" in dialog.banner.text() and office.dossier(code).status == 2
    assert "không có quyền" in shown[1]  # the action's own dialog came back saying why
    dialog.close()


def test_list_filters_colours_and_opens_a_dossier(qtbot, desk, office, clock):
    late = office.receive(make_form("ct.chu-ky", name="Đặng Thị Hương"), actor="canbo2").code
    office.receive(make_form(name="Phạm Văn Bình"), actor="canbo1")
    clock.set(2026, 11, 23, 17, 30)  # the certification was due at 17:00
    listing = desk.dossiers
    desk.show_list()
    listing.apply_filters()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: listing.count.text().startswith("2 hồ sơ"), timeout=5000)
    row = next(r for r in range(2) if listing.model.rows[r].code == late)
    brush = listing.model.data(listing.model.index(row, 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == "#fde2e1"

    listing.mine.setChecked(True)
    qtbot.waitUntil(lambda: [d.applicant_name for d in listing.model.rows] == ["Phạm Văn Bình"], timeout=5000)
    listing.mine.setChecked(False)
    qtbot.keyClicks(listing.search, "dang thi huong")
    qtbot.waitUntil(lambda: [d.code for d in listing.model.rows] == [late], timeout=5000)
    listing.due.setCurrentIndex(listing.due.findData("overdue"))
    qtbot.waitUntil(lambda: listing.count.text().startswith("1 hồ sơ · 1 quá hạn"), timeout=5000)

    listing.table.setCurrentIndex(listing.model.index(0, 0))
    qtbot.keyClick(listing.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(desk.details) == 1, timeout=5000)
    assert desk.details[0].dossier.code == late
    assert desk.details[0].values["Tiếp nhận"].text().endswith("Trần Văn Minh")
    assert desk.grab().save(str(SHOTS / "dossier_list.png"))


def test_the_list_pages_through_many_dossiers(qtbot, desk, office):
    for i in range(450):
        office.receive(make_form(name=f"Người Thứ {i}"), actor="canbo1")
    listing = desk.dossiers
    listing.apply_filters()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 200, timeout=5000)  # one page, not everything
    assert listing.model.canFetchMore()
    listing.table.scrollToBottom()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 400, timeout=5000)
    listing.table.scrollToBottom()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 450 and not listing.model.canFetchMore(), timeout=5000)
    names = [d.applicant_name for d in listing.model.rows]
    assert names[0] == "Người Thứ 449" and names[-1] == "Người Thứ 0" and len(set(names)) == 450


def test_daily_view_is_for_supervisors(qtbot, office):
    office.receive(make_form(), actor="canbo1")
    clerk = ClerkWindow(office, office.info(), signed_in(office, "canbo2"))
    qtbot.addWidget(clerk)
    assert not clerk.daily_action.isEnabled()
    clerk.close()
    boss = ClerkWindow(office, office.info(), signed_in(office, "truongbp"))
    qtbot.addWidget(boss)
    assert boss.daily_action.isEnabled() and boss.queue_panel is None  # signed in without a counter
    view = boss.open_daily()
    qtbot.waitUntil(lambda: view.report is not None, timeout=5000)
    assert "Tiếp nhận: <b>1</b>" in view.totals.text()
    assert view.per_clerk.item(0, 0).text() == "Nguyễn Thị Lan (canbo1)" and view.per_clerk.item(0, 1).text() == "1"
    assert view.per_procedure.item(0, 0).text() == "Đăng ký thường trú"
    assert view.grab().save(str(SHOTS / "daily_view.png"))
    view.close()
    view.runner.wait()
    boss.close()


def test_sign_in_dialog_refuses_then_signs_in_at_a_counter(qtbot, office):
    info = office.info().model_copy(update={"name": "Trung tâm Phục vụ hành chính công phường Cửa Nam, "
                                                     "thành phố Hà Nội (điểm tiếp nhận số 2)"})
    dialog = SignInDialog(office, info, username="canbo1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = dialog.findChild(QLabel, "title")
    assert title.wordWrap() and title.width() <= dialog.width() and dialog.width() <= 700  # not cut, not wide
    assert dialog.counter.currentData() == 1
    dialog.password.setText("sai-mat-khau")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=5000)
    assert dialog.banner.text() == "Sai tên đăng nhập hoặc mật khẩu." and dialog.password.text() == ""
    dialog.counter.setCurrentIndex(dialog.counter.findData(2))
    qtbot.keyClicks(dialog.password, STAFF_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # on the sign-in dialog Enter does sign in
    qtbot.waitUntil(lambda: dialog.session is not None, timeout=5000)
    assert (dialog.session.username, dialog.session.counter_no) == ("canbo1", 2)
    dialog.runner.wait()


def test_the_due_line_says_the_clock_is_stopped_during_a_supplement(qtbot, desk, office):
    code = office.receive(make_form(), actor="canbo1").code
    office.request_supplement(code, missing=[DocumentIn(name="Tờ khai thay đổi thông tin cư trú (CT01)")],
                              reason="Thiếu tờ khai", actor="canbo1")
    dialog = _detail(qtbot, desk, code, _answer())
    due = dialog.values["Hẹn trả"].text()
    assert due.startswith("Tạm dừng: chờ công dân bổ sung") and "hẹn ban đầu" not in due
    assert dialog.grab().save(str(SHOTS / "detail_supplement.png"))
    dialog.close()


def test_one_search_box_finds_last_week_s_dossier_by_scan_or_code_tail(qtbot, desk, office, clock):
    clock.set(2026, 11, 17, 9, 0)  # last week
    code = office.receive(make_form(name="Hoàng Văn Tùng", id_number="001085009876"), actor="canbo2").code
    clock.set(2026, 11, 23, 9, 30)
    office.receive(make_form(name="Phạm Văn Bình"), actor="canbo1")
    listing = desk.dossiers
    desk.show_list_search()  # Ctrl+O
    assert listing.period.currentData() == "today"
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1, timeout=5000)
    for scanned in (f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={code}",  # the receipt's QR
                    "001085009876|012345678|Hoàng Văn Tùng|02031985|Nam|Số 3 Hàng Gai|01072021",  # the ID card
                    code.split("-", 1)[1]):  # "261117-0001", typed from the slip
        listing.search.setText(scanned)
        assert listing.period.currentData() == "all"  # the period says where it looks
        qtbot.waitUntil(lambda: [d.code for d in listing.model.rows] == [code], timeout=5000)
        listing.search.clear()
        assert listing.period.currentData() == "today"
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1, timeout=5000)


def test_a_clerk_is_not_offered_a_supervisor_s_step_and_keeps_what_was_typed(qtbot, desk, office):
    code = office.receive(make_form(), actor="canbo1").code
    office.start_processing(code, actor="canbo1")
    office.result_ready(code, actor="canbo1")
    answers: list[str] = []

    def ask(dialog: ActionDialog) -> bool:
        """The clerk fills the form once; if it comes back, what they typed must still be there."""
        if not answers:
            dialog.inputs["to_whom"].setText("Nguyễn Văn Đức")
            dialog.inputs["id_number"].setText("001090012345")
            dialog._accept()  # the ID check not ticked: the dialog says so and stays open
            answers.append(dialog.banner.text())
            dialog.inputs["id_checked"].setChecked(True)
            dialog._accept()
            return dialog.perform is not None
        answers.append(f"{dialog.inputs['to_whom'].text()}|{dialog.inputs['id_number'].text()}|"
                       f"{dialog.banner.text()}")
        return False

    dialog = _detail(qtbot, desk, code, ask)
    assert "stop" not in dialog.action_buttons  # Dừng xử lý is a supervisor's (canbo1 is a clerk)
    office.return_result(code, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo2")  # at another counter
    dialog.action_buttons["return_result"].click()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    assert answers[0].startswith("Cần đối chiếu giấy tờ tùy thân")
    assert answers[1].startswith("Nguyễn Văn Đức|001090012345|Không thể")  # refused after: the input is kept
    dialog.close()

    supervisor = DossierDetailDialog(office, office.dossier(office.receive(make_form(), actor="canbo1").code),
                                     actor="truongbp", counter_no=1, role=Role.SUPERVISOR)
    qtbot.addWidget(supervisor)
    assert "stop" in supervisor.action_buttons


def test_tables_give_room_to_what_matters_and_sort(qtbot, desk, office, clock):
    """Issue 19, item 12: one visible row of papers, a code wider than the procedure, no sorting, and a
    history that hid a reschedule's new date and who collected the result."""
    codes = [office.receive(make_form(name=name), actor="canbo1").code
             for name in ("Trần Văn Bảo", "Đỗ Thị An", "Lê Văn Cường")]
    listing = desk.dossiers
    desk.show_list()
    listing.apply_filters()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 3, timeout=5000)
    first = listing.model.index(0, 0)
    assert first.data() == codes[-1].split("-", 1)[1]  # "261123-0003": the office's own prefix left off
    assert first.data(Qt.ItemDataRole.ToolTipRole) == codes[-1]
    assert listing.table.columnWidth(2) > listing.table.columnWidth(0)  # the procedure gets the room
    listing.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # the clerk clicks "Người nộp"
    assert [listing.model.index(r, 1).data() for r in range(3)] == ["Đỗ Thị An", "Lê Văn Cường", "Trần Văn Bảo"]

    code = codes[0]
    office.start_processing(code, actor="canbo1")
    clock.set(2026, 11, 24, 10, 0)
    office.reschedule(code, reason="Chờ xác minh", new_due=clock.at.replace(month=12, day=8, hour=16),
                      actor="canbo1")
    office.result_ready(code, actor="canbo1")
    office.return_result(code, to_whom="Trần Văn Bảo", id_checked=True, actor="canbo1")
    dialog = _detail(qtbot, desk, code, _answer())
    texts = [dialog.history.item(r, 4).text() for r in range(dialog.history.rowCount())]
    assert any("người nhận: Trần Văn Bảo" in t for t in texts)
    assert any("hẹn mới " in t and "08/12/2026" in t for t in texts), texts
    rows_shown = dialog.documents.viewport().height() // max(1, dialog.documents.rowHeight(0))
    assert rows_shown >= 3, rows_shown
    dialog.close()


def test_fees_are_collected_with_a_numbered_receipt(qtbot, desk, office, clock, tmp_path):
    """Issue 22 item 5: collecting a fee issues a numbered fee receipt (series and number per year), records
    cash or transfer, and the step goes to the city with the dossier."""
    import subprocess

    from counter_app.store.models import Outbox
    from printers.spool import Spool

    form = make_form("ct.ban-sao")
    form.fee_pages, form.fee_quantities = {"Phí chứng thực bản sao": 5}, {"Phí chứng thực bản sao": 2}
    codes = [office.receive(form, actor="canbo1").code,
             office.receive(make_form("ct.chu-ky", name="Lê Văn Tâm"), actor="canbo1").code]
    asked: list[int] = []

    def collect(code: str, method: str, number: str) -> None:
        dialog = DossierDetailDialog(office, office.dossier(code), actor="canbo1", counter_no=1,
                                     names=desk.names, ask_method=lambda due: asked.append(due) or method)
        qtbot.addWidget(dialog)
        dialog.action_buttons["collect_fees"].click()
        qtbot.waitUntil(lambda: "collect_fees" not in dialog.action_buttons, timeout=5000)  # nothing left due
        assert all(f.paid and f.receipt_no == number and f.method == method for f in office.dossier(code).fees)
        qtbot.waitUntil(lambda: "Đã gửi lệnh in" in dialog.banner.text(), timeout=5000)
        dialog.close()

    collect(codes[0], "transfer", "BL26-0000001")
    collect(codes[1], "cash", "BL26-0000002")
    assert asked == [14000, 10000]  # 2 copies of 5 pages; a signature
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    (pdf,) = [p for p in tmp_path.glob("fee_receipt-*.pdf") if codes[0] in p.name]
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "Ký hiệu: BL26 — Số: 0000001", "Tên người nộp: Nguyễn Văn Đức",
                     "14.000 đ", "Mười bốn nghìn đồng", "Hình thức thanh toán: Chuyển khoản",
                     "2 bản × 5 trang", "NGƯỜI THU TIỀN", "Nguyễn Thị Lan"):
        assert expected in text, expected
    with office.store.read() as s:
        kinds = [o.kind for o in s.exec(select(Outbox).order_by(Outbox.id))]
    assert kinds.count("collect_fees") == 2  # it goes to the city like every step


def test_a_fee_to_pay_by_transfer_shows_its_vietqr_on_screen(qtbot, desk, office, tmp_path):
    """Issue 22 item 5: the screen shows the same payment QR as the receipt; zbarimg reads it back."""
    import subprocess

    settings = office.print_settings().model_copy(update={"bank_bin": "970415", "bank_account": "113366668888"})
    office.save_print_settings(settings, actor="admin")
    code = office.receive(make_form("ct.chu-ky"), actor="canbo1").code
    dialog = DossierDetailDialog(office, office.dossier(code), actor="canbo1", counter_no=1)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.payment_qr(10000) is not None, timeout=5000)
    image = tmp_path / "qr.png"
    dialog.payment_qr(10000).save(str(image))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True).stdout.strip()
    assert read.startswith("000201") and "5405" + "10000" in read and code in read


def test_the_register_is_printed_for_a_period_from_the_menu(qtbot, desk, office, clock, tmp_path):
    """Issue 21 item 2: the dossier register (form 06) had a renderer and nothing called it."""
    import subprocess
    from datetime import date

    from PySide6.QtCore import QDate

    from printers.spool import Spool

    code = office.receive(make_form(name="Hà Thị Thu"), actor="canbo1").code
    dialog = desk.open_register()
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(QDate(2026, 11, 1))
    dialog.date_to.setDate(QDate(2026, 10, 1))
    dialog.submit()
    assert dialog.banner.kind == "error"  # the end before the start
    dialog.date_to.setDate(QDate(2026, 11, 30))
    dialog.submit()
    qtbot.waitUntil(lambda: "Đã gửi lệnh in sổ theo dõi hồ sơ từ 01/11/2026 đến 30/11/2026" in dialog.banner.text(),
                    timeout=5000)
    (job,) = [j for j in office.print_jobs() if j.kind == "register"]
    assert (job.request.date_from, job.request.date_to) == (date(2026, 11, 1), date(2026, 11, 30))
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    (pdf,) = tmp_path.glob("register-20261101-20261130-*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text and code in text and "Hà Thị Thu" in text
