"""Response rates that mean something: the rate is responses linked to attendees
over attendees, so it can never pass 100 %; anonymous answers are counted apart and still
count toward the indicators; an answer tied to a registration never checked in, or whose
check-in was undone, is flagged and left out of the rate; the venue link opens at the start.

One event, counted by hand: A and B came, C registered and never came, D was checked in and
the check-in undone. Responses: A's (very satisfied), two anonymous (satisfied,
dissatisfied), C's (satisfied) and D's (neutral). Attended: A, B = 2. Rate: A only = 1/2,
50.0 % (the old rule gave 5/2 = 250 %). Satisfaction: 3 positive of 5 answers = 60.0 %."""
from datetime import date, datetime, time

import pytest

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, check_in, undo_check_in
from eventsapp.dates import TOKYO
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.summary import event_summaries
from eventsapp.surveys import service as survey_service
from eventsapp.surveys.editing import ensure_event_survey
from eventsapp.surveys.indicators import response_kinds
from eventsapp.surveys.models import ResponseSource
from eventsapp.surveys.service import SurveyError, submit_response
from tests_support import logged_in_client


def registered(event, name: str):
    return register(db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                    person=PersonFields(family_name=name, given_name="花子", family_kana="てすと",
                                        email=f"{name}@example.jp")).registration


def arrive(event, registration) -> None:
    check_in(db.session, event_id=event.id, staff=None,
             scan=Scan(registration_id=registration.id, method=CheckInMethod.NUMBER), at=event.starts_at)


def paper(event, satisfaction: str, registration=None) -> None:
    submit_response(db.session, event_id=event.id, answers={"satisfaction": satisfaction}, source=ResponseSource.PAPER,
                    registration_id=registration.id if registration else None)


@pytest.fixture
def answered(app, make_event):
    event = make_event()
    a, b, c, d = (registered(event, name) for name in ("甲", "乙", "丙", "丁"))
    for registration in (a, b, d):
        arrive(event, registration)
    undo_check_in(db.session, event_id=event.id, registration_id=d.id, staff=None, at=event.starts_at)
    paper(event, "very_satisfied", a)
    paper(event, "satisfied")
    paper(event, "dissatisfied")
    paper(event, "satisfied", c)
    paper(event, "neutral", d)
    return event, (a, b, c, d)


def test_the_rate_counts_answers_of_attendees_only(answered):
    event, (a, b, c, d) = answered
    summary = event_summaries(db.session, [event.id])[event.id]
    assert summary["attended"]["total"] == 2
    assert summary["responses"] == {"n": 1, "d": 2, "pct": 50.0}
    assert summary["indicators"]["satisfaction"] == {"n": 3, "d": 5, "pct": 60.0}  # every answer counts here
    survey = ensure_event_survey(db.session, event)
    assert response_kinds(db.session, survey.id) == {"attendees": 1, "anonymous": 2,
                                                     "unattended": sorted([c.id, d.id])}


def test_the_results_page_shows_anonymous_answers_and_flags_the_unattended(answered, app, make_user):
    event, (_, _, c, d) = answered
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    html = organizer.get(f"/admin/events/{event.id}/survey/results").text
    assert '<td data-rate="responses">1/2（50.0%）</td>' in html
    assert '<td data-count="anonymous">2件</td>' in html
    assert 'data-flag="unattended"' in html and f"{min(c.id, d.id)}、{max(c.id, d.id)}" in html


def test_no_rate_passes_100_percent_when_everyone_answers_twice_over(app, make_event):
    event = make_event()
    came = registered(event, "甲")
    arrive(event, came)
    paper(event, "satisfied", came)
    for _ in range(3):
        paper(event, "satisfied")  # anonymous sheets of people who never registered
    summary = event_summaries(db.session, [event.id])[event.id]
    assert summary["responses"] == {"n": 1, "d": 1, "pct": 100.0}


def test_the_venue_link_opens_at_the_start(app, make_event, client, monkeypatch):
    event = make_event(day=date(2025, 7, 11), start=time(18, 30), end=time(20, 20))
    code = ensure_event_survey(db.session, event).venue_code
    before = datetime(2025, 7, 11, 18, 29, tzinfo=TOKYO)
    monkeypatch.setattr(survey_service, "now", lambda: before)
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, answers={"satisfaction": "satisfied"},
                        source=ResponseSource.VENUE)
    assert refused.value.code == "not_open_yet"
    page = client.get(f"/q/{code}")
    assert page.status_code == 403 and "開始時刻の令和7年7月11日(金) 18:30から回答できます。" in page.text
    # paper typed by staff before the start is not the venue link: accepted
    submit_response(db.session, event_id=event.id, answers={"satisfaction": "satisfied"}, source=ResponseSource.PAPER)
    monkeypatch.setattr(survey_service, "now", lambda: datetime(2025, 7, 11, 18, 30, tzinfo=TOKYO))
    submit_response(db.session, event_id=event.id, source=ResponseSource.VENUE,
                    answers={"satisfaction": "satisfied", "collaboration": "yes", "applicability": "yes"})
    assert client.get(f"/q/{code}").status_code == 200
