"""The A4 forms as a reader gets them: text extracted from the PDF, fonts embedded, QR readable, pages saved."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from counter_app.views.printing import PrintRequest
from printers.spool import Spool
from tests.printing.decode import zbar

STATE_HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
AGENCY_LINES = "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG CỬA NAM"


def _pdf_text(path) -> str:
    """The PDF's text in reading order, with every run of spaces and line breaks made one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


def _agency_block(path, page: int = 1) -> str:
    """The text of the top-left agency block alone (A4 portrait, in points): the left column of the header."""
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", "60", "-y", "30", "-W", "235",
                           "-H", "110", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text).strip()


def _fonts(path) -> list[tuple[str, bool]]:
    reader = PdfReader(path)
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and any(k in descriptor.get_object() for k in ("/FontFile2", "/FontFile")))
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


@pytest.fixture
def printed(office, dossiers, clock, tmp_path, shots):
    """Print every A4 form to files through the real spool; return a function giving a form's PDF path."""
    from counter_app.views.printing import PrinterConfig

    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"]), actor="admin")
    requests = {
        "receipt": PrintRequest(kind="receipt", code=dossiers["received"]),
        "supplement": PrintRequest(kind="supplement", code=dossiers["supplement"]),
        "refusal": PrintRequest(kind="refusal", code=dossiers["refused"]),
        "apology": PrintRequest(kind="apology", code=dossiers["returned"]),
        "control_sheet": PrintRequest(kind="control_sheet", code=dossiers["returned"]),
        "result_slip": PrintRequest(kind="result_slip", code=dossiers["returned"]),
        "register": PrintRequest(kind="register", date_from=date(2026, 11, 23), date_to=date(2026, 11, 23)),
    }
    jobs = {kind: office.submit_print(r, actor="canbo1").id for kind, r in requests.items()}
    assert Spool(office, preview_dir=tmp_path, clock=clock).drain() == len(jobs)
    paths = {}
    for kind, job_id in jobs.items():
        assert office.print_job(job_id).state == "done"
        (path,) = tmp_path.glob(f"{kind}-*job{job_id}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(shots / f"form_{kind}")], check=True)
        paths[kind] = path
    return paths


def test_receipt_has_every_field_in_two_copies(printed, office, dossiers):
    d = office.dossier(dossiers["received"])
    path = printed["receipt"]
    text = _pdf_text(path)
    assert len(PdfReader(path).pages) == 2
    assert AGENCY_LINES in _agency_block(path, 1) and AGENCY_LINES in _agency_block(path, 2)
    assert "Liên 1/2: Giao người nộp hồ sơ" in text and "Liên 2/2: Lưu tại Bộ phận Một cửa" in text
    for expected in [*STATE_HEADER, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {d.code}",
                     "Tiếp nhận hồ sơ của: Nguyễn Văn Đức", "Số 12 Hàng Bông, Phường Cửa Nam", "0912345678",
                     "Nội dung yêu cầu giải quyết: Đăng ký khai sinh", "Tờ khai đăng ký khai sinh",
                     "Bản chính", "Bản sao chứng thực", "2. Số lượng hồ sơ: 01 (bộ)",
                     "3. Thời gian giải quyết hồ sơ theo quy định là:",
                     "4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 23 tháng 11 năm 2026",
                     "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 23 tháng 11 năm 2026",
                     "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa",
                     f"Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: {d.register_row}",
                     "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Hà Nội, ngày 23 tháng 11 năm 2026"]:
        assert text.count(expected) >= 2 or (expected in text and expected.startswith("Liên")), expected


def test_slips_name_staff_by_full_name_and_title_never_by_login(printed):
    receipt = _pdf_text(printed["receipt"])
    assert receipt.count("Nguyễn Thị Lan") >= 2  # canbo1 received it: both copies are signed by name
    supplement = " ".join(_pdf_text(printed["supplement"]).split())
    assert "liên hệ với cán bộ tiếp nhận Trần Văn Minh" in supplement  # canbo2 asked for the papers
    for kind, path in printed.items():
        text = _pdf_text(path)
        assert "canbo1" not in text and "canbo2" not in text, kind


def test_supplement_refusal_apology_and_result_slip_say_what_happened(printed, office, dossiers):
    supplement = _pdf_text(printed["supplement"])
    for expected in ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Trần Thị Hương", "Đăng ký thường trú",
                     "Giấy tờ chứng minh chỗ ở hợp pháp", "Lý do: Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
                     "NGƯỜI HƯỚNG DẪN", dossiers["supplement"]]:
        assert expected in supplement, expected
    refusal = _pdf_text(printed["refusal"])
    for expected in ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Lê Văn Ấn",
                     "Không thuộc thẩm quyền giải quyết của phường", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"]:
        assert expected in refusal, expected
    apology = _pdf_text(printed["apology"])
    for expected in ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Kính gửi: Ông/Bà Phạm Thị Ngọc Ánh",
                     "Lý do: Cần xác minh thêm thông tin cư trú",
                     "17 giờ 00 phút, ngày 15 tháng 12 năm 2026", "THỦ TRƯỞNG CƠ QUAN", "Số: 1/PXL",
                     "Ngày 23/11/2026"]:
        assert expected in apology, expected
    result = _pdf_text(printed["result_slip"])
    for expected in ["PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ", "Người nhận kết quả: Phạm Thị Ngọc Ánh",
                     "Có, số 001190012346", "10 giờ 15 phút, ngày 11 tháng 12 năm 2026", "NGƯỜI TRẢ KẾT QUẢ"]:
        assert expected in result, expected
    results = office.procedure("1.004222").results
    assert results and results[0] in result


