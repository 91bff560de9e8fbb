"""Who came to an event, counted by 職種, by type of organization and by the channel the
registration came through: one GROUP BY query each, over the attendees (checkin/attendance.py)."""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..checkin.models import CheckIn
from ..people.models import Organization, Person
from ..registration.models import Channel, Registration, RegistrationStatus
from .summary import attended_condition


def _attendees_by(session: Session, event_id: int, key, *joins) -> list[tuple[str, int]]:
    persons = func.count(func.distinct(Registration.person_id))
    query = (
        select(key.label("key"), persons)
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
    )
    for target, condition in joins:
        query = query.outerjoin(target, condition)
    rows = session.execute(
        query.where(Registration.event_id == event_id, attended_condition(Registration, CheckIn))
        .group_by(key).order_by(persons.desc(), key)
    )
    return [(value or "", int(count)) for value, count in rows]


def by_profession(session: Session, event_id: int) -> list[tuple[str, int]]:
    return _attendees_by(session, event_id, Person.profession)


def by_organization_type(session: Session, event_id: int) -> list[tuple[str, int]]:
    return _attendees_by(session, event_id, func.coalesce(Organization.type, ""), (Organization, Organization.id == Person.organization_id))


def by_channel(session: Session, event_id: int) -> list[tuple[str, int]]:
    """By channel code ('' when the registration carries none, as walk-ins and imports)."""
    rows = _attendees_by(session, event_id, Registration.channel)
    return [(getattr(value, "value", value), count) for value, count in rows]


def registrations_by_channel(session: Session, event_ids: list[int]) -> list[tuple[str, int]]:
    """Live registrations (not cancelled; waitlisted included: the channel reached them) of
    these events by channel code, in the form's order of answers, then '' for none (staff
    entries, walk-ins, imports and people who did not say): one GROUP BY query."""
    if not event_ids:
        return []
    rows = dict(session.execute(
        select(Registration.channel, func.count())
        .where(Registration.event_id.in_(event_ids), Registration.status != RegistrationStatus.CANCELLED)
        .group_by(Registration.channel)
    ).all())
    ordered = [(channel.value, rows[channel]) for channel in Channel if channel in rows]
    return ordered + ([("", rows[None])] if None in rows else [])
