"""Registration: one person across events, capacity and waitlist, promotion, and the
rules that hold under concurrent requests (threads and processes, both databases)."""
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import EventFormat, EventStatus
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import RegistrationError, cancel, register
from tests_support import register_in_threads

IN_PERSON, ON_DEMAND = RegistrationMode.IN_PERSON, RegistrationMode.ON_DEMAND
STAFF = RegistrationSource.STAFF


def someone(n: int = 1, **kw) -> PersonFields:
    values = dict(family_name="山田", given_name=f"花子{n}", family_kana="やまだ", given_kana="はなこ",
                  email=f"hanako{n}@example.jp")
    values.update(kw)
    return PersonFields(**values)


@pytest.fixture
def future_event(make_event):
    """A published event whose registration is open now."""
    def make(**kw):
        return make_event(day=(now() + timedelta(days=30)).date(), **kw)
    return make


def statuses(event_id: int) -> list[str]:
    rows = db.session.scalars(
        sa.select(Registration.status).where(Registration.event_id == event_id).order_by(Registration.id)
    )
    return [s.value for s in rows]


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Registration)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Person)),
    )


def test_a_registration_has_two_unguessable_tokens(future_event):
    event = future_event()
    result = register(db.session, event_id=event.id, person=someone(), mode=IN_PERSON)
    registration = result.registration
    assert result.created and registration.status == RegistrationStatus.REGISTERED
    assert len(registration.ticket_token) >= 32 and len(registration.manage_token) >= 32  # 192 bits each
    assert registration.ticket_token != registration.manage_token


def test_the_same_person_registering_again_gets_the_same_registration(future_event):
    event = future_event()
    first = register(db.session, event_id=event.id, person=someone(), mode=IN_PERSON).registration
    again = register(db.session, event_id=event.id, person=someone(email="HANAKO1@EXAMPLE.JP"), mode=IN_PERSON)
    assert not again.created and again.registration.id == first.id
    assert counts() == (1, 1)


def test_one_person_across_events(future_event):
    first, second = future_event(), future_event(title="第2回")
    a = register(db.session, event_id=first.id, person=someone(), mode=IN_PERSON).registration
    b = register(db.session, event_id=second.id, person=someone(phone="090-1234-5678"), mode=IN_PERSON).registration
    assert a.person_id == b.person_id and counts() == (2, 1)


def test_capacity_then_waitlist_then_refusal(future_event):
    event = future_event(capacity=2)
    for n in range(1, 4):
        register(db.session, event_id=event.id, person=someone(n), mode=IN_PERSON)
    register(db.session, event_id=event.id, person=someone(4), mode=IN_PERSON)
    assert statuses(event.id) == ["registered", "registered", "waitlisted", "waitlisted"]
    strict = future_event(title="キャンセル待りなし", capacity=1, waitlist=False)
    register(db.session, event_id=strict.id, person=someone(1), mode=IN_PERSON)
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=strict.id, person=someone(2), mode=IN_PERSON)
    assert excinfo.value.code == "full"


def test_on_demand_takes_no_seat(future_event):
    event = future_event(capacity=1, format=EventFormat.HYBRID)
    register(db.session, event_id=event.id, person=someone(1), mode=IN_PERSON)
    register(db.session, event_id=event.id, person=someone(2), mode=ON_DEMAND)
    register(db.session, event_id=event.id, person=someone(3), mode=IN_PERSON)
    assert statuses(event.id) == ["registered", "registered", "waitlisted"]
    in_person_only = future_event(title="参集のみ")
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=in_person_only.id, person=someone(), mode=ON_DEMAND)
    assert excinfo.value.code == "mode_unavailable"


def test_cancelling_promotes_the_first_waitlisted(future_event):
    event = future_event(capacity=1)
    ids = [register(db.session, event_id=event.id, person=someone(n), mode=IN_PERSON).registration.id for n in (1, 2, 3)]
    result = cancel(db.session, registration_id=ids[0])
    assert result.promoted.id == ids[1]
    assert statuses(event.id) == ["cancelled", "registered", "waitlisted"]
    # Cancelling a waitlisted person frees no seat: nobody is promoted.
    assert cancel(db.session, registration_id=ids[2]).promoted is None
    with pytest.raises(RegistrationError) as excinfo:
        cancel(db.session, registration_id=ids[2])
    assert excinfo.value.code == "already_cancelled"
    with pytest.raises(RegistrationError):
        cancel(db.session, registration_id=99999)