def test_control_sheet_and_register_list_the_steps_and_the_day(printed, dossiers):
    sheet = _pdf_text(printed["control_sheet"])
    for expected in ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Nhận: Bộ phận Một cửa", "Nhận xử lý",
                     "Trước hạn", "canbo3", "09:30 23/11/2026"]:
        assert expected in sheet, expected
    register = _pdf_text(printed["register"])
    assert "SỔ THEO DÕI HỒ SƠ" in register and "Ngày 23/11/2026 — 4 hồ sơ" in register
    for name in ["Nguyễn Văn Đức", "Trần Thị Hương", "Lê Văn Ấn", "Phạm Thị Ngọc"]:
        assert name in register, name
    for code in dossiers.values():
        assert code in register


def test_fonts_are_embedded_and_the_qr_code_reads_back(printed, dossiers, tmp_path):
    for kind, path in printed.items():
        fonts = _fonts(path)
        assert fonts and all(embedded for _, embedded in fonts), (kind, fonts)
        assert all("LiberationSerif" in name for name, _ in fonts), (kind, fonts)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(printed["receipt"]),
                    str(tmp_path / "receipt")], check=True)
    (page,) = tmp_path.glob("receipt-1.png")
    assert zbar(page) == [f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={dossiers['received']}"]


def test_each_slip_lists_only_its_own_kind_of_papers(office, clock, tmp_path):
    """Supplement, then result, then a reprint: the receipt lists what the citizen handed in, once each;
    never the paper the office issued (issue 19: it listed six, the birth certificate among them)."""
    from counter_app.views.dossiers import DocumentIn
    from counter_app.views.printing import PrinterConfig
    from tests.conftest import make_form

    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"]), actor="admin")
    code = office.receive(make_form("ht.khai-sinh"), actor="canbo1").code
    office.start_processing(code, actor="canbo1")
    asked = [DocumentIn(name="Giấy chứng sinh hoặc giấy tờ thay thế"), DocumentIn(name="Bản sao sổ hộ khẩu")]
    office.request_supplement(code, missing=asked, reason="Giấy chứng sinh bị nhòe", actor="canbo2")
    clock.set(2026, 11, 25, 14, 10)  # the papers come two days later: the receipt is re-issued then
    office.receive_supplement(code, actor="canbo2")
    office.result_ready(code, actor="canbo1")
    jobs = {kind: office.submit_print(PrintRequest(kind=kind, code=code), actor="canbo1").id
            for kind in ("receipt", "supplement")}
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    receipt = _pdf_text(next(tmp_path.glob(f"receipt-*job{jobs['receipt']}.pdf")))
    first_copy = receipt.split("Liên 2/2")[0]
    assert "Giấy khai sinh (bản chính)" not in receipt  # the result the office issued
    assert first_copy.count("Tờ khai đăng ký khai sinh") == 1
    assert first_copy.count("Giấy chứng sinh hoặc giấy tờ thay thế (nộp bổ sung)") == 1
    assert first_copy.count("Bản sao sổ hộ khẩu (nộp bổ sung)") == 1
    assert "4. Thời gian nhận hồ sơ: 14 giờ 10 phút, ngày 25 tháng 11 năm 2026 (nộp lần đầu 09 giờ 30 phút, " \
           "ngày 23 tháng 11 năm 2026" in first_copy  # issue 19: a re-issued receipt kept the first time
    assert "Hà Nội, ngày 25 tháng 11 năm 2026" in first_copy
    rows = re.findall(r" (\d) (?:Tờ khai|Giấy|Văn bản|Bản sao)", first_copy)
    assert rows == ["1", "2", "3", "4", "5"], rows  # three at intake, two brought later
    supplement = _pdf_text(next(tmp_path.glob(f"supplement-*job{jobs['supplement']}.pdf")))
    assert "Bản sao sổ hộ khẩu" in supplement and "Tờ khai đăng ký khai sinh" not in supplement
    assert "Giấy khai sinh (bản chính)" not in supplement
    roles = sorted((doc.role, doc.name) for doc in office.dossier(code).documents)
    assert [r for r, _ in roles].count("result") == 1 and [r for r, _ in roles].count("supplement") == 2


def test_an_enterprise_s_receipt_and_a_birth_registration_name_the_right_people(office, clock, tmp_path):
    from counter_app.views.printing import PrinterConfig
    from tests.conftest import make_form

    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"]), actor="admin")
    firm = office.receive(make_form("ct.chu-ky", type=2, name="Công ty TNHH Hoa Sen", id_number="0101234567",
                                    representative="Vũ Minh Khánh", representative_id="001085001234"),
                          actor="canbo1").code
    birth = office.receive(make_form("ht.khai-sinh"), actor="canbo1").code
    jobs = {code: office.submit_print(PrintRequest(kind="receipt", code=code), actor="canbo1").id
            for code in (firm, birth)}
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    text = _pdf_text(next(tmp_path.glob(f"receipt-*job{jobs[firm]}.pdf"))).split("Liên 2/2")[0]
    assert "Mã số doanh nghiệp/mã số thuế: 0101234567" in text
    assert "Số định danh cá nhân: 0101234567" not in text  # issue 19: the tax code was labelled as an ID
    assert "Người đại diện: Vũ Minh Khánh" in text
    assert "Số định danh cá nhân của người đại diện: 001085001234" in text
    assert "Phí, lệ phí: 10.000 đ (bằng chữ: Mười nghìn đồng). Phí chứng thực chữ ký: 1 trường hợp × 10.000 đ" in text
    signers = text.split("NGƯỜI NỘP HỒ SƠ")[-1]
    assert "Vũ Minh Khánh" in signers and "Công ty TNHH Hoa Sen" not in signers  # a person signs, not the firm
    text = _pdf_text(next(tmp_path.glob(f"receipt-*job{jobs[birth]}.pdf")))
    assert "Người được khai sinh: Nguyễn Minh An, sinh ngày 16/11/2026" in text
    assert "Tiếp nhận hồ sơ của: Nguyễn Văn Đức" in text


def test_the_agency_heading_keeps_the_ward_s_name_on_one_line(printed):
    """Issue 19: every form wrapped its heading as "PHƯỜNG CỬA / NAM"."""
    for kind, path in printed.items():
        if kind == "register":
            continue  # landscape: its header stands elsewhere on the page
        block = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", "60", "-y", "30", "-W", "235", "-H", "110",
                                str(path), "-"], capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        assert lines[:4] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG CỬA NAM", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                             "PHƯỜNG CỬA NAM"], (kind, lines)


