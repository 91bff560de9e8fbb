"""GET /api/v1/events/{id}/survey and POST /api/v1/events/{id}/responses
(docs/architecture.md, *JSON API*)."""
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.surveys.models import Answer, Response


@pytest.fixture
def api(app, bearer):
    headers = bearer(Role.ORGANIZER)
    client = app.test_client()
    return lambda method, path, **kw: client.open(path, method=method, headers=headers, **kw)


def counts() -> tuple[int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Response, Answer))


def test_read_the_survey(api, make_event):
    event = make_event()
    body = api("GET", f"/api/v1/events/{event.id}/survey").json
    assert set(body) == {"id", "questions"}
    keys = [q["key"] for q in body["questions"]]
    assert keys == ["satisfaction", "collaboration", "applicability", "profession", "comments"]
    satisfaction = body["questions"][0]
    assert set(satisfaction) == {"key", "text", "kind", "indicator", "audience", "options"}
    assert satisfaction["kind"] == "likert" and satisfaction["indicator"] == "satisfaction"
    assert satisfaction["audience"] is None  # asked of everyone: a one-audience event's survey
    assert satisfaction["options"][0] == {"code": "very_satisfied", "label": "とても満足", "positive": True}
    assert body["questions"][4]["options"] == [] and body["questions"][4]["indicator"] is None
    assert api("GET", "/api/v1/events/99999/survey").status_code == 404


def test_enter_a_paper_response(api, make_event, app):
    event = make_event(day=date(2024, 7, 12))  # closed long ago: staff entry is not bound by it
    created = api("POST", f"/api/v1/events/{event.id}/responses",
                  json={"answers": {"satisfaction": "satisfied", "comments": "<b>良い</b>"}})
    assert created.status_code == 201, created.json
    assert created.json["answers"] == {"satisfaction": "satisfied", "comments": "<b>良い</b>"}
    assert created.json["registration_id"] is None and created.json["source"] == "paper"
    assert counts() == (1, 2)
    refusals = [
        ({"answers": {"satisfaction": "great"}}, 422, "unknown_option"),
        ({"answers": {"satisfaction": "たいへん良い"}}, 422, "unknown_option"),
        ({"answers": {"profession": ["nurse"]}}, 422, "single_expected"),
        ({"answers": {"comments": "x" * 10_240}}, 422, "too_long"),
        ({"answers": {"unknown": "x"}}, 404, "unknown_question"),
        ({"answers": {}, "registration_id": 424242}, 404, "unknown_registration"),
        ({"answers": "satisfied"}, 422, "validation_error"),
        ({}, 422, "validation_error"),
    ]
    for body, status, code in refusals:
        response = api("POST", f"/api/v1/events/{event.id}/responses", json=body)
        assert response.status_code == status and response.json["error"]["code"] == code, (body, response.json)
        assert response.json["error"]["message"]
    missing = api("POST", "/api/v1/events/99999/responses", json={"answers": {}})
    assert missing.status_code == 404 and missing.json["error"]["code"] == "unknown_event"
    assert counts() == (1, 2)
    anonymous = app.test_client().post(f"/api/v1/events/{event.id}/responses", json={"answers": {}})
    assert anonymous.status_code == 401


CODES = st.sampled_from(["very_satisfied", "satisfied", "neutral", "yes", "no", "nurse", "x", "", "とても満足"])
VALUES = st.one_of(CODES, st.lists(CODES, max_size=3), st.text(max_size=50), st.integers(), st.none(),
                   st.booleans(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
KEYS = st.sampled_from(["satisfaction", "collaboration", "applicability", "profession", "comments", "other"])
BODIES = st.fixed_dictionaries(
    {"answers": st.one_of(st.dictionaries(KEYS, VALUES, max_size=5), VALUES)},
    optional={"registration_id": st.one_of(st.none(), st.integers(), st.text(max_size=5))},
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_generated_answer_payloads_never_cause_a_server_error(api, make_event, body):
    event = make_event()
    before = counts()
    response = api("POST", f"/api/v1/events/{event.id}/responses", json=body)
    assert response.status_code in (201, 400, 404, 409, 422), response.json  # 400: a NUL or lone surrogate
    if response.status_code == 201:
        assert counts()[0] == before[0] + 1
        assert set(response.json["answers"]) == {k for k, v in body["answers"].items()
                                                 if not (isinstance(v, str) and not v.strip()) and v != []}
    else:
        assert counts() == before and response.json["error"]["message"]
