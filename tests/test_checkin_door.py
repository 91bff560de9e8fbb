"""The door's hours (checkin/window.py, service.open_door): every door path of the JSON API and
the screens, for each role, before the door opens, during, after it closes, on a draft and on a
cancelled event; then the edges of the window, late offline scans and the device clock."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.checkin.models import CheckIn, RefusalReason, RefusedScan
from eventsapp.checkin.service import CheckInError, Scan, admit_walk_in, check_in, enter_door, undo_check_in
from eventsapp.dates import TOKYO, now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import under_way

OPEN, SHUT = "open", "shut"
# The door by event state and role (reception, organizer, admin), written out by hand from the
# rule: reception on published events from 24 h before the start to 24 h after the end;
# organizers and admins from the same opening on, drafts included; no one on a cancelled event.
DOOR = {
    "before": (SHUT, SHUT, SHUT),  # starts in 30 h: opens in 6 h
    "under_way": (OPEN, OPEN, OPEN),
    "after": (SHUT, OPEN, OPEN),  # ended 3 days ago: reception's door closed 2 days ago
    "draft": (SHUT, OPEN, OPEN),  # under way, never published
    "cancelled": (SHUT, SHUT, SHUT),  # under way, cancelled
}
ROLES = (Role.RECEPTION, Role.ORGANIZER, Role.ADMIN)
# What each path answers with its door open; shut, every one answers 403.
WHEN_OPEN = {
    "api scan": 201, "api number": 201, "api walk-in": 201, "api tickets": 200, "api undo": 200,
    "scanner page": 200, "search": 200, "one-tap": 302, "walk-in page": 200, "walk-in form": 302,
}
TIMES = {
    "before": dict(starts_at_in=timedelta(hours=30)),
    "under_way": dict(starts_at_in=-timedelta(minutes=30)),
    "after": dict(starts_at_in=-timedelta(days=3, hours=2)),
    "draft": dict(starts_at_in=-timedelta(minutes=30)),
    "cancelled": dict(starts_at_in=-timedelta(minutes=30)),
}


def person(n: int) -> PersonFields:
    return PersonFields(family_name="門", given_name=f"{n}子", family_kana="もん", email=f"gate{n}@example.jp")


@pytest.fixture
def staged(make_event):
    """An event in one of the states of DOOR, with three in-person registrations."""
    def make(state: str):
        starts_at = now() + TIMES[state]["starts_at_in"]
        event = make_event(capacity=10, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                           published=state != "draft")
        registrations = [register(db.session, event_id=event.id, person=person(n), mode=RegistrationMode.IN_PERSON,
                                  source=RegistrationSource.STAFF).registration for n in range(3)]
        if state == "cancelled":
            set_event_status(db.session, event, EventStatus.CANCELLED)
        return event.id, [(r.id, r.ticket_token) for r in registrations]
    return make


def walk_every_path(client, headers: dict, event_id: int, registrations) -> dict[str, tuple[int, str]]:
    """Each door path once, in the order staff would use them: (status, error code or page text)."""
    (first, first_ticket), (second, _), (third, _) = registrations
    api, page = f"/api/v1/events/{event_id}", f"/checkin/events/{event_id}"
    answers = {}

    def api_call(name, method, path, body=None):
        response = client.open(api + path, method=method, json=body, headers=headers)
        answers[name] = (response.status_code, ((response.get_json() or {}).get("error") or {}).get("code", ""))

    def screen(name, method, path, data=None):
        response = client.open(page + path, method=method, data=data)
        answers[name] = (response.status_code, response.text)

    api_call("api scan", "POST", "/checkins", {"ticket": first_ticket, "nonce": "gate-scan-01",
                                               "scanned_at": now().isoformat()})
    api_call("api number", "POST", "/checkins", {"registration_id": second, "nonce": "gate-number-01",
                                                 "method": "number"})
    api_call("api walk-in", "POST", "/walk-ins", {"family_name": "飛込", "given_name": "一", "family_kana": "とびこみ",
                                                  "phone": "0311112222"})
    api_call("api tickets", "GET", "/tickets")
    api_call("api undo", "POST", "/checkins/undo", {"registration_id": first})
    screen("scanner page", "GET", "")
    screen("search", "GET", "/search?q=もん")
    screen("one-tap", "POST", "/search", {"registration_id": third, "nonce": "gate-tap-0001", "q": ""})
    screen("walk-in page", "GET", "/walk-in")
    screen("walk-in form", "POST", "/walk-in", {"name": "飛込 二郎", "kana": "とびこみ じろう", "phone": "0322223333"})
    return answers


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


@pytest.mark.parametrize("state", DOOR)
@pytest.mark.parametrize("role_index", range(3), ids=[role.value for role in ROLES])
def test_every_door_path_by_role_and_event_state(app, staged, login, bearer, state, role_index):
    role, door = ROLES[role_index], DOOR[state][role_index]
    event_id, registrations = staged(state)
    client, headers = login(role), bearer(role)
    answers = walk_every_path(client, headers, event_id, registrations)
    if door == OPEN:
        assert {name: status for name, (status, _) in answers.items()} == WHEN_OPEN
        # number, one tap and two walk-ins stay checked in; the scan was undone
        assert count(CheckIn) == 4 and count(RefusedScan) == 0
        return
    assert {name: status for name, (status, _) in answers.items()} == dict.fromkeys(WHEN_OPEN, 403)
    for name, (_, said) in answers.items():
        if name.startswith("api"):
            assert said == "outside_checkin_window", name
        else:  # the scanner page's sentence in place of the scanner, no scanner script
            assert "受付できます。" in said or "終了しました。" in said or "受付できません。" in said, name
            assert "scanner.js" not in said and "camera-video" not in said, name
    assert count(CheckIn) == 0
    assert count(Registration) == 3  # no walk-in was registered
    # every refusal kept, as refused scans are, with what was tried
    assert count(RefusedScan, RefusedScan.reason == RefusalReason.INVALID) == 10
    tried = set(db.session.scalars(select(RefusedScan.ticket)))
    assert tried == {registrations[0][1], f"#{registrations[1][0]}", "walk-in", "tickets",
                     f"undo #{registrations[0][0]}", "scanner", "search"}


# --- the sentence and the edges of the window --------------------------------------------------

def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


@pytest.fixture
def july(make_event):
    """令和7年7月11日(金) 18:30–20:20: reception's door 7/10 18:30 – 7/12 20:20 (Tokyo)."""
    event = make_event(capacity=10)
    registrations = [register(db.session, event_id=event.id, person=person(n), mode=RegistrationMode.IN_PERSON,
                              source=RegistrationSource.STAFF).registration for n in range(3)]
    return event, registrations


