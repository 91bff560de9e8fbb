"""What one event's summary costs in statements (GET /api/v1/events/{id}/summary), and the
cases the API's count query now answers alone: an event nobody registered for (a row of
zeros), an event that does not exist (no row), whatever the event's state."""
from datetime import date

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.summary import event_summaries, summary_of_event
from tests_support import QueryCounter, queries

NO_RATE = {"n": 0, "d": 0, "pct": None}


def sign_up(event, number: int):
    person = PersonFields(family_name="参加", given_name=str(number), family_kana="さんか", email=f"c{number}@example.jp")
    return register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                    source=RegistrationSource.STAFF).registration


def api_statements(client, path: str, headers: dict) -> int:
    """Statements of one API request, after a first one: the first use of a token notes it
    (auth/__init__.py, an UPDATE at most every ten minutes), which is not the summary's."""
    assert client.get(path, headers=headers).status_code == 200
    with QueryCounter(db.engine) as counter:
        assert client.get(path, headers=headers).status_code == 200
    return counter.count


def test_one_summary_is_three_statements_however_many_registered(app, client, bearer, make_event):
    headers = bearer(Role.ORGANIZER)
    small = make_event(day=date(2025, 6, 1))
    sign_up(small, 0)
    large = make_event(day=date(2025, 7, 11))
    for number in range(1, 9):
        sign_up(large, number)
    for event_id in (small.id, large.id):
        # By hand: the bearer token with its user (one joined SELECT); the counts of the
        # registrations, check-ins, viewing visits and the history behind "new" (one GROUP BY,
        # which has the event's row whenever the event exists: no look-up of the event); the
        # indicator n/d of its survey and the responses of its attendees (one UNION ALL).
        assert api_statements(client, f"/api/v1/events/{event_id}/summary", headers) == 3
        assert queries(lambda event_id=event_id: summary_of_event(db.session, event_id)) == 2


def test_an_event_nobody_registered_for_has_a_summary_of_zeros(app, client, bearer, make_event):
    """A draft: nobody could register, yet the summary exists, as for any event that exists."""
    event = make_event(published=False)
    response = client.get(f"/api/v1/events/{event.id}/summary", headers=bearer(Role.ORGANIZER))
    assert response.status_code == 200
    assert response.json == {
        "event_id": event.id,
        "registered": {"in_person": 0, "on_demand": 0, "total": 0},
        "waitlisted": 0,
        "cancelled": 0,
        "attended": {"in_person": 0, "walk_in": 0, "on_demand": 0, "total": 0},
        "on_demand_views": {"viewers": 0, "views": 0},
        "attendance_rate": NO_RATE,
        "new_participants": {"series": NO_RATE, "programme": NO_RATE},
        "new_organizations": NO_RATE,
        # the professionals' survey the event was given (surveys/defaults.py), no sheet yet
        "indicators": {"applicability": NO_RATE, "collaboration": NO_RATE, "satisfaction": NO_RATE},
        "responses": NO_RATE,
    }
    assert response.json == event_summaries(db.session, [event.id])[event.id]


def test_an_unknown_event_has_no_summary_but_zeros_in_a_list(app, make_event):
    known = make_event()
    sign_up(known, 1)
    assert summary_of_event(db.session, 999_999) is None
    assert summary_of_event(db.session, known.id)["registered"]["total"] == 1
    listed = event_summaries(db.session, [999_999])[999_999]  # event_summaries' contract: zeros
    assert listed["registered"] == {"in_person": 0, "on_demand": 0, "total": 0}


def test_the_summary_leaves_no_transaction_open(app, make_event):
    """Its read ends with a commit, not with the rollback of the request's end, which would
    make the PostgreSQL driver drop the statements it has prepared (reports/summary.py)."""
    event = make_event()
    summary_of_event(db.session, event.id)
    assert not db.session().in_transaction()
