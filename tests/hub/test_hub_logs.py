"""Nothing secret in the hub's log: each error path driven over HTTP, then the log scanned for what was sent."""

from __future__ import annotations

from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub, post_op

SECRET_PASSWORD = "Bi-mat-9981-xyz"
NAME_AS_PASSWORD = "mk-secret-7788"  # a password typed into the name field
ID_NUMBER = "079188004321"
PHONE = "0987111222"
EMAIL = "lan.secret@@mail"
NAME = "Hoàng Thị Bímật"
ADDRESS = "Ngõ Bímật 77, Phường Cửa Nam"


def test_no_password_token_or_citizens_data_reaches_the_hub_log(hub: Hub):
    clerk = hub.client("quay-1").sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    person = {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS}
    form = make_form(**person).model_dump(mode="json")
    answers = {
        "bad counter number": post_op(hub, "sign_in", {"username": "canbo1", "password": SECRET_PASSWORD,
                                                     "counter_no": "một"}),
        "no name": post_op(hub, "sign_in", {"password": SECRET_PASSWORD, "counter_no": 1}),
        "unknown name": post_op(hub, "sign_in", {"username": NAME_AS_PASSWORD, "password": SECRET_PASSWORD,
                                               "counter_no": 1}),
        "wrong password": post_op(hub, "sign_in", {"username": "canbo2", "password": SECRET_PASSWORD,
                                                 "counter_no": 1}),
        "missing field": post_op(hub, "receive", {"form": {k: v for k, v in form.items() if k != "procedure"}},
                               session=clerk.token),
        "bad e-mail": post_op(hub, "receive", {"form": {**form, "applicant": {**person, "email": EMAIL}}},
                            session=clerk.token),
        "bad phone": post_op(hub, "receive", {"form": {**form, "applicant": {**person, "phone": PHONE + "99x"}}},
                           session=clerk.token),
        "no session": post_op(hub, "known_applicant", {"id_number": ID_NUMBER}),
        "session of another PC": post_op(hub, "known_applicant", {"id_number": ID_NUMBER}, session=clerk.token,
                                       machine="quay-2"),
        "not JSON": post_op(hub, "receive", '{"form": {"applicant": {"id_number": "' + ID_NUMBER + '", ',
                          session=clerk.token),
        "lone surrogate": post_op(hub, "receive", '{"form": {"procedure": "1.004222", "applicant": {"name": "'
                                + NAME + '\\ud800", "id_number": "' + ID_NUMBER + '"}}}', session=clerk.token),
        "NUL": post_op(hub, "known_applicant", '{"id_number": "' + ID_NUMBER + '\\u0000"}', session=clerk.token),
    }
    refused = {what: a.status_code for what, a in answers.items() if a.status_code >= 400}
    assert set(refused) == set(answers), {what: a.status_code for what, a in answers.items()}
    assert all(status < 500 for status in refused.values()), refused
    log = (hub.folder / "hub.log").read_text(encoding="utf-8", errors="replace")
    assert "refused" in log or "malformed" in log  # the errors were logged, only without their values
    secrets = [SECRET_PASSWORD, NAME_AS_PASSWORD, ID_NUMBER, PHONE, EMAIL, NAME, "Bímật", clerk.token,
               hub.tokens["quay-1"], hub.tokens["quay-2"]]
    assert [s for s in secrets if s in log] == []
