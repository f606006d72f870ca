"""A complete intake in the clerk's window, offscreen: scan, pick, tick, save, and the receipt really prints."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import func, select

from counter_app.store.models import Dossier
from counter_app.views.printing import PrinterConfig
from printers.spool import Spool
from tests.conftest import make_form, signed_in
from tests.ui.keys import type_text
from ui.desk.clerk_window import ClerkWindow

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)
# What a keyboard-wedge scanner types for a chip ID card (7 fields), then Enter.
CARD = "001090012345|012345678|Nguyễn Văn Đức|15061990|Nam|Số 12 Hàng Bông, Phường Cửa Nam, Hà Nội|01072021"


def _count(office) -> int:
    with office.store.read() as s:
        return s.exec(select(func.count()).select_from(Dossier)).one()


@pytest.fixture
def window(qtbot, office):
    office.save_printer(PrinterConfig(name="Máy in A4", kind="a4", purposes=["a4"]), actor="admin")
    w = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(w)
    w.resize(1440, 880)
    w.show()
    qtbot.waitUntil(lambda: len(w.intake.picker.procedures) > 0, timeout=5000)
    yield w
    w.close()


def _pick(qtbot, form, words: str, name: str) -> None:
    form.picker.search.setFocus()
    qtbot.keyClicks(form.picker.search, words)
    qtbot.keyClick(form.picker.search, Qt.Key.Key_Return)  # Enter takes the first match, never saves
    qtbot.waitUntil(lambda: form.procedure is not None and form.procedure.name == name, timeout=5000)
    qtbot.waitUntil(lambda: "Hẹn trả" in form.due.text(), timeout=5000)


def test_scan_pick_tick_save_prints_the_receipt(qtbot, window, office, clock, tmp_path):
    form = window.intake
    form.name.setFocus()
    type_text(form.name, CARD)  # the scanner types into whichever field has the focus
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.id_number.text() == "001090012345", timeout=5000)
    assert form.name.text() == "Nguyễn Văn Đức"  # the digits typed before the first "|" were taken back
    assert form.birth_date.date().toString("dd/MM/yyyy") == "15/06/1990" and form.sex.currentText() == "Nam"
    assert form.address.text() == "Số 12 Hàng Bông, Phường Cửa Nam, Hà Nội"
    assert form.banner.kind == "ok" and "Nguyễn Văn Đức" in form.banner.text()

    qtbot.keyClicks(form.phone, "0912 345 678")
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)  # Enter moves on; it never saves
    _pick(qtbot, form, "dang ky thuong tru", "Đăng ký thường trú")
    assert form.fee.text() == "Lệ phí: <b>20.000 đ</b>"
    expected_due = office.preview_due("cutru.thuong-tru")
    assert f"{expected_due:%H:%M %d/%m/%Y}" in form.due.text()
    assert form.checklist.rowCount() == 3 and _count(office) == 0

    form.save()  # nothing ticked yet: refused with the list of what is missing
    assert form.banner.kind == "error" and "Tờ khai thay đổi thông tin cư trú (CT01)" in form.banner.text()
    for row in range(form.checklist.rowCount()):
        form.checklist.setCurrentCell(row, 1)
        qtbot.keyClick(form.checklist, Qt.Key.Key_Space)
    assert form.grab().save(str(SHOTS / "intake_form.png"))

    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # a second press while the first saves
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=5000)
    qtbot.waitUntil(lambda: "Đã gửi lệnh in tới Máy in A4" in form.banner.text(), timeout=5000)
    window.runner.wait()
    assert _count(office) == 1
    d = office.dossier(form.last_saved.code)
    assert d.code == "000.00.73.H26-261123-0001" and d.due_at == expected_due
    assert (d.applicant_name, d.id_number, d.phone, d.clerk, d.counter_no) == (
        "Nguyễn Văn Đức", "001090012345", "0912345678", "canbo1", 1)
    assert [x.provided for x in d.documents] == [True, True, True]
    assert form.name.text() == "" and form.procedure is None  # ready for the next citizen

    (job,) = office.print_jobs()
    assert (job.kind, job.request.code, job.printer) == ("receipt", d.code, "Máy in A4")
    assert Spool(office, preview_dir=tmp_path, clock=clock).drain() == 1
    (pdf,) = tmp_path.glob(f"receipt-{d.code}-*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert d.code in text and "Nguyễn Văn Đức" in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text

    qtbot.waitUntil(lambda: "Máy in A4: Sẵn sàng" in window.printer_button.toolTip(), timeout=5000)
    assert window.printer_button.text() == "Máy in: sẵn sàng"
    window.tabs.setCurrentWidget(window.dossiers)
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() == 1, timeout=5000)
    assert window.grab().save(str(SHOTS / "main_window.png"))


def test_wrong_input_gets_a_clear_message_and_no_dossier(qtbot, window, office):
    form = window.intake
    form.apply_scan("001090012345|Nguyễn Văn Đức|15061990")  # a torn scan: 3 fields
    assert form.banner.kind == "error" and form.banner.text().startswith("Mã QR căn cước không hợp lệ")
    _pick(qtbot, form, "2.000815", "Chứng thực bản sao từ bản chính")  # by national code
    form.checklist.check_all()
    form.name.setText("Lê Văn An")
    form.id_number.setText("12345")
    form.address.setText("Số 3 Tràng Thi")
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error" and "12 chữ số" in form.banner.text(), timeout=5000)
    form.id_number.setText("001090012345")
    form.phone.setText("12ab")
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error" and "điện thoại" in form.banner.text().lower(),
                    timeout=5000)
    assert _count(office) == 0
    assert form.name.text() == "Lê Văn An"  # nothing the clerk typed is lost

    form.outcome.button(2).setChecked(True)  # refuse, but without a reason
    form.phone.setText("0912345678")
    form.save()
    assert "lý do" in form.banner.text() and _count(office) == 0


def test_a_scan_with_mismatching_digits_is_a_warning(qtbot, window):
    form = window.intake
    form.apply_scan(CARD.replace("|Nam|", "|Nữ|"))  # digit 4 says male, the card says female
    assert form.banner.kind == "warning" and "Chữ số thứ 4" in form.banner.text()
    assert form.name.text() == "Nguyễn Văn Đức"


def test_a_returning_citizen_is_recognised(qtbot, window, office):
    office.receive(make_form(phone="0987654321", email="duc@example.vn"), actor="canbo2")
    form = window.intake
    form.apply_scan(CARD)
    qtbot.waitUntil(lambda: form.use_known.isVisible(), timeout=5000)
    assert "Đã từng nộp 1 hồ sơ" in form.known.text() and "0987654321" in form.known.text()
    qtbot.keyClick(form, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert form.phone.text() == "0987654321" and form.email.text() == "duc@example.vn"
    assert form.name.text() == "Nguyễn Văn Đức"  # what the card said is kept


def test_an_organisation_applies_with_a_representative(qtbot, window, office):
    form = window.intake
    form.kind.setCurrentIndex(form.kind.findData(2))
    assert form.representative.isEnabled() and not form.birth_date.isEnabled()
    assert form.id_label.text() == "Mã số doanh nghiệp / thuế *"
    form.name.setText("Công ty TNHH Hoa Sen")
    form.representative.setText("Vũ Minh Khánh")
    form.id_number.setText("010123456")  # one digit short
    form.address.setText("Số 5 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội")
    _pick(qtbot, form, "chung thuc chu ky", "Chứng thực chữ ký")
    form.checklist.check_all()
    form.save()  # two problems, both at once, both marked; the cursor goes to the first
    assert form.banner.text().startswith("Cần sửa 2 chỗ:")
    assert "Mã số doanh nghiệp “010123456”" in form.banner.text() and "người đại diện" in form.banner.text()
    assert form.id_number.property("problem") and form.representative_id.property("problem")
    assert form.focusWidget() is form.representative_id  # the first in the form's order
    form.id_number.setText("0101234567")
    form.representative_id.setText("001085001234")
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=5000)
    d = office.dossier(form.last_saved.code)
    assert (d.applicant_type, d.representative, d.representative_id, d.id_number) == (
        2, "Vũ Minh Khánh", "001085001234", "0101234567")


def test_without_a_printer_the_dossier_is_saved_and_the_receipt_waits(qtbot, office):
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo2", counter_no=2))
    qtbot.addWidget(window)
    window.show()
    form = window.intake
    qtbot.waitUntil(lambda: len(form.picker.procedures) > 0, timeout=5000)
    form.apply_scan(CARD)
    _pick(qtbot, form, "khai sinh", "Đăng ký khai sinh")
    assert form.subject_box.isVisible() and form.subject_box.title() == "Người được khai sinh"
    form.subject_name.setText("Nguyễn Minh An")
    form.checklist.check_all()
    form.save()
    qtbot.waitUntil(lambda: "Chưa có máy in phù hợp" in form.banner.text(), timeout=5000)
    assert window.printer_button.text() == "Chưa cài đặt máy in"
    (job,) = office.print_jobs()
    assert (job.kind, job.printer, job.state) == ("receipt", "", "pending")  # kept until a printer is set up
    assert office.dossier(job.request.code).status == 2
    window.close()


def test_names_are_offered_in_proper_case_and_an_unaccented_one_is_questioned(qtbot, window, office):
    form = window.intake
    form.name.setText("nguyen van a")
    form.name.editingFinished.emit()
    assert form.name.text() == "Nguyen Van A"
    assert form.banner.kind == "warning" and "chưa có dấu" in form.banner.text()
    form.name.setText("TRẦN THỊ BÍCH")
    form.name.editingFinished.emit()
    assert form.name.text() == "Trần Thị Bích"
    form.kind.setCurrentIndex(form.kind.findData(2))
    form.name.setText("công ty tnhh abc")  # an organisation's name is left as typed
    form.name.editingFinished.emit()
    assert form.name.text() == "công ty tnhh abc"
    _pick(qtbot, form, "khai sinh", "Đăng ký khai sinh")
    form.save()
    assert form.banner.text().startswith("Cần sửa ")
    assert "người được khai sinh" in form.banner.text() and form.subject_name.property("problem")
    form.subject_name.setText("Trần Minh An")
    form.subject_name.textEdited.emit("Trần Minh An")
    assert not form.subject_name.property("problem")  # the mark goes as soon as the field is edited


def _type(qtbot, text: str) -> None:
    """Each key to the widget that has the focus at that moment, as a keyboard (or a scanner) sends it."""
    for ch in text:
        widget = QApplication.focusWidget()
        if ch == "\r":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(widget, ch)


def test_a_scan_into_a_count_cell_fills_the_applicant_and_leaves_the_count(qtbot, window, office):
    """Issue 19: the first digit opened the cell's editor, the scan failed and "90012345" became the count."""
    form = window.intake
    _pick(qtbot, form, "chung thuc chu ky", "Chứng thực chữ ký")
    table = form.checklist
    before = table.item(0, 3).text()
    table.setFocus()
    table.setCurrentCell(0, 3)
    ascii_card = "001090012345|012345678|Nguyen Van Duc|15061990|Nam|So 12 Hang Bong, Cua Nam, Ha Noi|01072021"
    _type(qtbot, ascii_card + "\r")  # as fast as a scanner types, into whatever has the focus
    qtbot.waitUntil(lambda: form.id_number.text() == "001090012345", timeout=5000)
    assert table.state() != table.State.EditingState and table.item(0, 3).text() == before
    assert form.name.text() == "Nguyen Van Duc"

    table.setFocus()
    table.setCurrentCell(0, 3)
    _type(qtbot, "25x\r")  # the clerk means 2 and slips; a letter never gets in
    qtbot.waitUntil(lambda: table.item(0, 3).text() == "25", timeout=5000)  # the cell commits queued
    form.save()  # said, not silently cut to 20
    assert "25 bản chính là quá nhiều" in form.banner.text() and table.property("problem")