def door_refusal(event, staff, moment: datetime, **scan) -> str:
    with pytest.raises(CheckInError) as excinfo:
        check_in(db.session, event_id=event.id, staff=staff, at=moment,
                 scan=Scan(nonce=scan.pop("nonce", "edge-nonce-1"), **scan))
    assert excinfo.value.code == "outside_checkin_window"
    return excinfo.value.message


def test_the_sentence_says_when_the_door_opens_or_that_it_closed(july, make_user):
    event, (first, *_) = july
    reception = make_user("edge-door", Role.RECEPTION)
    assert door_refusal(event, reception, at("2025-07-10T18:29:59"), ticket=first.ticket_token) == \
        "受付はまだ始まっていません。令和7年7月10日(木) 18:30 から受付できます。"
    assert door_refusal(event, reception, at("2025-07-12T20:20:01"), ticket=first.ticket_token) == \
        "このイベントの受付は 令和7年7月12日(土) 20:20 に終了しました。"
    organizer = make_user("edge-organizer", Role.ORGANIZER)
    assert door_refusal(event, organizer, at("2025-07-10T18:29:59"), ticket=first.ticket_token) == \
        "受付はまだ始まっていません。令和7年7月10日(木) 18:30 から受付できます。"


def test_the_window_includes_both_edges_for_reception_and_has_no_end_for_organizers(july, make_user):
    event, (first, second, third) = july
    reception = make_user("edge-door", Role.RECEPTION)
    organizer = make_user("edge-organizer", Role.ORGANIZER)
    assert check_in(db.session, event_id=event.id, staff=reception, at=at("2025-07-10T18:30:00"),
                    scan=Scan(ticket=first.ticket_token, nonce="edge-open-1")).created
    assert check_in(db.session, event_id=event.id, staff=reception, at=at("2025-07-12T20:20:00"),
                    scan=Scan(ticket=second.ticket_token, nonce="edge-close-1")).created
    # 17 months later, an organizer back-fills a paper list
    assert check_in(db.session, event_id=event.id, staff=organizer, at=at("2026-12-03T10:00:00"),
                    scan=Scan(registration_id=third.id, nonce="edge-late-1")).created