def test_a_newcomer_s_check_two_copies_of_five_pages_cost_14000(office, clock, tmp_path):
    """Issue 22: a certification of 2 copies of a 5-page document costs 14,000 đ on the receipt."""
    from counter_app.views.printing import PrinterConfig
    from tests.conftest import make_form

    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"]), actor="admin")
    form = make_form("ct.ban-sao")
    form.fee_pages, form.fee_quantities = {"Phí chứng thực bản sao": 5}, {"Phí chứng thực bản sao": 2}
    code = office.receive(form, actor="canbo1").code
    job = office.submit_print(PrintRequest(kind="receipt", code=code), actor="canbo1").id
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    text = _pdf_text(next(tmp_path.glob(f"receipt-*job{job}.pdf")))
    assert "Phí, lệ phí: 14.000 đ (bằng chữ: Mười bốn nghìn đồng)" in text
    assert "2 bản × 5 trang (2 trang × 2.000 đ + 3 trang × 1.000 đ)" in text


def _crc(data: bytes) -> int:
    """CRC-16/CCITT-FALSE written out again here, bit by bit, to check the payload's own."""
    crc = 0xFFFF
    for byte in data:
        for bit in range(7, -1, -1):
            top = (crc >> 15) & 1
            crc = (crc << 1) & 0xFFFF
            if top ^ ((byte >> bit) & 1):
                crc ^= 0x1021
    return crc


