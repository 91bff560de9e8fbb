"""The series and events API exactly as docs/architecture.md, *JSON API*, its error JSON, and bad
input."""
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Event, Series
from eventsapp.extensions import db
from tests_support import queries

EVENT = {
    "title": "ICTを活用した多職種連携について",
    "starts_at": "2025-07-11T18:30:00+09:00",
    "ends_at": "2025-07-11T20:20:00+09:00",
    "venue": "市役所 第1会議室",
    "format": "in_person",
    "goals": ["collaboration", "sharing"],
    "scenes": ["daily"],
}
EVENT_KEYS = {
    "id", "title", "series_id", "joint_series_ids", "starts_at", "ends_at", "venue", "area", "format",
    "capacity", "waitlist", "status", "goals", "scenes", "fiscal_year",
}


@pytest.fixture
def api(app, bearer):
    headers = bearer(Role.ORGANIZER)
    client = app.test_client()

    def call(method: str, path: str, **kw):
        return client.open(path, method=method, headers=headers, **kw)

    return call


@pytest.fixture
def series_id(api) -> int:
    response = api(
        "POST", "/api/v1/series",
        json={"name": "介護と医療をつむぐ会", "audience": "professionals", "goals": ["collaboration"], "scenes": ["daily"]},
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_series_create_and_list(api, series_id):
    listed = api("GET", "/api/v1/series").json
    assert listed == [
        {"id": series_id, "name": "介護と医療をつむぐ会", "audience": "professionals",
         "goals": ["collaboration"], "scenes": ["daily"], "description": "", "retention_years": None}
    ]
    kept = api("POST", "/api/v1/series", json={"name": "市民公開講座", "audience": "citizens", "retention_years": 3})
    assert kept.status_code == 201 and kept.json["retention_years"] == 3
    assert db.session.get(Series, kept.json["id"]).retention_years == 3


def test_the_series_list_costs_the_same_queries_however_many_series(api, series_id):
    listing = lambda: api("GET", "/api/v1/series")  # noqa: E731
    few = queries(listing)
    for n in range(5):
        assert api("POST", "/api/v1/series", json={"name": f"シリーズ{n}", "audience": "citizens",
                                                   "goals": ["awareness"], "scenes": ["common"]}).status_code == 201
    assert queries(listing) == few
    assert [s["goals"] for s in api("GET", "/api/v1/series").json] == [["collaboration"]] + [["awareness"]] * 5


def test_event_create_and_list_by_fiscal_year(api, series_id):
    lecture = api("POST", "/api/v1/series", json={"name": "市民公開講座", "audience": "citizens", "goals": ["awareness"]}).json
    body = {**EVENT, "series_id": series_id, "joint_series_ids": [lecture["id"]], "capacity": 100, "area": "東部"}
    created = api("POST", "/api/v1/events", json=body)
    assert created.status_code == 201, created.json
    event = created.json
    assert EVENT_KEYS <= set(event)
    assert event["fiscal_year"] == 2025 and event["status"] == "draft"
    assert event["starts_at"] == "2025-07-11T18:30:00+09:00"
    assert event["goals"] == ["sharing", "collaboration"] and event["scenes"] == ["daily"]
    assert event["joint_series_ids"] == [lecture["id"]] and event["capacity"] == 100 and event["waitlist"] is True

    # Any offset is accepted; Tokyo time is written back. 15:00Z on 31 March is 1 April in Tokyo.
    april = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id,
                                                 "starts_at": "2026-03-31T15:00:00Z", "ends_at": "2026-03-31T17:00:00+00:00"}).json
    assert april["fiscal_year"] == 2026 and april["starts_at"] == "2026-04-01T00:00:00+09:00"

    fy2025 = api("GET", "/api/v1/events?fiscal_year=2025").json
    assert [e["id"] for e in fy2025] == [event["id"]]
    assert [e["id"] for e in api("GET", "/api/v1/events?fiscal_year=2026").json] == [april["id"]]
    assert len(api("GET", "/api/v1/events").json) == 2
    assert api("GET", f"/api/v1/events/{event['id']}").json["title"] == EVENT["title"]
    missing = api("GET", "/api/v1/events/99999")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "unknown_event"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"ends_at": "2025-07-11T17:00:00+09:00"}, 422, "ends_before_start"),
        ({"goals": ["collaboration", "unknown"]}, 422, "validation_error"),  # codes listed in the document
        ({"scenes": ["nowhere"]}, 422, "validation_error"),
        ({"capacity": -5}, 422, "validation_error"),  # minimum 0 in the document
        ({"registration_opens_at": "2025-08-01T09:00:00+09:00"}, 422, "registration_window_after_event"),
        ({"title": "長" * 201}, 422, "validation_error"),  # maxLength 200 in the document
        ({"title": ""}, 422, "validation_error"),  # minLength 1
        ({"title": " \u3000"}, 422, "validation_error"),  # pattern: one character that is not a space
        ({"venue": "会" * 201}, 422, "validation_error"),  # varchar(200): a 500 on PostgreSQL before
        ({"starts_at": "2025-13-40T18:30:00+09:00"}, 422, "validation_error"),
        ({"starts_at": "2025-07-11T18:30:00"}, 422, "validation_error"),  # no time zone
        ({"starts_at": "2025-07-11T18:30:00+25:00"}, 422, "validation_error"),
        ({"starts_at": "明日の夕方"}, 422, "validation_error"),
        ({"capacity": "百"}, 422, "validation_error"),
        ({"goals": "collaboration"}, 422, "validation_error"),
        ({"format": "circus"}, 422, "validation_error"),
        ({"series_id": 424242}, 404, "unknown_series"),
        ({"unexpected": 1}, 422, "validation_error"),
        ({"title": None}, 422, "validation_error"),
    ],
)
def test_bad_events_get_a_japanese_4xx_and_nothing_is_stored(api, series_id, change, status, code):
    response = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id, **change})
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert count(Event) == 0