def test_the_hours_come_from_the_configuration(app, july, make_user, monkeypatch):
    event, (first, *_) = july
    reception = make_user("edge-door", Role.RECEPTION)
    monkeypatch.setitem(app.config, "CHECKIN_OPENS_BEFORE", 2)
    monkeypatch.setitem(app.config, "CHECKIN_CLOSES_AFTER", 0.5)
    assert door_refusal(event, reception, at("2025-07-11T16:29:00"), ticket=first.ticket_token) == \
        "受付はまだ始まっていません。令和7年7月11日(金) 16:30 から受付できます。"
    assert door_refusal(event, reception, at("2025-07-11T20:51:00"), ticket=first.ticket_token) == \
        "このイベントの受付は 令和7年7月11日(金) 20:50 に終了しました。"
    assert enter_door(db.session, event_id=event.id, staff=reception, action="tickets",
                      at=at("2025-07-11T16:30:00")).id == event.id


def test_walk_in_and_undo_obey_the_same_door(july, make_user):
    event, (first, *_) = july
    reception = make_user("edge-door", Role.RECEPTION)
    with pytest.raises(CheckInError) as excinfo:
        admit_walk_in(db.session, event_id=event.id, staff=reception, at=at("2025-07-13T09:00:00"),
                      person=PersonFields(family_name="飛込", family_kana="とびこみ", phone="0311112222"))
    assert excinfo.value.code == "outside_checkin_window"
    with pytest.raises(CheckInError) as excinfo:
        undo_check_in(db.session, event_id=event.id, registration_id=first.id, staff=reception,
                      at=at("2025-07-13T09:00:00"))
    assert excinfo.value.code == "outside_checkin_window"
    assert count(Registration) == 3
    assert set(db.session.scalars(select(RefusedScan.ticket))) == {"walk-in", f"undo #{first.id}"}


# --- scans queued offline, sent later --------------------------------------------------------


def test_a_scan_queued_before_closing_is_taken_up_to_six_hours_after_it_was_made(july, make_user):
    event, (first, second, third) = july
    reception = make_user("edge-door", Role.RECEPTION)
    # scanned 20:10 on the last day of the window, sent 1:50 after closing: within 6 h of the scan
    result = check_in(db.session, event_id=event.id, staff=reception, at=at("2025-07-12T22:10:00"),
                      scan=Scan(ticket=first.ticket_token, nonce="late-0001", scanned_at=at("2025-07-12T20:10:00")))
    assert result.created and result.checked_in_at == at("2025-07-12T20:10:00")
    # the same claim sent 6 h 1 min after the scan: refused
    assert door_refusal(event, reception, at("2025-07-13T02:11:00"), ticket=second.ticket_token,
                        scanned_at=at("2025-07-12T20:10:00"), nonce="late-0002") == \
        "このイベントの受付は 令和7年7月12日(土) 20:20 に終了しました。"
    # a scan recorded after closing is never taken from reception
    door_refusal(event, reception, at("2025-07-12T21:00:00"), ticket=third.ticket_token,
                 scanned_at=at("2025-07-12T20:30:00"), nonce="late-0003")


