"""Input no route can use is refused with a 400 before any view runs: a NUL in a path,
query or form, a lone surrogate in JSON, JSON nested too deep. Without eventsapp/inputguard.py
these fail: most as a 500 (the NUL ones on PostgreSQL, whose text cannot hold one), the rest
as a 200 or a 404 that let the input through."""
import json

import pytest

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.inputguard import MAX_JSON_DEPTH, json_depth_exceeds
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register

BAD = "invalid_characters"


@pytest.fixture
def server_errors_answered(app):
    """Exceptions become 500 answers, as in production, instead of failing the test early."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = None


@pytest.fixture
def organizer(app, login):
    return login(Role.ORGANIZER)


def refused_page(response) -> bool:
    return response.status_code == 400 and "使用できない文字" in response.get_data(as_text=True)


def test_a_nul_in_a_public_path_is_a_400_page(app, make_event, server_errors_answered):
    event = make_event()
    person = PersonFields(family_name="山田", family_kana="やまだ", email="a@example.jp")
    registration = register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                            source=RegistrationSource.STAFF).registration
    client = app.test_client()
    token = registration.manage_token
    for url in (f"/r/{token}%00", f"/r/{token}%00/cancel", f"/r/{token}%00/calendar.ics", "/q/abc%00",
                "/s/abc%00", f"/r/{token}?x=%00"):
        response = client.get(url)
        assert refused_page(response), (url, response.status_code)
        assert response.mimetype == "text/html"


def test_a_nul_in_the_door_and_people_searches_is_a_400(app, make_event, organizer, server_errors_answered):
    event = make_event()
    for url in (f"/checkin/events/{event.id}/search?q=%E5%B1%B1%00", "/admin/people?q=%E5%B1%B1%00"):
        assert refused_page(organizer.get(url)), url
    # the same searches without the NUL work
    assert organizer.get(f"/checkin/events/{event.id}/search?q=%E5%B1%B1").status_code == 200
    assert organizer.get("/admin/people?q=%E5%B1%B1").status_code == 200


def test_a_nul_in_a_form_field_or_its_name_is_a_400(app, server_errors_answered):
    client = app.test_client()
    assert refused_page(client.post("/login", data={"username": "staff\x00", "password": "x"}))
    assert refused_page(client.post("/login", data={"user\x00name": "staff", "password": "x"}))


def post_json(client, url: str, body: str, headers: dict):
    return client.post(url, data=body, headers={**headers, "Content-Type": "application/json"})


def test_a_lone_surrogate_in_api_json_is_a_400_json_error(app, make_event, bearer, server_errors_answered):
    event = make_event()
    headers = bearer(Role.ORGANIZER)
    client = app.test_client()
    bodies = {
        "/api/v1/series": '{"name": "\\ud800", "audience": "citizens"}',
        "/api/v1/events": '{"title": "a\\udfff", "series_id": 1}',
        f"/api/v1/events/{event.id}/registrations": '{"family_name": "\\ud800"}',
        f"/api/v1/events/{event.id}/responses": '{"answers": {"\\ud800": "x"}}',
        f"/api/v1/events/{event.id}/checkins": '{"ticket": "x", "nonce": "abcdefgh\\u0000"}',
    }
    for url, body in bodies.items():
        response = post_json(client, url, body, headers)
        assert response.status_code == 400, (url, response.status_code)
        assert response.json["error"]["code"] == BAD
        assert "使用できない文字" in response.json["error"]["message"]


def test_a_surrogate_pair_is_a_character_and_passes(app, bearer):
    response = post_json(app.test_client(), "/api/v1/series", '{"name": "会\\ud83d\\ude00", "audience": "citizens"}',
                         bearer(Role.ORGANIZER))
    assert response.status_code == 201, response.json
    assert response.json["name"] == "会\U0001F600"


def test_json_nested_100000_deep_is_a_400(app, bearer, server_errors_answered):
    body = "[" * 100_000 + "]" * 100_000
    response = post_json(app.test_client(), "/api/v1/events", body, bearer(Role.ORGANIZER))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "json_too_deep"


def test_json_depth_is_counted_outside_strings():
    assert MAX_JSON_DEPTH == 20
    assert not json_depth_exceeds(b"[" * 20 + b"]" * 20)
    assert json_depth_exceeds(b"[" * 21 + b"]" * 21)
    # {"a": [ {"b": 1} ]} is three deep; brackets inside strings, escaped quotes included, do not count
    assert not json_depth_exceeds(b'{"a": [{"b": 1}]}', limit=3)
    assert json_depth_exceeds(b'{"a": [{"b": [1]}]}', limit=3)
    assert not json_depth_exceeds(json.dumps({"t": "[[[[\\\"{{{{" * 10}).encode(), limit=1)
    assert json_depth_exceeds(b"[" * 21)  # unbalanced: the parser would recurse as deep


def test_the_depth_check_is_linear_on_hostile_bodies():
    """An unterminated string of escaped quotes made a first version scan again from every
    quote: 40 KB took 11 s. A megabyte now takes about a fifth of a second."""
    import time

    for body in (b'"' + b'\\"' * 500_000, b"[" * 1_000_000, (b"[" * 20 + b"]" * 20 + b",") * 25_000):
        started = time.perf_counter()
        json_depth_exceeds(body)
        assert time.perf_counter() - started < 2