def test_years_outside_2000_to_2100_are_a_422_in_japanese(api, series_id):
    for starts_at in ("1376-07-11T18:30:00+09:00", "1999-12-31T23:59:59+09:00", "2101-01-01T00:00:00+09:00"):
        response = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id, "starts_at": starts_at})
        assert response.status_code == 422, (starts_at, response.json)  # 1376 was a 500
        assert response.json["error"]["fields"] == {"starts_at": ["2000年から2100年までの日付を指定してください。"]}
    last = {"starts_at": "2100-12-31T10:00:00+09:00", "ends_at": "2100-12-31T12:00:00+09:00"}
    created = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id, **last})
    assert created.status_code == 201 and created.json["fiscal_year"] == 2100
    assert api("GET", "/api/v1/events?fiscal_year=1999").status_code == 422
    spec = api("GET", "/api/v1/openapi.json").json
    assert spec["components"]["schemas"]["EventIn"]["properties"]["starts_at"]["pattern"] == "^(20[0-9]{2}|2100)-"
    year = spec["paths"]["/api/v1/reports/fiscal-year/{year}"]["parameters"][0]["schema"]
    assert (year["minimum"], year["maximum"]) == (2000, 2100)


def test_malformed_bodies(api, series_id):
    response = api("POST", "/api/v1/events", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"
    response = api("POST", "/api/v1/events", json=["a", "list"])
    assert response.status_code == 422
    assert api("GET", "/api/v1/events?fiscal_year=abc").status_code == 422
    assert count(Event) == 0


def test_series_bad_input(api, series_id):
    assert api("POST", "/api/v1/series", json={"name": "介護と医療をつむぐ会", "audience": "professionals"}).json["error"]["code"] == "name_taken"
    assert api("POST", "/api/v1/series", json={"name": "x", "audience": "aliens"}).status_code == 422
    unknown_scene = api("POST", "/api/v1/series", json={"name": "y", "audience": "citizens", "scenes": ["z"]})
    assert unknown_scene.json["error"]["code"] == "validation_error"  # the codes are listed in the document
    assert api("POST", "/api/v1/series", json={"name": "", "audience": "citizens"}).status_code == 422
    for years in (0, 101, "5", 2.5):
        refused = api("POST", "/api/v1/series", json={"name": "z", "audience": "citizens", "retention_years": years})
        assert refused.status_code == 422 and "retention_years" in refused.json["error"]["fields"], years
    assert count(Series) == 1


def test_openapi_document_is_generated(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/series", "/api/v1/events", "/api/v1/events/{event_id}"} <= set(spec["paths"])
    assert "EventIn" in spec["components"]["schemas"]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={name: JSONISH for name in [*EVENT, "series_id", "capacity", "joint_series_ids", "registration_opens_at", "area"]},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=FIELDS)
def test_random_bodies_never_cause_a_server_error(api, series_id, body):
    response = api("POST", "/api/v1/events", json=body)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.json["error"]) >= {"code", "message"}


@pytest.mark.parametrize("value", [1, 0, "true", "yes", None])
def test_a_boolean_is_true_or_false_only(api, series_id, value):
    """The document says boolean; marshmallow alone took 1, "true" and "yes" (schemathesis)."""
    refused = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id, "waitlist": value})
    assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["waitlist"], refused.json
    accepted = api("POST", "/api/v1/events", json={**EVENT, "series_id": series_id, "waitlist": False})
    assert accepted.status_code == 201 and accepted.json["waitlist"] is False