def test_a_cancelled_person_may_register_again(future_event):
    event = future_event()
    first = register(db.session, event_id=event.id, person=someone(), mode=IN_PERSON).registration
    cancel(db.session, registration_id=first.id)
    again = register(db.session, event_id=event.id, person=someone(), mode=IN_PERSON)
    assert again.created and again.registration.id != first.id


def test_public_registration_honours_status_and_window(make_event, future_event):
    past = make_event(day=date(2025, 7, 11))
    draft = future_event(title="下書き", published=False)
    later = future_event(title="受付前", registration_opens_at=now() + timedelta(days=3))
    closed = future_event(title="締切済", registration_opens_at=now() - timedelta(days=9),
                          registration_closes_at=now() - timedelta(days=1))
    expected = {past.id: "registration_closed", draft.id: "event_not_published",
                later.id: "registration_not_open", closed.id: "registration_closed"}
    for event_id, code in expected.items():
        with pytest.raises(RegistrationError) as excinfo:
            register(db.session, event_id=event_id, person=someone(), mode=IN_PERSON)
        assert excinfo.value.code == code
    # Staff back-fill paper lists, past events included.
    assert register(db.session, event_id=past.id, person=someone(), mode=IN_PERSON, source=STAFF).created
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=12345, person=someone(), mode=IN_PERSON, source=STAFF)
    assert excinfo.value.code == "unknown_event"


def test_cancelled_events_take_no_registrations(future_event):
    event = future_event()
    event.status = EventStatus.CANCELLED
    db.session.commit()
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=event.id, person=someone(), mode=IN_PERSON, source=STAFF)
    assert excinfo.value.code == "event_cancelled"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (dict(email="hanako@"), "email_invalid", "email"),
        (dict(family_kana="山田"), "kana_invalid", "family_kana"),
        (dict(given_kana="次郎"), "kana_invalid", "given_kana"),
        (dict(family_kana="", given_kana=""), "kana_required", "family_kana"),
        (dict(email="", phone=""), "contact_required", "email"),
        (dict(phone="12"), "phone_invalid", "phone"),
        (dict(family_name=""), "name_required", "family_name"),
        (dict(given_name="花\x00子"), "control_characters", "given_name"),
        (dict(organization="病" * 101), "too_long", "organization"),
    ],
)
def test_bad_person_fields_are_refused_and_nothing_is_stored(future_event, change, code, field):
    event = future_event()
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=event.id, person=someone(**change), mode=IN_PERSON)
    assert (excinfo.value.code, excinfo.value.field) == (code, field)
    assert counts() == (0, 0)


def test_staff_need_only_a_name_and_one_identifying_field(make_event):
    event = make_event()
    register(db.session, event_id=event.id, person=PersonFields(family_name="佐藤", family_kana="さとう"),
             mode=IN_PERSON, source=STAFF)
    with pytest.raises(RegistrationError) as excinfo:
        register(db.session, event_id=event.id, person=PersonFields(family_name="鈴木"), mode=IN_PERSON, source=STAFF)
    assert excinfo.value.code == "identity_required"


def fill_to_last_ten_seats(future_event):
    event = future_event(capacity=12)
    for n in (101, 102):
        register(db.session, event_id=event.id, person=someone(n), mode=IN_PERSON)
    return event


def test_fifty_threads_for_the_last_ten_seats(app, future_event):
    event_id = fill_to_last_ten_seats(future_event).id
    db.session.remove()
    results = register_in_threads(app, event_id, range(50))
    assert sorted(results) == ["registered"] * 10 + ["waitlisted"] * 40
    assert statuses(event_id).count("registered") == 12


@pytest.mark.slow
def test_fifty_registrations_from_five_processes_for_the_last_ten_seats(app, future_event):
    event_id = fill_to_last_ten_seats(future_event).id
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(5) as pool:
        batches = pool.starmap(register_in_process, [(url, event_id, range(k * 10, k * 10 + 10)) for k in range(5)])
    results = [status for batch in batches for status in batch]
    assert sorted(results) == ["registered"] * 10 + ["waitlisted"] * 40
    assert statuses(event_id).count("registered") == 12


def register_in_process(url: str, event_id: int, numbers) -> list[str]:
    from eventsapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    return register_in_threads(app, event_id, numbers)


def test_the_same_person_twice_at_once_is_one_registration(app, future_event):
    event_id = future_event().id
    db.session.remove()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: register_in_threads(app, event_id, [7]), range(8)))
    assert statuses(event_id) == ["registered"]
