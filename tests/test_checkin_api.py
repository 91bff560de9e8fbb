"""The door's JSON API (docs/architecture.md, *JSON API*): answers, status codes, bad input and who
may call it."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckIn, CheckInMethod, RefusedScan
from eventsapp.checkin.service import ticket_hash
from eventsapp.dates import now, to_tokyo
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from tests_support import ROLE_PASSWORD, queries, under_way


@pytest.fixture
def event(make_event):
    return make_event(capacity=1, **under_way())


@pytest.fixture
def reg(event):
    def make(n: int, event_id: int | None = None) -> Registration:
        fields = PersonFields(family_name="山田", given_name=f"{'一二三四五'[n]}子", family_kana="やまだ",
                              email=f"api{n}@example.jp", organization="みなと訪問看護ステーション")
        return register(db.session, event_id=event_id or event.id, person=fields, mode=RegistrationMode.IN_PERSON,
                        source=RegistrationSource.STAFF).registration
    return make


@pytest.fixture
def door(client, bearer):
    headers = bearer(Role.RECEPTION)

    def post(path: str, body) -> tuple[int, dict]:
        response = client.post(path, json=body, headers=headers)
        return response.status_code, response.get_json()

    def get(path: str) -> tuple[int, dict]:
        response = client.get(path, headers=headers)
        return response.status_code, response.get_json()

    post.get = get
    return post


def checkins() -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def refused() -> int:
    return db.session.scalar(select(func.count()).select_from(RefusedScan))


def test_check_in_answers_as_the_contract_says(event, reg, door):
    registration = reg(1)
    status, body = door(f"/api/v1/events/{event.id}/checkins", {"ticket": registration.ticket_token, "nonce": "n-000001"})
    assert status == 201
    checked_in_at = body.pop("checked_in_at")
    assert body == {"result": "checked_in", "registration_id": registration.id, "name": "山田 二子",
                    "kana": "ヤマダ", "organization": "みなと訪問看護ステーション"}
    assert checked_in_at.endswith("+09:00")

    status, again = door(f"/api/v1/events/{event.id}/checkins", {"ticket": registration.ticket_token, "nonce": "n-000002"})
    assert (status, again["result"], again["checked_in_at"]) == (200, "already_checked_in", checked_in_at)

    status, replayed = door(f"/api/v1/events/{event.id}/checkins", {"ticket": registration.ticket_token, "nonce": "n-000001"})
    assert (status, replayed) == (201, {**body, "checked_in_at": checked_in_at})
    assert checkins() == 1


def test_a_check_in_is_three_statements_and_its_replay_two(make_event, reg, client, bearer):
    """The door's hot path, counted by hand (checkin/service.py check_in):
    1. the API token with its user (auth load_user_from_bearer);
    2. read_door: the event, the ticket's registration (locked), its person, organization and
       check-in, and what the nonce was answered before, in one SELECT;
    3. the check-in: INSERT … ON CONFLICT DO NOTHING RETURNING; then the commit.
    A replay of the nonce is 1 and 2, and writes nothing. SQLite takes its write lock with one
    no-op UPDATE before 2 (locking.py write_lock)."""
    headers = bearer(Role.RECEPTION)
    roomy = make_event(title="広い会場", **under_way())
    first, second = reg(1, roomy.id).ticket_token, reg(2, roomy.id).ticket_token
    path = f"/api/v1/events/{roomy.id}/checkins"
    # a first call notes the token's use (a write every 10 minutes, not counted here)
    assert client.post(path, json={"ticket": first, "nonce": "n-count-01"}, headers=headers).status_code == 201
    sqlite_lock = 1 if db.engine.dialect.name == "sqlite" else 0
    answers = []

    def scan(ticket: str, nonce: str):
        answers.append(client.post(path, json={"ticket": ticket, "nonce": nonce}, headers=headers))

    assert queries(lambda: scan(second, "n-count-02")) == 3 + sqlite_lock
    assert queries(lambda: scan(second, "n-count-02")) == 2 + sqlite_lock
    assert queries(lambda: scan(second, "n-count-03")) == 2 + sqlite_lock  # already checked in
    assert [a.status_code for a in answers] == [201, 201, 200]
    assert answers[1].get_json() == answers[0].get_json()
    assert answers[2].get_json()["result"] == "already_checked_in"
    assert checkins() == 2


def test_device_time_is_kept_and_given_back_as_the_check_in_time(event, reg, door):
    registration = reg(1)
    device_time = to_tokyo(now() - timedelta(minutes=10)).replace(microsecond=0)
    status, body = door(f"/api/v1/events/{event.id}/checkins", {
        "ticket": registration.ticket_token, "nonce": "n-offline1", "scanned_at": device_time.isoformat(),
        "device": "受付タブレット", "method": "number"})
    assert (status, body["checked_in_at"]) == (201, device_time.isoformat())
    assert db.session.scalar(select(CheckIn.device)) == "受付タブレット"


def test_methods_by_code_and_the_legacy_manual_of_old_offline_queues(make_event, reg, door):
    """A typed 受付番号 queued by a scanner page older than migration 0012 says "manual": still
    taken, as "number"; a method the door API does not write (walk_in) is refused, nothing stored."""
    roomy = make_event(title="広い会場", **under_way())
    sent = {"number": reg(0, roomy.id), "search": reg(1, roomy.id), "manual": reg(2, roomy.id), "qr": reg(3, roomy.id)}
    for n, (method, registration) in enumerate(sent.items()):
        status, _ = door(f"/api/v1/events/{roomy.id}/checkins",
                         {"registration_id": registration.id, "nonce": f"n-method{n}", "method": method})
        assert status == 201
    stored = dict(db.session.execute(select(CheckIn.registration_id, CheckIn.method)).all())
    assert stored == {sent["number"].id: CheckInMethod.NUMBER, sent["search"].id: CheckInMethod.SEARCH,
                      sent["manual"].id: CheckInMethod.NUMBER, sent["qr"].id: CheckInMethod.QR}
    status, body = door(f"/api/v1/events/{roomy.id}/checkins",
                        {"registration_id": reg(4, roomy.id).id, "nonce": "n-method9", "method": "walk_in"})
    assert (status, body["error"]["code"]) == (422, "validation_error")
    assert len(stored) == 4 and db.session.scalar(select(func.count()).select_from(CheckIn)) == 4


def test_refusals_have_their_status_and_code(event, reg, door, make_event):
    other = make_event(title="別の会", **under_way())
    elsewhere, cancelled, waiting = reg(1, other.id), reg(2), reg(3)  # capacity 1: reg(3) waits
    cancel(db.session, registration_id=cancelled.id)  # frees the seat: reg(3) is promoted…
    waiting = reg(4)  # …so a fourth person waits
    cases = [("unknown", 404, "unknown_ticket"), (elsewhere.ticket_token, 409, "other_event"),
             (cancelled.ticket_token, 409, "cancelled"), (waiting.ticket_token, 409, "waitlisted")]
    for n, (ticket, expected_status, code) in enumerate(cases):
        status, body = door(f"/api/v1/events/{event.id}/checkins", {"ticket": ticket, "nonce": f"n-refused{n}"})
        assert (status, body["error"]["code"]) == (expected_status, code)
        assert body["error"]["message"]
    assert checkins() == 0 and refused() == 4
    status, body = door(f"/api/v1/events/{event.id}/checkins",
                        {"ticket": waiting.ticket_token, "nonce": "n-admit01", "admit": True})
    assert (status, body["result"]) == (201, "checked_in")


@pytest.mark.parametrize("body", [
    {"ticket": "abc"},  # no nonce
    {"nonce": "n-0000001"},  # neither ticket nor number
    {"ticket": "abc", "registration_id": 1, "nonce": "n-0000001"},
    {"ticket": "abc", "nonce": "short"},
    {"ticket": "abc", "nonce": "n" * 65},
    {"ticket": "abc", "nonce": "n-0000001", "scanned_at": "2025-07-11T18:30:00"},  # no offset
    {"ticket": "abc", "nonce": "n-0000001", "scanned_at": "昨日"},
    {"ticket": 12, "nonce": "n-0000001"},
    {"ticket": "abc", "nonce": "n-0000001", "method": "walk_in"},
    {"ticket": "abc", "nonce": "n-0000001", "device": "x" * 101},
    {"registration_id": "12", "nonce": "n-0000001"},
    ["not", "an", "object"],
])
def test_bad_input_is_a_422_with_the_error_json_and_no_check_in(event, reg, door, body):
    reg(1)
    status, answer = door(f"/api/v1/events/{event.id}/checkins", body)
    assert status == 422, answer
    assert answer["error"]["code"] == "validation_error" and answer["error"]["message"]
    assert checkins() == 0 and refused() <= 1


@pytest.mark.parametrize("ticket", ["", "x" * 10_000, "チケット", "1; DROP TABLE checkins", "<b>x</b>"])
def test_malformed_tickets_are_404_and_only_the_refusal_is_stored(event, door, ticket):
    status, body = door(f"/api/v1/events/{event.id}/checkins", {"ticket": ticket, "nonce": "n-malformed"})
    assert (status, body["error"]["code"]) == (404, "unknown_ticket")
    assert checkins() == 0 and refused() == 1


def test_a_nul_in_a_ticket_is_refused_before_the_door(event, door):
    status, body = door(f"/api/v1/events/{event.id}/checkins", {"ticket": "a\x00b", "nonce": "n-malformed"})
    assert (status, body["error"]["code"]) == (400, "invalid_characters")  # eventsapp/inputguard.py
    assert checkins() == 0 and refused() == 0


def test_unknown_event(door):
    status, body = door("/api/v1/events/999999/checkins", {"ticket": "abc", "nonce": "n-0000001"})
    assert (status, body["error"]["code"]) == (404, "unknown_event")
    assert refused() == 0


def test_the_anonymous_are_refused(event, reg, client):
    ticket = reg(1).ticket_token
    response = client.post(f"/api/v1/events/{event.id}/checkins", json={"ticket": ticket, "nonce": "n-0000001"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert checkins() == 0


def test_the_scanner_page_calls_with_its_session_and_the_csrf_header(app, event, reg, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        make_user("door-session", Role.RECEPTION)
        client = app.test_client()
        token = client.get("/login").text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        form = {"username": "door-session", "password": ROLE_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302
        ticket = reg(1).ticket_token
        body = {"ticket": ticket, "nonce": "n-0000001"}
        response = client.post(f"/api/v1/events/{event.id}/checkins", json=body)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
        response = client.post(f"/api/v1/events/{event.id}/checkins", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_walk_in_registers_and_checks_in(event, door):
    status, body = door(f"/api/v1/events/{event.id}/walk-ins", {
        "family_name": "飛込", "given_name": "花子", "family_kana": "とびこみ", "profession": "看護師"})
    assert status == 201
    assert set(body) == {"id", "person_id", "status", "ticket", "checked_in_at"}
    assert body["status"] == "registered" and len(body["ticket"]) >= 32
    status, again = door(f"/api/v1/events/{event.id}/walk-ins", {"family_name": "飛込", "family_kana": "トビコミ"})
    # the same kana without organization or contact is not enough to be sure: a second person
    assert status in (200, 201)
    status, bad = door(f"/api/v1/events/{event.id}/walk-ins", {"family_name": "名無"})
    assert (status, bad["error"]["code"]) == (422, "identity_required")


def test_ticket_list_and_counts(event, reg, door):
    first = reg(1)
    door(f"/api/v1/events/{event.id}/checkins", {"ticket": first.ticket_token, "nonce": "n-0000001"})
    status, listing = door.get(f"/api/v1/events/{event.id}/tickets")
    assert status == 200 and set(listing) == {"event_id", "ends_at", "generated_at", "tickets"}
    assert listing["tickets"][0]["ticket_hash"] == ticket_hash(first.ticket_token)
    assert listing["tickets"][0]["checked_in_at"].endswith("+09:00")
    status, counts = door.get(f"/api/v1/events/{event.id}/checkin-counts")
    assert (status, counts) == (200, {"event_id": event.id, "checked_in": 1, "registered": 1,
                                      "registered_checked_in": 1, "walk_in": 0, "on_demand": 0, "waitlisted": 0})
    assert door.get("/api/v1/events/999999/tickets")[0] == 404


def test_undo(event, reg, door):
    registration = reg(1)
    door(f"/api/v1/events/{event.id}/checkins", {"ticket": registration.ticket_token, "nonce": "n-0000001"})
    status, body = door(f"/api/v1/events/{event.id}/checkins/undo", {"registration_id": registration.id})
    assert (status, body) == (200, {"result": "undone", "registration_id": registration.id})
    status, body = door(f"/api/v1/events/{event.id}/checkins/undo", {"registration_id": registration.id})
    assert (status, body["error"]["code"]) == (404, "not_checked_in")
    assert checkins() == 0


def test_scans_are_rate_limited_with_a_japanese_message(rate_limited_app):
    from eventsapp.auth.service import create_user, issue_token

    app = rate_limited_app(CHECKIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        user, _ = create_user(db.session, username="door-limited", role=Role.RECEPTION, password=ROLE_PASSWORD)
        headers = {"Authorization": f"Bearer {issue_token(db.session, user=user)}"}
        db.session.remove()
    client = app.test_client()
    answers = [client.post("/api/v1/events/999999/checkins", json={"ticket": "x", "nonce": f"n-limit-{n}"},
                           headers=headers) for n in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    error = answers[-1].get_json()["error"]
    assert error["code"] == "rate_limited" and "しばらく" in error["message"]
