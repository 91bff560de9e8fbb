"""The organizer's event list with its numbers (roster/events.py, roster/counts.py): 申込/定員,
受付済み and 回答 per event, counted by hand, in a fixed number of queries, with the links to
each event's pages. Both engines.

Event A (2025-07-11, capacity 4, hybrid), in this order:
  中村 registers and cancels · 髙橋 山﨑 佐藤 渡辺 take the four seats · 田中 waits ·
  鈴木 registers on demand · 髙橋 山﨑 渡辺 are checked in · 渡辺 cancels (田中 is promoted) ·
  小林 waits · 伊藤 walks in · two paper survey responses.
  申込 4 (髙橋 山﨑 佐藤 田中) / 定員 4, on demand 1 (鈴木), waiting 1 (小林);
  受付済み 3 (髙橋 山﨑 伊藤: 渡辺's check-in is on a cancelled registration), of whom 1 walk-in;
  回答 2.
Event B (2025-09-24, no capacity): nobody, 0 / 定員なし.
"""
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventFormat
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, admit_walk_in, check_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from eventsapp.roster.counts import EventCounts, event_counts
from eventsapp.surveys.models import ResponseSource
from eventsapp.surveys.service import submit_response
from tests_support import logged_in_client, queries

IN_PERSON, ON_DEMAND = RegistrationMode.IN_PERSON, RegistrationMode.ON_DEMAND


def person(n: int, name: str) -> PersonFields:
    return PersonFields(family_name=name, given_name="花子", family_kana="はなこ", email=f"list{n}@example.jp")


def fill(event, organizer) -> None:
    """Event A of the module docstring."""
    def add(n: int, name: str, mode=IN_PERSON) -> int:
        return register(db.session, event_id=event.id, person=person(n, name), mode=mode,
                        source=RegistrationSource.STAFF).registration.id

    cancel(db.session, registration_id=add(1, "中村"))
    ids = {name: add(n, name) for n, name in enumerate(("髙橋", "山﨑", "佐藤", "渡辺", "田中"), start=2)}
    add(7, "鈴木", ON_DEMAND)
    at = event.starts_at  # organizers' door: open from 24 hours before the start, with no end
    for n, name in enumerate(("髙橋", "山﨑", "渡辺")):
        check_in(db.session, event_id=event.id, staff=organizer, at=at,
                 scan=Scan(registration_id=ids[name], nonce=f"list-{n:05d}", method=CheckInMethod.NUMBER))
    cancel(db.session, registration_id=ids["渡辺"])
    add(8, "小林")
    admit_walk_in(db.session, event_id=event.id, staff=organizer, person=person(9, "伊藤"), at=at)
    for _ in range(2):
        submit_response(db.session, event_id=event.id, answers={}, source=ResponseSource.PAPER)


@pytest.fixture
def year(make_event, make_user):
    organizer = make_user("counting", Role.ORGANIZER)
    a = make_event(title="第1回つむぐ会", capacity=4, format=EventFormat.HYBRID)
    b = make_event(title="東部 症例検討会", day=date(2025, 9, 24))
    fill(a, organizer)
    return a, b


class EventTable(HTMLParser):
    """Per row of table.events: the cells' text, and the row's link targets."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[dict] = []
        self.depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "events" in attrs.get("class", ""):
            self.depth = 1
        elif self.depth and tag == "tbody":
            self.depth = 2
        elif self.depth == 2 and tag == "tr":
            self.rows.append({"cells": [], "links": []})
        elif self.depth == 2 and tag == "td":
            self.rows[-1]["cells"].append("")
        elif self.depth == 2 and tag == "a" and self.rows:
            self.rows[-1]["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.depth == 2 and self.rows and self.rows[-1]["cells"]:
            self.rows[-1]["cells"][-1] += data.strip()


def test_counts_by_hand(year):
    a, b = year
    assert event_counts(db.session, [a.id, b.id]) == {
        a.id: EventCounts(registered=4, on_demand=1, waitlisted=1, checked_in=3, walk_in=1, responses=2),
        b.id: EventCounts(),
    }
    assert event_counts(db.session, []) == {}


def test_the_event_list_shows_the_numbers_and_leads_to_each_page(app, make_user, year):
    a, b = year
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    rows = EventTable(organizer.get("/admin/events?fy=2025").text).rows
    assert [row["cells"][2][:6] for row in rows] == ["第1回つむぐ", "東部 症例検"]
    first, second = rows
    assert first["cells"][6:] == ["4 / 4オンデマンド 1キャンセル待ち 1", "3うち当日参加 1", "2"]
    assert second["cells"][6:] == ["0 / 定員なし", "0", "0"]
    assert first["links"] == [
        f"/admin/events/{a.id}/edit", f"/admin/events/{a.id}/registrations", f"/checkin/events/{a.id}",
        f"/admin/events/{a.id}/summary", f"/admin/events/{a.id}/survey/results"]
    for link in first["links"]:
        assert organizer.get(link).status_code == 200, link


def test_the_home_lists_upcoming_events_with_their_numbers(app, make_user, make_event):
    soon = datetime.now(timezone.utc) + timedelta(days=10)
    event = make_event(title="これからの研修会", day=soon.date(), capacity=30)
    register(db.session, event_id=event.id, person=person(1, "早川"), mode=IN_PERSON, source=RegistrationSource.STAFF)
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    rows = EventTable(organizer.get("/admin/").text).rows
    assert [(row["cells"][2][:8], row["cells"][6:]) for row in rows] == [("これからの研修会", ["1 / 30", "0", "0"])]


def test_the_list_takes_the_same_number_of_queries_for_two_events_or_eight(app, make_user, make_event, year):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    ids = [event.id for event in year]
    assert queries(lambda: event_counts(db.session, ids[:1])) == 2
    two = queries(lambda: organizer.get("/admin/events?fy=2025"))
    staff = make_user("more-counting", Role.ORGANIZER)
    for n in range(6):
        more = make_event(title=f"追加の会{n}", day=date(2025, 10, 1 + n), capacity=10)
        for k in range(3):
            registration = register(db.session, event_id=more.id, person=person(100 + 10 * n + k, "追加"),
                                    mode=IN_PERSON, source=RegistrationSource.STAFF).registration
            check_in(db.session, event_id=more.id, staff=staff, at=more.starts_at,
                     scan=Scan(registration_id=registration.id, nonce=f"more-{n}-{k}-xyz", method=CheckInMethod.QR))
    assert queries(lambda: event_counts(db.session, ids)) == 2
    eight = queries(lambda: organizer.get("/admin/events?fy=2025"))
    assert len(EventTable(organizer.get("/admin/events?fy=2025").text).rows) == 8
    assert eight == two


def test_reception_sees_no_event_list(app, make_user, year):
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    assert reception.get("/admin/events").status_code == 403
    assert reception.get("/admin/").status_code == 403
