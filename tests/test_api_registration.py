"""POST /api/v1/events/{id}/registrations and POST /api/v1/registrations/{id}/cancel
(docs/architecture.md, *JSON API*)."""
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventStatus
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration
from eventsapp.registration.service import RegistrationError, check_person_fields

PERSON = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
          "email": "hanako@example.jp", "profession": "看護師", "organization": "流山中央病院", "mode": "in_person"}


@pytest.fixture
def api(app, bearer):
    headers = bearer(Role.ORGANIZER)
    client = app.test_client()
    return lambda method, path, **kw: client.open(path, method=method, headers=headers, **kw)


def counts() -> tuple[int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Registration, Person))


def test_register_and_cancel_with_promotion(api, make_event):
    event = make_event(capacity=1, day=date(2025, 7, 11))  # past: staff may still back-fill
    first = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "channel": "line"})
    assert first.status_code == 201, first.json
    assert set(first.json) >= {"id", "person_id", "status", "ticket"} and first.json["status"] == "registered"
    again = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "email": "HANAKO@example.jp"})
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    second = api("POST", f"/api/v1/events/{event.id}/registrations",
                 json={**PERSON, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp"}).json
    assert second["status"] == "waitlisted"

    cancelled = api("POST", f"/api/v1/registrations/{first.json['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json == {"id": first.json["id"], "status": "cancelled", "promoted": second["id"]}
    twice = api("POST", f"/api/v1/registrations/{first.json['id']}/cancel")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_cancelled"
    assert api("POST", "/api/v1/registrations/99999/cancel").status_code == 404


def test_refusals(api, make_event):
    event = make_event()
    unknown = api("POST", "/api/v1/events/99999/registrations", json=PERSON)
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "unknown_event"
    bad_mail = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "email": "no-at-sign"})
    assert bad_mail.status_code == 422 and bad_mail.json["error"]["fields"] == {"email": ["メールアドレスの形式が正しくありません。"]}
    kanji = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "given_kana": "花子"})
    assert kanji.json["error"]["fields"] == {"given_kana": ["ふりがなは、ひらがなまたはカタカナで入力してください。"]}
    # the document's pattern says it beforehand
    spec = api("GET", "/api/v1/openapi.json").json["components"]["schemas"]["RegistrationIn"]["properties"]
    assert spec["family_name"]["minLength"] == 1 and spec["family_name"]["maxLength"] == 100
    assert "pattern" in spec["given_kana"] and "pattern" in spec["email"] and "pattern" in spec["phone"]
    for blank in ("", "  "):
        refused = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "family_name": blank})
        assert refused.json["error"]["fields"] == {"family_name": ["お名前（姓）を入力してください。"]}
    assert api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, "mode": "telepathy"}).status_code == 422
    event.status = EventStatus.CANCELLED
    db.session.commit()
    closed = api("POST", f"/api/v1/events/{event.id}/registrations", json=PERSON)
    assert closed.status_code == 409 and closed.json["error"]["code"] == "event_cancelled"
    assert counts() == (0, 0)


TEXT = st.text(max_size=120)
BODIES = st.fixed_dictionaries(
    {"family_name": TEXT},
    optional={key: TEXT for key in ("given_name", "family_kana", "given_kana", "email", "phone", "organization")}
    | {"mode": st.sampled_from(["in_person", "on_demand", "x"]), "channel": st.sampled_from(["line", "fax", None])},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_generated_payloads_never_cause_a_server_error_or_a_stray_row(api, make_event, body):
    event = make_event()
    before = counts()
    response = api("POST", f"/api/v1/events/{event.id}/registrations", json=body)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert counts() == before


def test_fields_longer_than_their_column_are_refused_not_a_server_error(api, make_event):
    """The phone column holds 30 characters and the profession 50: a 31-character phone of 10
    digits and spaces, or a 51-character profession, was a 500 on PostgreSQL (found by
    schemathesis against a live server)."""
    event = make_event()
    long_phone = "04" + " " * 21 + "71234567"  # 31 characters, 10 digits
    assert len(long_phone) == 31
    for field, value in (("phone", long_phone), ("profession", "看" * 51)):
        refused = api("POST", f"/api/v1/events/{event.id}/registrations", json={**PERSON, field: value})
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == [field], refused.json
    spec = api("GET", "/api/v1/openapi.json").json["components"]["schemas"]["RegistrationIn"]["properties"]
    assert spec["phone"]["maxLength"] == 30 and spec["profession"]["maxLength"] == 50
    # the service refuses them too, for every other way in (forms, imports)
    with pytest.raises(RegistrationError) as phone:
        check_person_fields(PersonFields(family_name="山田", phone=long_phone), public=False)
    with pytest.raises(RegistrationError) as profession:
        check_person_fields(PersonFields(family_name="山田", phone="0471234567", profession="看" * 51), public=False)
    assert (phone.value.code, profession.value.code) == ("phone_invalid", "profession_too_long")
    accepted = api("POST", f"/api/v1/events/{event.id}/registrations",
                   json={**PERSON, "phone": "04" + " " * 20 + "71234567", "profession": "看" * 50})
    assert accepted.status_code == 201, accepted.json
    assert counts() == (1, 1)
