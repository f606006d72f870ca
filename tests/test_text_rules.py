"""Text as a person can type it: what is refused, what is normalised, and what the messages say."""

from __future__ import annotations

import unicodedata

import pytest

from counter_app.errors import InvalidInput
from counter_app.rules.text import check_all, clean
from counter_app.views.accounts import AccountIn
from counter_app.views.dossiers import ApplicantIn, DocumentIn, IntakeForm
from counter_app.views.lists import DossierQuery


@pytest.mark.parametrize("bad", ["Lan\x00", "Lan\ud800", "\u202eLan", "Lan\u2066x", "Lan\x1b[31m", "Lan\ue000",
                                 "Lan\uffff", "Lan\nThị"])
def test_refused_in_a_one_line_field_with_the_field_named_and_the_value_not(bad):
    with pytest.raises(InvalidInput) as refused:
        clean(bad, field="applicant.name", field_vi="Họ tên", max_len=100)
    assert "“Họ tên”" in refused.value.message_vi
    assert "Lan" not in str(refused.value) and "applicant.name" in str(refused.value)


def test_nfc_lines_and_lengths():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert clean(decomposed, field="x", field_vi="x", max_len=100) == "Nguyễn Văn Đức"
    assert clean("dòng 1\ndòng 2\tx", field="x", field_vi="Lý do", max_len=100, multiline=True) == "dòng 1\ndòng 2\tx"
    with pytest.raises(InvalidInput) as long:
        clean("a" * 121, field="x", field_vi="Họ tên", max_len=120)
    assert long.value.message_vi == "“Họ tên” dài quá 120 ký tự."


def test_every_form_that_comes_in_is_cleaned():
    assert ApplicantIn(name=unicodedata.normalize("NFD", "Lê Thu Hà")).name == "Lê Thu Hà"
    for build in (lambda: ApplicantIn(name="x" * 10_000), lambda: ApplicantIn(address="Số 1\x00"),
                  lambda: ApplicantIn(phone="\u202e0912"), lambda: DocumentIn(name="Tờ khai\ud800"),
                  lambda: IntakeForm(submission_id="s", procedure="1.004222", applicant=ApplicantIn(),
                                     reason="r" * 2001),
                  lambda: DossierQuery(text="\x00"), lambda: AccountIn(username="canbo9", full_name="A\u202eB"),
                  lambda: AccountIn(username="canbo9", full_name="A B", password="matkhau\x00dai")):
        with pytest.raises(InvalidInput):
            build()


def test_a_request_is_walked_whole():
    check_all({"form": {"applicant": {"name": "Lan"}, "documents": [{"name": "Tờ khai"}]}})
    with pytest.raises(InvalidInput) as refused:
        check_all({"form": {"documents": [{"name": "ok"}, {"name": "Tờ\x00"}]}})
    assert "form.documents[1].name: NUL" in str(refused.value)
    with pytest.raises(InvalidInput):
        check_all({"key\u202e": "x"})
    with pytest.raises(InvalidInput):
        check_all({"note": "x" * 4001})


def test_reasons_and_notes_are_cleaned_in_the_services_too(office):
    from tests.conftest import make_form

    made = office.receive(make_form(), actor="canbo1")
    with pytest.raises(InvalidInput) as refused:
        office.withdraw(made.code, reason="Công dân rút\u202e", actor="canbo1")
    assert "“lý do rút hồ sơ”" in refused.value.message_vi
    with pytest.raises(InvalidInput):
        office.start_processing(made.code, note="x\x00", actor="canbo1")
    with pytest.raises(InvalidInput):
        office.start_processing(made.code, note="x" * 2001, actor="canbo1")
    done = office.start_processing(made.code, note=unicodedata.normalize("NFD", "Chuyển phòng Tư pháp"), actor="canbo1")
    assert done.events[-1].details["note"] == "Chuyển phòng Tư pháp"