class _KeyCounter(QObject):
    """Counts the key presses that reach the window's focused widget, as the clerk's keyboard sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and obj is QApplication.focusWidget():
            self.presses += 1
        return False


def test_the_commonest_intakes_take_a_scan_and_a_few_keys(qtbot, office, tmp_path):
    """Issue 19: at most 12 key presses from the ID-card scan to the receipt, for the office's commonest
    procedures: the procedure by Ctrl+<its rank>, every paper by Ctrl+E, counts from the catalog, Ctrl+S."""
    usual = ["ct.ban-sao", "ct.chu-ky", "cutru.tam-tru"]
    for i, key in enumerate(usual):  # this office's history makes them its first, second and third
        for _ in range(5 - i):
            office.receive(make_form(key), actor="canbo2")
    office.save_printer(PrinterConfig(name="Máy in A4", kind="a4", purposes=["a4"]), actor="admin")
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    window.show()
    form = window.intake
    qtbot.waitUntil(lambda: form.picker.frequent[:3] == usual, timeout=5000)
    counter = _KeyCounter()
    QApplication.instance().installEventFilter(counter)
    try:
        for rank, key in enumerate(usual, start=1):
            form.apply_scan(CARD)  # the scanner's keystrokes are not the clerk's
            before = counter.presses
            qtbot.keyClick(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{rank}"),
                           Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda k=key: form.procedure is not None and form.procedure.key == k, timeout=5000)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda k=key: form.last_saved is not None and form.last_saved.procedure_key == k,
                            timeout=5000)
            assert counter.presses - before <= 12, (key, counter.presses - before)
            d = office.dossier(form.last_saved.code)
            assert d.applicant_name == "Nguyễn Văn Đức" and all(doc.provided for doc in d.documents)
            assert [doc.originals for doc in d.documents] == [
                int(x.get("originals", 0)) for x in office.procedure(key).documents]  # the catalog's counts
            form.last_saved = None
    finally:
        QApplication.instance().removeEventFilter(counter)
    receipts = [j for j in office.print_jobs(active_only=False) if j.kind == "receipt"]
    assert len(receipts) == 3


def test_a_qr_that_is_not_an_id_card_leaves_nothing_in_the_name(qtbot, window):
    """Issue 19: a receipt's or a bank's QR scanned into the name field stayed there as typed."""
    form = window.intake
    form.name.setFocus()
    _type(qtbot, "https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.00.73.H26-261127-0008\r")
    assert form.name.text() == ""
    assert form.banner.kind == "warning" and "không phải mã QR trên thẻ căn cước" in form.banner.text()
    form.name.setFocus()
    _type(qtbot, "Le Van An")  # a person's typing stays where it is typed
    assert form.name.text() == "Le Van An"


def test_a_certified_copy_is_charged_by_its_pages_and_copies(qtbot, window, office):
    """Issue 19 item 7: the certification fee was flat whatever the copies or pages."""
    form = window.intake
    form.apply_scan(CARD)
    _pick(qtbot, form, "chung thuc ban sao", "Chứng thực bản sao từ bản chính")
    assert form.copies.isVisible() and form.pages.isVisible()
    form.pages.setValue(3)
    form.copies.setValue(2)
    assert "10.000 đ" in form.fee.text() and "2 bản × 3 trang" in form.fee.text()
    form.checklist.check_all()
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=5000)
    (fee,) = office.dossier(form.last_saved.code).fees
    assert (fee.amount, fee.quantity, fee.unit_amount) == (10000, 2, 5000)
    _pick(qtbot, form, "chung thuc chu ky", "Chứng thực chữ ký")
    assert not form.pages.isVisible()  # a signature is charged per case: nothing to ask


def test_the_checklist_headers_are_not_clipped(qtbot, window):
    """Issue 19 item 15: "Sao chứng thực" was cut at the column's edge."""
    table = window.intake.checklist
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in (3, 4, 5):
        text = table.horizontalHeaderItem(column).text()
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        assert widest + 12 <= header.sectionSize(column), (text, widest, header.sectionSize(column))


