"""The public registration's path (issue 20): how many statements one registration costs,
and the rules the shorter path keeps — the seats counted inside the registration's own INSERT
never overbook, a refusal for want of seats keeps nothing, and a person created just now is
not looked up for an existing registration while one found is."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from eventsapp.catalog.models import Event
from eventsapp.checkin.models import CheckIn
from eventsapp.checkin.service import admit_walk_in
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.people.identity import PersonFields, find_or_create_organization, new_person, resolve_person
from eventsapp.people.models import Person
from eventsapp.registration import service
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import RegistrationError, register
from tests_support import QueryCounter, queries, under_way

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}


def in_days(n: int):
    return (now() + timedelta(days=n)).date()


def test_one_public_registration_is_seven_statements(app, client, make_event):
    path = f"/events/{make_event(day=in_days(10), capacity=100).id}/register"
    client.post(path, data={**FORM, "email": "first@example.jp"})  # seats taken: 1

    def post():
        assert client.post(path, data=FORM).status_code == 302

    # A new person with an e-mail address, in person, at an event with seats left:
    #   1  the event with its series and its seats counted (the form's state)
    #   2  the locks on the person's matching keys (PostgreSQL's advisory locks on the e-mail
    #      address and the furigana; on SQLite the no-op UPDATE that takes the write lock)
    #   3  identity matching: the persons with that e-mail address (none)
    #   4  INSERT the person
    #   5  the event's lock (SELECT … FOR UPDATE; on SQLite its no-op UPDATE comes first: one more)
    #   6  INSERT the registration, its status from the seats counted in the same statement
    #      (no look for an existing registration: the person was created just now)
    #   7  INSERT the outbox row (kind, address, snapshot; written when it is sent)
    # Only 6 and 7 and the commit run under the event's lock.
    expected = 7 + (app.config["ENGINE_NAME"] == "sqlite")
    assert queries(post) == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 2


def test_a_person_found_again_is_looked_up_for_a_live_registration(app, make_event):
    event_id = make_event(day=in_days(10)).id
    person = PersonFields(family_name="山田", given_name="花子", family_kana="やまだ", email="hanako@example.jp")
    first = register(db.session, event_id=event_id, person=person, mode=RegistrationMode.IN_PERSON)
    db.session.commit()
    with QueryCounter(db.engine) as counter:
        again = register(db.session, event_id=event_id, person=person, mode=RegistrationMode.IN_PERSON)
    assert not again.created and again.registration.id == first.registration.id
    # the identity's locks, the persons with that address, the event's lock (+1 on SQLite), the
    # live registration, the "already registered" mail (dedupe key of the hour): nothing
    # inserted but the mail.
    assert counter.count == 5 + (app.config["ENGINE_NAME"] == "sqlite")


def test_the_last_seats_without_waitlist_are_given_once_and_refusals_keep_nothing(app, make_event):
    event = make_event(day=in_days(10), capacity=3, waitlist=False)
    event_id = event.id
    db.session.remove()
    start = threading.Barrier(12)

    def one(n: int) -> str:
        with app.app_context():
            person = PersonFields(family_name="満席", given_name=str(n), family_kana="まんせき",
                                  email=f"full{n}@example.jp")
            start.wait()
            try:
                return register(db.session, event_id=event_id, person=person,
                                mode=RegistrationMode.IN_PERSON).registration.status.value
            except RegistrationError as error:
                return error.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(one, range(12)))
    assert sorted(answers) == ["full"] * 9 + ["registered"] * 3
    # Each refused registration was rolled back whole: its person, its row, its mail.
    registered = db.session.scalars(sa.select(Registration.status).where(Registration.event_id == event_id)).all()
    assert [s.value for s in registered] == ["registered"] * 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.family_name == "満席")) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 3


def test_the_seats_are_counted_after_the_lock_is_granted(app, make_event, monkeypatch):
    """A registration that waited for the event's lock while another took the last seat is
    waitlisted: its seats are counted by a statement that starts once it holds the lock, which
    sees the other's commit (the form's count before, and a count inside the locking SELECT
    itself, on PostgreSQL, would not)."""
    event = make_event(day=in_days(10), capacity=1)
    event_id = event.id
    db.session.remove()
    lock_event, lock_identity, main = service.lock_event, service.lock_identity, threading.get_ident()
    other_holds_it, main_asks = threading.Event(), threading.Event()

    def main_asks_first(session, event_id, person):
        """The main thread's first lock: on SQLite the write lock it waits for (the other holds
        it); on PostgreSQL the locks of its own identity, after which it waits for the event."""
        if threading.get_ident() == main:
            main_asks.set()
        return lock_identity(session, event_id, person)

    def lock_event_in_turn(session, event_id):
        if threading.get_ident() == main:
            return lock_event(session, event_id)
        locked = lock_event(session, event_id)
        other_holds_it.set()
        main_asks.wait(timeout=30)
        time.sleep(0.3)  # let the main thread reach the lock and wait for it
        return locked

    def other() -> str:
        with app.app_context():
            person = PersonFields(family_name="先着", family_kana="せんちゃく", email="first@example.jp")
            status = register(db.session, event_id=event_id, person=person,
                              mode=RegistrationMode.IN_PERSON).registration.status.value
            db.session.remove()
            return status

    monkeypatch.setattr(service, "lock_event", lock_event_in_turn)
    monkeypatch.setattr(service, "lock_identity", main_asks_first)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(other)
        assert other_holds_it.wait(timeout=30)
        with app.app_context():
            db.session.get(Event, event_id)  # read first in the same session, as the form does
            person = PersonFields(family_name="後着", family_kana="こうちゃく", email="second@example.jp")
            late = register(db.session, event_id=event_id, person=person, mode=RegistrationMode.IN_PERSON)
            late_status = late.registration.status.value
            db.session.remove()
        assert first.result() == "registered"
    assert late_status == "waitlisted"


def test_identity_matching_reads_every_rules_persons_in_one_query(app):
    """A professional who gives an e-mail address, a phone and a known office: the office is
    looked up once, the persons of all three rules are read by one query."""
    office = find_or_create_organization(db.session, "ひまわり訪問看護ステーション")
    colleague = new_person(db.session, PersonFields(family_name="佐藤", family_kana="さとう", phone="04-7150-0000"),
                           organization=office)
    db.session.commit()
    fields = PersonFields(family_name="山田", family_kana="やまだ", email="yamada@example.jp", phone="04-7150-0000",
                          organization="ひまわり 訪問看護ステーション")
    with QueryCounter(db.engine) as counter:
        person, match = resolve_person(db.session, fields)
    # 1 the organization by its normalised name, 2 the persons by e-mail, phone or
    # furigana at that office, 3 INSERT the shared main line (another family furigana holds
    # it), 4 INSERT the new person
    assert counter.count == 4
    assert match.person is None and person.id != colleague.id and person.organization_id == office.id
    assert match.shared == [("phone", "0471500000")]


def test_one_person_registering_for_several_events_at_once_is_one_person(app, make_event):
    """The same human sent twice at the same moment, to two events (a double tap on two tabs,
    two events' links in one mail): matching waits for the other's commit (the locks on the
    matching keys, whatever the event) and finds the person it created; never two persons."""
    event_ids = [make_event(day=in_days(10 + n), title=f"同時申込{n}").id for n in range(6)]
    db.session.remove()
    start = threading.Barrier(len(event_ids))

    def one(event_id: int) -> int:
        with app.app_context():
            person = PersonFields(family_name="同時", given_name="花子", family_kana="どうじ",
                                  given_kana="はなこ", email="douji@example.jp")
            start.wait()
            try:
                return register(db.session, event_id=event_id, person=person,
                                mode=RegistrationMode.IN_PERSON).registration.person_id
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(event_ids)) as pool:
        person_ids = set(pool.map(one, event_ids))
    assert len(person_ids) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.family_name == "同時")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.event_id.in_(event_ids))) == 6


def test_the_same_person_online_and_at_the_door_at_once_is_one_registration(app, make_event):
    """Registering and walking in take their locks in one order (the person's keys, then the
    event): the same human typed in at the door while their form is sent is one person, one
    registration, one check-in, and neither side fails."""
    event_id = make_event(capacity=None, **under_way()).id
    db.session.remove()
    start = threading.Barrier(6)
    person = dict(family_name="同刻", given_name="太郎", family_kana="どうこく", given_kana="たろう",
                  email="doukoku@example.jp")

    def one(n: int) -> int:
        with app.app_context():
            start.wait()
            try:
                if n % 2:
                    return admit_walk_in(db.session, event_id=event_id, staff=None,
                                         person=PersonFields(**person)).registration.id
                return register(db.session, event_id=event_id, person=PersonFields(**person),
                                mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF).registration.id
            finally:
                db.session.remove()

    with ThreadPoolExecutor(6) as pool:
        registration_ids = set(pool.map(one, range(6)))
    assert len(registration_ids) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.family_name == "同刻")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                             .where(CheckIn.registration_id.in_(registration_ids))) == 1
