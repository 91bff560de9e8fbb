"""Refusals in the visitor's language: DomainError messages are translated when shown, so the
English UI (?lang=en) shows English refusals — on the door's page and in its API, on the venue
survey, on the 403 page and from the input guard — with 和暦 dates as the helpers write them.
And every code of every DomainError subclass has its English in the compiled catalogue."""
from datetime import timedelta
from pathlib import Path

from babel.support import Translations
from flask_babel import LazyString
from test_venue_link import FORM, open_event, register as register_kana, venue_url

from eventsapp.auth.models import Role
from eventsapp.dates import format_moment, now
from eventsapp.domain import DomainError
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register

TRANSLATIONS = Path(__file__).resolve().parents[1] / "eventsapp" / "translations"


def in_english(client):
    client.get("/?lang=en")  # kept in the session
    return client


def test_the_closed_door_speaks_english_with_the_wareki_time(make_event, login, client):
    starts_at = now() + timedelta(days=3)
    event = make_event(capacity=10, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    login(Role.RECEPTION)
    in_english(client)
    opens = format_moment(starts_at - timedelta(hours=24))  # FLASK_CHECKIN_OPENS_BEFORE: 24 hours
    sentence = f"Check-in has not started yet. It opens at {opens}."

    page = client.get(f"/checkin/events/{event.id}")
    assert page.status_code == 403 and sentence in page.text

    api = client.get(f"/api/v1/events/{event.id}/tickets")
    assert api.status_code == 403
    assert api.json == {"error": {"code": "outside_checkin_window", "message": sentence}}


def test_a_door_refusal_in_the_api_speaks_english(make_event, login, client):
    event = make_event(capacity=10, starts_at=now() - timedelta(minutes=30), ends_at=now() + timedelta(hours=2))
    login(Role.RECEPTION)
    in_english(client)
    response = client.post(f"/api/v1/events/{event.id}/checkins", json={"ticket": "no-such-ticket",
                                                                         "nonce": "english-0001"})
    assert response.status_code == 404
    assert response.json == {"error": {"code": "unknown_ticket", "message": "This ticket was not found."}}


def test_the_venue_mismatch_speaks_english(client, make_event):
    event = open_event(make_event)
    victim = register_kana(event, 1, family_kana="ヤマダ")
    in_english(client)
    answer = client.post(venue_url(event), data={**FORM, "registration": str(victim.id), "registration_kana": "や"})
    assert answer.status_code == 422
    assert "The registration number and the furigana (family name) do not match." in answer.text
    assert "一致しません" not in answer.text


def test_the_403_page_speaks_english(login, client):
    login(Role.RECEPTION)
    in_english(client)
    page = client.get("/admin/tags")
    assert page.status_code == 403 and "You do not have permission to do this." in page.text


def test_the_input_guard_speaks_english(client):
    in_english(client)
    page = client.get("/?q=%00")
    assert page.status_code == 400 and "The input contains characters that cannot be used" in page.text
    api = client.get("/api/v1/events?q=%00")
    assert api.status_code == 400 and api.json["error"]["code"] == "invalid_characters"
    assert api.json["error"]["message"].startswith("The input contains characters that cannot be used")


def test_a_refusal_in_japanese_stays_japanese(make_event, app):
    """The default language is unchanged: the same refusal, in Japanese."""
    event = make_event(capacity=0, waitlist=False)
    person = PersonFields(family_name="満", family_kana="まん", email="full@example.jp")
    with app.test_request_context("/"):
        try:
            register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                     source=RegistrationSource.STAFF)
        except DomainError as error:
            assert (error.code, error.status, error.message) == ("full", 409, "定員に達したため、申込を受け付けられません。")
        else:
            raise AssertionError("a full event took a registration")


def subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *subclasses(sub)]
    return found


def test_every_domain_error_code_has_english_in_the_compiled_catalogue(app):
    """Reads eventsapp/translations/en/LC_MESSAGES/messages.mo, as the running app does."""
    english = Translations.load(str(TRANSLATIONS), ["en"])
    names = {cls.__name__ for cls in subclasses(DomainError)}
    assert {"CatalogError", "RegistrationError", "CheckInError", "SurveyError", "AuthError", "IdentityError",
            "AttendanceImportError", "ResponseImportError", "InputError", "ReportError"} <= names
    untranslated, plain = [], []
    for cls in [DomainError, *subclasses(DomainError)]:
        for code, (message, status) in cls.MESSAGES.items():
            assert 400 <= status < 500, (cls.__name__, code)
            if not isinstance(message, LazyString):
                plain.append((cls.__name__, code))
                continue
            msgid = message._args[0]
            if english.gettext(msgid) == msgid:
                untranslated.append(f"{cls.__name__}.{code}: {msgid}")
    assert not untranslated, "\n".join(untranslated)
    assert plain == []


def test_the_api_validation_messages_speak_english(login, client, make_event):
    """marshmallow's messages (apikit), the year ranges (dates.py) and the field bounds."""
    login(Role.ORGANIZER)
    in_english(client)
    answer = client.post("/api/v1/events", json={"series_id": "x", "title": "t" * 201, "capacity": -1,
                                                 "starts_at": "1376-07-11T18:30:00+09:00", "unknown": 1})
    assert answer.status_code == 422
    fields = answer.json["error"]["fields"]
    assert fields == {"series_id": ["Give a whole number."],
                      "capacity": ["The capacity must be a whole number of 0 or more."],
                      "starts_at": ["Give a date between the years 2000 and 2100."],
                      "ends_at": ["This field is required."], "format": ["This field is required."],
                      "unknown": ["This field is not accepted."],
                      "title": ["Give at most 200 characters."]}
    assert not any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in answer.json["error"]["message"])

    report = client.get("/api/v1/reports/fiscal-year/1999")
    assert report.status_code == 422
    assert report.json["error"]["message"] == "Give the fiscal year as a western year from 2000 to 2100."
