"""Checking who applies, all at once: every problem of the form, each tied to its field.

The same check runs on the clerk's screen before anything is sent (to mark the fields) and in the
office's intake (which trusts no screen). A name is also offered in proper case, with a warning when
it was typed without diacritics.
"""

from __future__ import annotations

import re

from counter_app.errors import FormProblems, InvalidInput, Problem
from counter_app.rules.contact import normalize_email, normalize_phone

PERSON_ID = re.compile(r"[0-9]{9}|[0-9]{12}")  # citizen ID (12), old identity card (9)
TAX_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?")  # enterprise code = tax code; a branch adds -NNN
CITIZEN, ENTERPRISE = 1, 2
# Procedures that concern a person besides the applicant, and what that person is called on the forms.
SUBJECTS = {
    "ht.khai-sinh": "Người được khai sinh",
    "ht.dang-ky-lai-khai-sinh": "Người được khai sinh",
    "ht.khai-sinh-nhan-cha-me-con": "Người được khai sinh",
    "ht.khai-tu": "Người đã chết",
    "ht.dang-ky-lai-khai-tu": "Người đã chết",
    "ht.khai-tu-luu-dong": "Người đã chết",
    "ht.giam-ho": "Người được giám hộ",
    "ht.cham-dut-giam-ho": "Người được giám hộ",
}


def subject_label(procedure_key: str) -> str:
    """What the person a dossier of this procedure concerns is called ("" when it concerns the applicant)."""
    return SUBJECTS.get(procedure_key, "")
__all__ = ["FormProblems", "Problem", "applicant_problems", "lacks_diacritics", "proper_name", "subject_label"]


def applicant_problems(*, type_: int, name: str, id_number: str, address: str, phone: str = "", email: str = "",
                       representative: str = "", representative_id: str = "") -> list[Problem]:
    """What is wrong with the applicant part of a form (nothing: an empty list)."""
    person = type_ == CITIZEN
    found: list[Problem] = []
    if not name.strip():
        found.append(Problem("name", f"Chưa nhập {'họ tên người nộp hồ sơ' if person else 'tên tổ chức'}.",
                             "applicant name is missing"))
    number = id_number.strip()
    if not number:
        found.append(Problem("id_number", "Chưa nhập " + ("số căn cước." if person else
                                                          "mã số doanh nghiệp / mã số thuế của tổ chức."),
                             "ID number is missing"))
    elif person and not PERSON_ID.fullmatch(number):
        found.append(Problem("id_number", f"Số căn cước “{number}” phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ).",
                             f"citizen ID number of {len(number)} characters is not 9 or 12 digits"))
    elif type_ == ENTERPRISE and not TAX_CODE.fullmatch(number):
        found.append(Problem("id_number", f"Mã số doanh nghiệp “{number}” phải gồm 10 chữ số "
                                          "(chi nhánh: 10 chữ số, gạch ngang, 3 chữ số).",
                             "enterprise code is not 10 digits (or 10-3)"))
    if not person:
        if not representative.strip():
            found.append(Problem("representative", "Chưa nhập họ tên người đại diện của tổ chức.",
                                 "representative is missing"))
        rep_id = representative_id.strip()
        if not rep_id:
            found.append(Problem("representative_id", "Chưa nhập số căn cước của người đại diện.",
                                 "representative's ID number is missing"))
        elif not PERSON_ID.fullmatch(rep_id):
            found.append(Problem("representative_id", f"Số căn cước người đại diện “{rep_id}” phải gồm 12 chữ số.",
                                 "representative's ID number is not 9 or 12 digits"))
    if not address.strip():
        found.append(Problem("address", "Chưa nhập địa chỉ.", "address is missing"))
    for field, value, check in (("phone", phone, normalize_phone), ("email", email, normalize_email)):
        try:
            check(value)
        except InvalidInput as exc:
            found.append(Problem(field, exc.message_vi, str(exc)))
    return found


def proper_name(text: str) -> str:
    """`nguyễn văn  a` or `NGUYỄN VĂN A` → `Nguyễn Văn A`; a name already mixed-case is left as typed."""
    words = text.split()
    joined = " ".join(words)
    if joined and (joined == joined.lower() or joined == joined.upper()):
        return " ".join(w[:1].upper() + w[1:].lower() for w in words)
    return joined


def lacks_diacritics(name: str) -> bool:
    """A Vietnamese name typed in plain ASCII letters (`Nguyen Van A`), which the ID card never has."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters) and len(letters) >= 4
