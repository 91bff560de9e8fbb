"""The API of who came and of changing an event (docs/architecture.md, *JSON API*):
GET /api/v1/events/{id}/registrations with its filters, and PATCH /api/v1/events/{id} with the
status walk draft → published → cancelled; roles and bad input; both engines."""
from datetime import date, time

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import Event, EventFormat, EventStatus
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, admit_walk_in, check_in
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Channel, RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register

DAY = date(2025, 7, 11)


@pytest.fixture
def api(app, bearer):
    def caller(role: Role = Role.ORGANIZER):
        headers = bearer(role)
        client = app.test_client()

        def call(method: str, path: str, **kw):
            return client.open(path, method=method, headers=headers, **kw)

        return call

    return caller


@pytest.fixture
def door(make_event, make_user):
    """Four registrations of a hybrid event: 1 髙橋 by the public form via LINE, checked in by
    QR at 18:42; 2 山﨑 by staff, on demand; 3 佐藤 by staff, cancelled; 4 伊藤 a walk-in (19:05)."""
    event = make_event(format=EventFormat.HYBRID)
    organizer = make_user("api-door", Role.ORGANIZER)

    def add(name, kana, email, mode, source, channel=None, **kw):
        person = PersonFields(family_name=name, given_name="花子", family_kana=kana, given_kana="はなこ", email=email, **kw)
        return register(db.session, event_id=event.id, person=person, mode=mode, source=source,
                        channel=channel).registration

    first = add("髙橋", "たかはし", "t@example.jp", RegistrationMode.IN_PERSON, RegistrationSource.STAFF, Channel.LINE,
                organization="みなと病院", profession="その他", profession_other="福祉用具専門相談員")
    first.source = RegistrationSource.PUBLIC  # made on the public form before the event (its window is past now)
    db.session.commit()
    second = add("山﨑", "やまさき", "y@example.jp", RegistrationMode.ON_DEMAND, RegistrationSource.STAFF,
                 profession="看護師")
    third = add("佐藤", "さとう", "s@example.jp", RegistrationMode.IN_PERSON, RegistrationSource.STAFF)
    cancel(db.session, registration_id=third.id)
    scanned = tokyo_datetime(DAY, time(18, 42))
    check_in(db.session, event_id=event.id, staff=organizer, at=scanned,
             scan=Scan(ticket=first.ticket_token, nonce="api-roster-1", method=CheckInMethod.QR, scanned_at=scanned))
    fourth = admit_walk_in(db.session, event_id=event.id, staff=organizer, at=tokyo_datetime(DAY, time(19, 5)),
                           person=PersonFields(family_name="伊藤", family_kana="いとう", phone="04-7150-0004"))
    return event, [first.id, second.id, third.id, fourth.registration.id], [first.person_id, second.person_id,
                                                                           third.person_id,
                                                                           fourth.registration.person_id]


def test_the_list_says_who_came_and_how(api, door):
    event, ids, persons = door
    response = api()("GET", f"/api/v1/events/{event.id}/registrations")
    assert response.status_code == 200
    rows = response.json
    walk_in_at = rows[3].pop("checked_in_at")  # the server's time of the walk-in: now
    assert walk_in_at.endswith("+09:00")
    assert rows == [
        {"id": ids[0], "number": ids[0], "person_id": persons[0], "family_name": "髙橋", "given_name": "花子",
         "family_kana": "タカハシ", "given_kana": "ハナコ", "organization": "みなと病院",
         "profession": "福祉用具専門相談員", "mode": "in_person", "status": "registered", "channel": "line",
         "source": "web", "checked_in_at": "2025-07-11T18:42:00+09:00", "check_in_method": "qr"},
        {"id": ids[1], "number": ids[1], "person_id": persons[1], "family_name": "山﨑", "given_name": "花子",
         "family_kana": "ヤマサキ", "given_kana": "ハナコ", "organization": None, "profession": "看護師",
         "mode": "on_demand", "status": "registered", "channel": None, "source": "staff",
         "checked_in_at": None, "check_in_method": None},
        {"id": ids[2], "number": ids[2], "person_id": persons[2], "family_name": "佐藤", "given_name": "花子",
         "family_kana": "サトウ", "given_kana": "ハナコ", "organization": None, "profession": "",
         "mode": "in_person", "status": "cancelled", "channel": None, "source": "staff",
         "checked_in_at": None, "check_in_method": None},
        {"id": ids[3], "number": ids[3], "person_id": persons[3], "family_name": "伊藤", "given_name": "",
         "family_kana": "イトウ", "given_kana": "", "organization": None, "profession": "",
         "mode": "in_person", "status": "registered", "channel": None, "source": "walk_in",
         "check_in_method": "walk_in"},
    ]
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export_attendance"))
    assert (log.target, log.detail) == (f"event:{event.id}", {"format": "api", "rows": 4})