def test_reception_cannot_reopen_an_old_event_by_claiming_an_old_scan_time(july, make_user, client, bearer):
    event, (first, *_) = july
    headers = bearer(Role.RECEPTION)  # the attack: 17 months later, with a time during the event
    response = client.post(f"/api/v1/events/{event.id}/checkins", headers=headers, json={
        "ticket": first.ticket_token, "nonce": "old-claim-01", "scanned_at": "2025-07-11T19:00:00+09:00"})
    assert response.status_code == 403
    assert response.json["error"] == {"code": "outside_checkin_window",
                                      "message": "このイベントの受付は 令和7年7月12日(土) 20:20 に終了しました。"}
    assert count(CheckIn) == 0


# --- the device clock ------------------------------------------------------------------------


def test_a_device_clock_is_blamed_only_when_it_is_far_from_the_servers(make_event, make_user):
    event = make_event(capacity=10, **under_way())
    reception = make_user("clock-door", Role.RECEPTION)
    known = register(db.session, event_id=event.id, person=person(1), mode=RegistrationMode.IN_PERSON,
                     source=RegistrationSource.STAFF).registration

    def answer(ticket, scanned_at, nonce):
        try:
            return check_in(db.session, event_id=event.id, staff=reception,
                            scan=Scan(ticket=ticket, nonce=nonce, scanned_at=scanned_at)).result
        except CheckInError as error:
            return error.code

    assert answer("no-such-ticket", now() + timedelta(days=400), "clock-0001") == "unknown_ticket"
    assert answer(known.ticket_token, now() + timedelta(hours=2), "clock-0002") == "invalid_scanned_at"
    assert answer(known.ticket_token, now() - timedelta(days=2), "clock-0003") == "invalid_scanned_at"
    assert answer(known.ticket_token, now() + timedelta(minutes=50), "clock-0004") == "checked_in"


def test_an_event_in_the_future_is_closed_not_a_clock_error(make_event, client, bearer):
    event = make_event(capacity=10, starts_at=now() + timedelta(days=3), ends_at=now() + timedelta(days=3, hours=2))
    registration = register(db.session, event_id=event.id, person=person(1), mode=RegistrationMode.IN_PERSON,
                            source=RegistrationSource.STAFF).registration
    response = client.post(f"/api/v1/events/{event.id}/checkins", headers=bearer(Role.ADMIN), json={
        "ticket": registration.ticket_token, "nonce": "future-0001", "scanned_at": now().isoformat()})
    assert response.status_code == 403 and response.json["error"]["code"] == "outside_checkin_window"
    assert "から受付できます。" in response.json["error"]["message"]


def test_reception_lists_only_events_whose_door_is_open(make_event, login):
    make_event(title="開催中の会", **under_way())
    make_event(title="あさっての会", starts_at=now() + timedelta(hours=30), ends_at=now() + timedelta(hours=32))
    make_event(title="おとといの会", starts_at=now() - timedelta(days=2, hours=3),
               ends_at=now() - timedelta(days=2, hours=1))
    make_event(title="下書きの会", published=False, **under_way())
    page = login(Role.RECEPTION).get("/checkin/").text
    assert "開催中の会" in page
    assert "あさっての会" not in page and "おとといの会" not in page and "下書きの会" not in page


@pytest.mark.parametrize("value", ["abc", -1, True, 100_000])
def test_the_app_refuses_to_start_with_door_hours_that_are_not_hours(value, tmp_path):
    from eventsapp import create_app

    with pytest.raises(ValueError, match="FLASK_CHECKIN_OPENS_BEFORE"):
        create_app({"CHECKIN_OPENS_BEFORE": value, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert create_app({"CHECKIN_OPENS_BEFORE": 1.5, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'y.sqlite3'}"})
