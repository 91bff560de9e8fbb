"""The statements of a scan (checkin/service.py check_in applies the rules to what they read).

Each is built once for each shape of scan and each engine, so that a scan only binds its values:
building and hashing a statement of this size costs more than running it. Core tables, not the
ORM: the rules need a row of values, not objects in the session."""
import functools

from sqlalchemy import Insert, Row, Select, bindparam, false, null, select, true
from sqlalchemy.dialects import postgresql, sqlite

from ..catalog.models import Event
from ..people.models import Organization, Person, joined_name
from ..registration.models import Registration
from .models import CheckIn, RefusedScan

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@functools.cache
def door_statement(by: str | None, *, with_nonce: bool) -> Select:
    """Everything one scan is judged on, in one row: the event's status and times (its door);
    the registration the scan names by "ticket" or "number" (None: it names none), locked FOR
    UPDATE, with its person's names, organization and check-in; the registration the nonce
    checked in before, and the reason it was refused before. Binds event_id, ticket or number,
    and nonce. SQLite leaves out FOR UPDATE: its write lock is taken first (locking.py)."""
    events, registrations, persons = Event.__table__, Registration.__table__, Person.__table__
    organizations, checkins, refusals = Organization.__table__, CheckIn.__table__, RefusedScan.__table__
    found = select(registrations.c.id, registrations.c.event_id, registrations.c.status, registrations.c.person_id)
    if by == "ticket":
        found = found.where(registrations.c.ticket_token == bindparam("ticket")).with_for_update()
    elif by == "number":
        found = found.where(registrations.c.id == bindparam("number")).with_for_update()
    else:
        found = found.where(false())
    found = found.subquery("scanned")
    if with_nonce:
        nonce_registration = select(checkins.c.registration_id).where(checkins.c.nonce == bindparam("nonce"))
        refused = (select(refusals.c.reason).limit(1)
                   .where(refusals.c.event_id == bindparam("event_id"), refusals.c.nonce == bindparam("nonce")))
        nonce_registration, refused = nonce_registration.scalar_subquery(), refused.scalar_subquery()
    else:
        nonce_registration, refused = null(), null()
    return (
        select(
            events.c.status, events.c.starts_at, events.c.ends_at,
            found.c.id.label("registration_id"), found.c.event_id.label("registration_event_id"),
            found.c.status.label("registration_status"),
            persons.c.family_name, persons.c.given_name, persons.c.family_kana, persons.c.given_kana,
            organizations.c.name.label("organization"),
            checkins.c.scanned_at, checkins.c.created_at,
            nonce_registration.label("nonce_registration_id"), refused.label("refused"),
        )
        .select_from(events)
        .outerjoin(found, true())
        .outerjoin(persons, persons.c.id == found.c.person_id)
        .outerjoin(organizations, organizations.c.id == persons.c.organization_id)
        .outerjoin(checkins, checkins.c.registration_id == found.c.id)
        .where(events.c.id == bindparam("event_id"))
    )


@functools.cache
def insert_checkin(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING created_at: None when the registration or the
    nonce has its check-in already. Built once per engine, like door_statement."""
    return INSERTS[dialect](CheckIn.__table__).on_conflict_do_nothing().returning(CheckIn.__table__.c.created_at)


def door_card(door: Row) -> dict[str, str]:
    """What the door shows of the person door_statement found (service.py person_card says it
    of a Person): name, kana, organization."""
    return {
        "name": joined_name(door.family_name, door.given_name),
        "kana": joined_name(door.family_kana, door.given_kana),
        "organization": door.organization or "",
    }