@pytest.mark.parametrize("query, expected", [
    ("checked_in=true", [0, 3]),
    ("checked_in=false", [1, 2]),
    ("status=registered", [0, 1, 3]),
    ("status=registered&checked_in=false", [1]),
    ("status=cancelled&checked_in=true", []),
    ("status=waitlisted", []),
])
def test_the_filters(api, door, query, expected):
    event, ids, _ = door
    response = api()("GET", f"/api/v1/events/{event.id}/registrations?{query}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json] == [ids[i] for i in expected]


@pytest.mark.parametrize("query", ["checked_in=yes", "checked_in=1", "checked_in=", "status=gone"])
def test_bad_filters_are_refused_in_japanese(api, door, query):
    event, _, _ = door
    response = api()("GET", f"/api/v1/events/{event.id}/registrations?{query}")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error" and response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                             .where(AuditLog.action == "export_attendance")) == 0


def test_the_list_of_an_unknown_event_and_who_may_read_it(app, api, door):
    event, _, _ = door
    missing = api()("GET", "/api/v1/events/999999/registrations")
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "unknown_event")
    assert api(Role.RECEPTION)("GET", f"/api/v1/events/{event.id}/registrations").status_code == 403
    anonymous = app.test_client().get(f"/api/v1/events/{event.id}/registrations")
    assert anonymous.status_code == 401 and anonymous.json["error"]["code"]
    assert api(Role.ADMIN)("GET", f"/api/v1/events/{event.id}/registrations").status_code == 200


# --- PATCH /api/v1/events/{id} -------------------------------------------------------------


def test_patch_walks_draft_published_cancelled_and_no_further(api, make_event):
    event = make_event(published=False, capacity=40)
    call = api()
    path = f"/api/v1/events/{event.id}"
    assert call("GET", path).json["status"] == "draft"

    published = call("PATCH", path, json={"status": "published"})
    assert (published.status_code, published.json["status"]) == (200, "published")
    assert published.json["capacity"] == 40 and published.json["title"] == "ICTを活用した多職種連携について"
    back = call("PATCH", path, json={"status": "draft"})
    assert back.json["status"] == "draft"
    call("PATCH", path, json={"status": "published"})
    cancelled = call("PATCH", path, json={"status": "cancelled"})
    assert (cancelled.status_code, cancelled.json["status"]) == (200, "cancelled")
    assert call("PATCH", path, json={"status": "cancelled"}).status_code == 200  # already so: nothing to refuse

    for body in ({"status": "published"}, {"status": "draft"}, {"title": "再開"}):
        refused = call("PATCH", path, json=body)
        assert (refused.status_code, refused.json["error"]["code"]) == (409, "event_cancelled"), body
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED
    assert db.session.get(Event, event.id).title == "ICTを活用した多職種連携について"


def test_patch_changes_only_what_it_sends(api, make_event, make_series):
    event = make_event(published=False, capacity=40, area="東部", goals=["collaboration", "sharing"])
    citizens = make_series("市民公開講座")
    call = api()
    changed = call("PATCH", f"/api/v1/events/{event.id}", json={
        "title": "ICTを活用した多職種連携について（第2部）", "capacity": None, "joint_series_ids": [citizens.id],
        "status": "published"})
    assert changed.status_code == 200
    body = changed.json
    assert (body["title"], body["capacity"], body["joint_series_ids"], body["status"]) == (
        "ICTを活用した多職種連携について（第2部）", None, [citizens.id], "published")
    assert (body["area"], body["goals"], body["scenes"], body["venue"], body["waitlist"]) == (
        "東部", ["sharing", "collaboration"], ["daily"], "市役所 第1会議室", True)
    assert (body["starts_at"], body["ends_at"], body["fiscal_year"]) == (
        "2025-07-11T18:30:00+09:00", "2025-07-11T20:20:00+09:00", 2025)
    moved = call("PATCH", f"/api/v1/events/{event.id}", json={
        "starts_at": "2026-04-01T10:00:00+09:00", "ends_at": "2026-04-01T12:00:00+09:00"})
    assert (moved.json["fiscal_year"], moved.json["title"]) == (2026, "ICTを活用した多職種連携について（第2部）")


@pytest.mark.parametrize("body, status, code, field", [
    ({"ends_at": "2025-07-11T17:00:00+09:00"}, 422, "ends_before_start", "ends_at"),  # before the kept start
    ({"title": " "}, 422, "validation_error", "title"),
    ({"title": None}, 422, "validation_error", "title"),
    ({"status": "held"}, 422, "validation_error", "status"),
    ({"capacity": -1}, 422, "validation_error", "capacity"),
    ({"colour": "red"}, 422, "validation_error", "colour"),
    ({"series_id": 999999}, 404, "unknown_series", "series_id"),
    ({"goals": ["peace"]}, 422, "validation_error", "goals"),
])
def test_patch_refuses_bad_input_and_changes_nothing(api, make_event, body, status, code, field):
    event = make_event(published=False)
    response = api()("PATCH", f"/api/v1/events/{event.id}", json={**body, "venue": "変わらないはず"})
    assert (response.status_code, response.json["error"]["code"]) == (status, code)
    assert field in response.json["error"].get("fields", {field: None})
    kept = db.session.get(Event, event.id)
    assert (kept.venue, kept.status, kept.ends_at) == ("市役所 第1会議室", EventStatus.DRAFT, event.ends_at)


def test_patch_of_an_unknown_event_and_who_may_send_it(app, api, make_event):
    event = make_event()
    missing = api()("PATCH", "/api/v1/events/999999", json={"status": "cancelled"})
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "unknown_event")
    assert api(Role.RECEPTION)("PATCH", f"/api/v1/events/{event.id}", json={"status": "cancelled"}).status_code == 403
    anonymous = app.test_client().patch(f"/api/v1/events/{event.id}", json={"status": "cancelled"})
    assert anonymous.status_code == 401
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED


def test_both_documented(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/events/{event_id}/registrations"])
    assert {"get", "patch"} <= set(paths["/api/v1/events/{event_id}"])
    listed = paths["/api/v1/events/{event_id}/registrations"]["get"]
    assert [p["name"] for p in listed["parameters"]] == ["status", "checked_in"]