def test_a_procedure_whose_time_the_portal_left_open_says_so(qtbot, window):
    form = window.intake
    _pick(qtbot, form, "2.000913", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ giao dịch")
    assert "thời hạn chưa xác nhận" in form.due.text()


def test_the_picker_ranks_what_the_clerk_meant_first(qtbot, window):
    """Issue 22 item 3: with about 300 procedures, Enter after "tam tru" takes Đăng ký tạm trú, not one of the
    twelve others that mention it."""
    form = window.intake
    for words, meant in (("tam tru", "Đăng ký tạm trú"), ("1.004222", "Đăng ký thường trú"),
                         ("khai sinh", "Đăng ký khai sinh")):
        form.picker.search.clear()
        _pick(qtbot, form, words, meant)


def test_an_exempt_applicant_pays_nothing_and_the_screen_says_why(qtbot, window, office):
    form = window.intake
    form.apply_scan(CARD)
    _pick(qtbot, form, "xac nhan tinh trang hon nhan", "Cấp Giấy xác nhận tình trạng hôn nhân")
    assert form.exempt.isVisible() and "3.000 đ" in form.fee.text()
    form.exempt.setCurrentIndex(form.exempt.findData("Người thuộc hộ nghèo"))
    assert form.fee.text() == "Không thu lệ phí (Miễn: Người thuộc hộ nghèo)"
    form.checklist.check_all()
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=5000)
    (fee,) = office.dossier(form.last_saved.code).fees
    assert (fee.amount, fee.basis) == (0, "Miễn: Người thuộc hộ nghèo")


def test_the_clerk_picks_the_case_and_the_checklist_follows(qtbot, office):
    from pathlib import Path

    office.import_catalog(Path(__file__).parents[1] / "data" / "portal" / "1.004206-tach-ho.json", actor="admin")
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    window.show()
    form = window.intake
    qtbot.waitUntil(lambda: len(form.picker.procedures) > 0, timeout=5000)
    form.apply_scan(CARD)
    _pick(qtbot, form, "1.004206", "Tách hộ")
    assert form.case.isVisible() and form.case.count() == 2
    names = lambda: [form.checklist.item(r, 1).text() for r in range(form.checklist.rowCount())]  # noqa: E731
    assert "Văn bản đồng ý cho tách hộ của chủ hộ" in names()
    form.case.setCurrentIndex(1)
    assert "Bản án hoặc quyết định của Tòa án về việc ly hôn" in names()
    form.checklist.check_all()
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=5000)
    d = office.dossier(form.last_saved.code)
    assert "Bản án hoặc quyết định của Tòa án về việc ly hôn" in [x.name for x in d.documents]
    assert d.events[0].details["case"] == "Tách hộ sau ly hôn"
