"""The forms about one dossier that a clerk hands over the counter (DOMAIN.md forms 1-4 and the result slip)."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from counter_app.rules import vietqr
from counter_app.rules.display import fmt_date, fmt_money, fmt_time_formal
from counter_app.rules.money_words import in_words
from counter_app.views.dossiers import PAY_METHODS, DocumentView, DossierDetail, EventView, OfficeInfo
from printers.forms.style import (
    build,
    copy_mark,
    esc,
    field,
    frame_width,
    grid,
    header,
    p,
    qr,
    signatures,
    title_with_code,
)

W = frame_width()
RECEIPT_HOLDERS = ("Giao người nộp hồ sơ", "Lưu tại Bộ phận Một cửa")


def _documents_table(docs: list[DocumentView]) -> Flowable:
    rows: list[list] = [["STT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản sao/ bản chụp"]]
    rows += [[str(i), d.name, str(d.originals), str(d.certified), str(d.copies)] for i, d in enumerate(docs, 1)]
    return grid(rows, [12 * mm, W - 12 * mm - 3 * 24 * mm, 24 * mm, 24 * mm, 24 * mm])


def _applicant(d: DossierDetail) -> list[Flowable]:
    out = [field("Tiếp nhận hồ sơ của", d.applicant_name)]
    if d.applicant_type == 1:
        if d.id_number:
            out.append(field("Số định danh cá nhân", d.id_number))
    else:
        if d.id_number:
            out.append(field("Mã số doanh nghiệp/mã số thuế" if d.applicant_type == 2 else "Mã số tổ chức",
                             d.id_number))
        if d.representative:
            out.append(field("Người đại diện", d.representative))
        if d.representative_id:
            out.append(field("Số định danh cá nhân của người đại diện", d.representative_id))
    if d.subject_label and d.subject_name:
        about = d.subject_name + (f", sinh ngày {fmt_date(d.subject_birth_date)}" if d.subject_birth_date else "")
        out.append(field(d.subject_label, about + (f", số định danh {d.subject_id_number}"
                                                    if d.subject_id_number else "")))
    out += [field("Địa chỉ", d.address), field("Số điện thoại", d.phone)]
    if d.email:
        out.append(field("Thư điện tử", d.email))
    out.append(field("Nội dung yêu cầu giải quyết", d.procedure_name))
    return out


def _payment(d: DossierDetail, total: int, bank: tuple[str, str, str] | None) -> Flowable | None:
    """A VietQR for the fee, beside how to use it (None without the office's account or a fee)."""
    if not bank or not total or not bank[0] or not bank[1]:
        return None
    data = vietqr.payload(bank_bin=bank[0], account=bank[1], amount=total, message=d.code)
    words = (f"Nộp phí bằng chuyển khoản: quét mã bằng ứng dụng ngân hàng. Số tiền <b>{fmt_money(total)}</b>, "
             f"nội dung <b>{esc(d.code)}</b>" + (f", tài khoản {esc(bank[2])}" if bank[2] else "") + ".")
    table = Table([[qr(data, 24 * mm), p(words)]], colWidths=[28 * mm, W - 28 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    return table


def receipt(office: OfficeInfo, d: DossierDetail, *, link: str, time_label: str, place: str, copies: int,
            bank: tuple[str, str, str] | None = None) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 1), in `copies` copies (two by the rules); with the
    office's account (`bank`: BIN, account, holder) and a fee, a VietQR to pay it by transfer."""
    completed = [e for e in d.events if e.kind == "dossier.receive_supplement"]
    # Re-issued once the missing papers came: the complete dossier was received then, and is due from then.
    received = completed[-1].at if completed else d.received_at
    due = d.due_at if completed else d.original_due_at or d.due_at
    submitted = handed_in(d)
    where = "qua dịch vụ bưu chính công ích" if d.result_delivery == "post" else place
    fee_total = sum(f.amount for f in d.fees)
    code_qr = qr(link)  # one drawing for every copy: encoding a QR code is the slow part
    pay = _payment(d, fee_total, bank)

    def page(number: int) -> list[Flowable]:
        out: list[Flowable] = [
            copy_mark(number, copies, RECEIPT_HOLDERS), *header(office, W, on=received.date()),
            title_with_code("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", d.code, code_qr, W), *_applicant(d),
            p("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:"), _documents_table(submitted),
            Spacer(1, 2 * mm),
            p(f"2. Số lượng hồ sơ: <b>{d.sets:02d}</b> (bộ)"),
            p(f"3. Thời gian giải quyết hồ sơ theo quy định là: <b>{esc(time_label)}</b>"),
            p(f"4. Thời gian nhận hồ sơ: <b>{fmt_time_formal(received)}</b>"
              + (f" (nộp lần đầu {fmt_time_formal(d.received_at)}, bổ sung đủ giấy tờ lúc trên)" if completed
                 else "")),
            p(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{fmt_time_formal(due)}</b>"),
            p(f"6. Đăng ký nhận kết quả tại: <b>{esc(where)}</b>"),
        ]
        if fee_total:
            counted = "; ".join(f"{esc(f.name)}: {esc(f.basis)}" for f in d.fees if f.amount and f.basis)
            out.append(p(f"Phí, lệ phí: <b>{fmt_money(fee_total)}</b> (bằng chữ: {in_words(fee_total)})"
                         + (f". {counted}" if counted else "")))
            if pay is not None:
                out.append(pay)
        out += [
            p(f"Vào Sổ theo dõi hồ sơ, Quyển số: <b>{esc(d.register_book)}</b>, "
              f"Số thứ tự: <b>{d.register_row}</b>"),
            signatures(W, [("NGƯỜI NỘP HỒ SƠ", d.signer), ("NGƯỜI TIẾP NHẬN HỒ SƠ", d.clerk_name or d.clerk)]),
        ]
        return out

    return build([page(n) for n in range(1, copies + 1)], title=f"Giấy tiếp nhận hồ sơ {d.code}")


def handed_in(d: DossierDetail) -> list[DocumentView]:
    """What the citizen handed in: at intake, then (marked) what a supplement brought; never a result."""
    docs = [x for x in d.documents if x.role == "submitted" and x.provided]
    return docs + [x.model_copy(update={"name": f"{x.name} (nộp bổ sung)"})
                   for x in d.documents if x.role == "supplement"]


def _missing(d: DossierDetail, event: EventView) -> list[DocumentView]:
    """The papers this supplement request asked for (as it asked for them, whatever came after)."""
    asked = [doc for doc in d.documents if doc.role in ("missing", "supplement")]
    names = event.details.get("missing")
    if names:
        by_name = {doc.name: doc for doc in asked}
        return [by_name.get(n) or DocumentView(role="missing", name=n, originals=1, certified=0, copies=0,
                                               mandatory=True, provided=False) for n in names]
    return asked  # asked for at intake: the event lists no names


def _title(event: EventView) -> str:
    """ "cán bộ tiếp nhận " before a member of staff's name in running text ("" for anyone else)."""
    return f"{event.actor_title[:1].lower()}{event.actor_title[1:]} " if event.actor_title else ""


def supplement(office: OfficeInfo, d: DossierDetail, event: EventView, *, link: str) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (form 2)."""
    story: list[Flowable] = [
        *header(office, W, on=event.at.date()),
        title_with_code("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", d.code, link, W), *_applicant(d),
        field("Ngày nhận hồ sơ", fmt_date(d.received_at.date())),
        p("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        _documents_table(_missing(d, event)), Spacer(1, 2 * mm),
        field("Lý do", str(event.details.get("reason", ""))),
        p("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
          f"{esc(_title(event))}<b>{esc(event.signed_by)}</b>"
          f"{', số điện thoại ' + esc(office.phone) if office.phone else ''} "
          "để được hướng dẫn."),
        signatures(W, [("NGƯỜI NỘP HỒ SƠ", d.signer), ("NGƯỜI HƯỚNG DẪN", event.signed_by)]),
    ]
    return build([story], title=f"Phiếu yêu cầu bổ sung {d.code}")


def refusal(office: OfficeInfo, d: DossierDetail, event: EventView, *, link: str) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (form 3)."""
    story: list[Flowable] = [
        *header(office, W, on=event.at.date()),
        title_with_code("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", d.code, link, W), *_applicant(d),
        p(f"Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, {esc(office.name)} từ chối tiếp nhận, "
          "giải quyết hồ sơ này với lý do cụ thể như sau:"),
        p(f"<b>{esc(str(event.details.get('reason', '')))}</b>"),
        p("Xin thông báo để ông/bà được biết và thực hiện./."),
        signatures(W, [("NGƯỜI NỘP HỒ SƠ", d.signer), ("NGƯỜI TIẾP NHẬN HỒ SƠ", event.signed_by)]),
    ]
    return build([story], title=f"Phiếu từ chối {d.code}")


def _when(details: dict, key: str) -> datetime | None:
    value = details.get(key)
    return datetime.fromisoformat(value) if value else None


def apology(office: OfficeInfo, d: DossierDetail, event: EventView, *, link: str) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 4), numbered from 1 each year (a letter from before
    that numbering keeps the number of the event that set the new date)."""
    previous, new = _when(event.details, "previous_due_at"), _when(event.details, "new_due_at")
    story: list[Flowable] = [
        *header(office, W, number=f"Số: {event.details.get('apology_no') or event.seq}/PXL", on=event.at.date()),
        title_with_code("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", d.code, link, W),
        p(f"Kính gửi: Ông/Bà <b>{esc(d.applicant_name)}</b>"),
        p(f"Ngày {fmt_date(d.received_at.date())}, {esc(office.name)} tiếp nhận giải quyết hồ sơ của Ông/Bà "
          f"về <b>{esc(d.procedure_name)}</b>, mã hồ sơ <b>{esc(d.code)}</b>. Thời gian hẹn trả kết quả "
          f"giải quyết hồ sơ: <b>{fmt_time_formal(previous)}</b>."),
        p(f"Tuy nhiên đến nay, {esc(office.name)} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn. "
          f"Lý do: <b>{esc(str(event.details.get('reason', '')))}</b>."),
        p(f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {esc(office.name)} xin lỗi Ông/Bà và sẽ trả kết quả "
          f"giải quyết hồ sơ cho Ông/Bà vào <b>{fmt_time_formal(new)}</b>."),
        p("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./."),
        signatures(W, [("", ""), ("THỦ TRƯỞNG CƠ QUAN", "")]),
    ]
    return build([story], title=f"Phiếu xin lỗi {d.code}")


def result_slip(office: OfficeInfo, d: DossierDetail, event: EventView, results: list[str], *, link: str) -> bytes:
    """Phiếu trả kết quả: what was handed back, when, to whom, and whether the ID was checked."""
    story: list[Flowable] = [
        *header(office, W, on=event.at.date()),
        title_with_code("PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ", d.code, link, W),
        field("Người nộp hồ sơ", d.applicant_name), field("Nội dung yêu cầu giải quyết", d.procedure_name),
        field("Thời gian nhận hồ sơ", fmt_time_formal(d.received_at)),
        field("Thời gian hẹn trả kết quả", fmt_time_formal(d.due_at)),
        p("Kết quả giải quyết hồ sơ gồm:"),
        grid([["STT", "Tên kết quả"], *[[str(i), r] for i, r in enumerate(results, 1)]], [12 * mm, W - 12 * mm]),
        Spacer(1, 2 * mm),
        field("Thời gian trả kết quả", fmt_time_formal(d.returned_at or event.at)),
        field("Người nhận kết quả", d.returned_to or str(event.details.get("to", ""))),
        field("Giấy tờ tùy thân đã kiểm tra",
              f"Có, số {event.details.get('id_number') or d.id_number}" if d.returned_id_checked else "Không"),
        signatures(W, [("NGƯỜI NHẬN KẾT QUẢ", d.returned_to), ("NGƯỜI TRẢ KẾT QUẢ", event.signed_by)]),
    ]
    return build([story], title=f"Phiếu trả kết quả {d.code}")


def fee_receipt(office: OfficeInfo, d: DossierDetail, event: EventView, *, link: str) -> bytes:
    """Biên lai thu phí, lệ phí: its series and number, the payer, each fee with how it was counted, the
    total in figures and words, how it was paid, and who collected it."""
    number = str(event.details.get("receipt_no", ""))
    fees = [f for f in d.fees if f.receipt_no == number] or [f for f in d.fees if f.paid]
    total = sum(f.amount for f in fees)
    series, _, serial = number.partition("-")
    rows: list[list] = [["STT", "Nội dung thu", "Cách tính", "Số tiền"]]
    rows += [[str(i), f.name, f.basis, fmt_money(f.amount)] for i, f in enumerate(fees, 1)]
    rows.append(["", "Tổng cộng", "", fmt_money(total)])
    how = PAY_METHODS.get(str(event.details.get("method", "")), "")
    story: list[Flowable] = [
        *header(office, W, number=f"Ký hiệu: {series} — Số: {serial}", on=event.at.date()),
        title_with_code("BIÊN LAI THU PHÍ, LỆ PHÍ", d.code, link, W),
        field("Tên người nộp", d.signer),
        *([field("Tên tổ chức", d.applicant_name)] if d.applicant_type != 1 else []),
        field("Địa chỉ", d.address),
        field("Nội dung yêu cầu giải quyết", d.procedure_name),
        grid(rows, [12 * mm, W - 12 * mm - 70 * mm - 28 * mm, 70 * mm, 28 * mm]), Spacer(1, 2 * mm),
        p(f"Tổng số tiền: <b>{fmt_money(total)}</b> (bằng chữ: {in_words(total)})"),
        field("Hình thức thanh toán", how),
        p("Căn cứ thu: mức thu phí, lệ phí theo quy định hiện hành (Thông tư số 226/2016/TT-BTC đối với "
          "phí chứng thực; Nghị quyết của Hội đồng nhân dân thành phố đối với lệ phí thuộc thẩm quyền)."),
        signatures(W, [("NGƯỜI NỘP TIỀN", d.signer), ("NGƯỜI THU TIỀN", event.signed_by)]),
    ]
    return build([story], title=f"Biên lai thu phí {number}")