def _tlv(text: str) -> dict[str, str]:
    out, i = {}, 0
    while i < len(text):
        tag, size = text[i:i + 2], int(text[i + 2:i + 4])
        out[tag] = text[i + 4:i + 4 + size]
        i += 4 + size
    return out


def test_a_fee_to_pay_by_transfer_prints_a_vietqr_any_banking_app_reads(office, clock, tmp_path):
    """Issue 22 item 5: the EMVCo/NAPAS payload, decoded from the printed receipt with zbarimg."""
    from counter_app.views.printing import PrinterConfig
    from tests.conftest import make_form

    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"]), actor="admin")
    settings = office.print_settings().model_copy(update={"bank_bin": "970415", "bank_account": "113366668888",
                                                          "bank_account_name": "TRUNG TAM PVHCC CUA NAM"})
    office.save_print_settings(settings, actor="admin")
    form = make_form("ct.ban-sao")
    form.fee_pages, form.fee_quantities = {"Phí chứng thực bản sao": 5}, {"Phí chứng thực bản sao": 2}
    code = office.receive(form, actor="canbo1").code
    job = office.submit_print(PrintRequest(kind="receipt", code=code), actor="canbo1").id
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    pdf = next(tmp_path.glob(f"receipt-*job{job}.pdf"))
    assert "nội dung " + code in _pdf_text(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    (page,) = tmp_path.glob("page*.png")
    payloads = [t for t in zbar(page) if t.startswith("000201")]
    assert len(payloads) == 1, zbar(page)
    text = payloads[0]
    assert int(text[-4:], 16) == _crc(text[:-4].encode("ascii"))  # the CRC, recomputed independently
    fields = _tlv(text)
    assert (fields["00"], fields["01"], fields["53"], fields["54"], fields["58"]) == ("01", "12", "704", "14000",
                                                                                      "VN")
    merchant = _tlv(fields["38"])
    assert (merchant["00"], merchant["02"]) == ("A000000727", "QRIBFTTA")
    assert _tlv(merchant["01"]) == {"00": "970415", "01": "113366668888"}
    assert _tlv(fields["62"]) == {"08": code}
