"""The one rule of 参加 (attendance), on the floor that owns check-ins.

A registration outer-joined to its check-in attended when it was checked in at the venue
and not cancelled afterwards (walk-ins included), or when it is a registered on-demand
registration. Counts of attendees, the survey mailing, the "new participant" history and
the response rate all use these expressions; each is one SQL query, the same text on
SQLite and PostgreSQL.
"""
from collections.abc import Iterable

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..registration.models import Registration, RegistrationMode, RegistrationStatus
from .models import CheckIn


def checked_in_at_venue(registration=Registration, checkin=CheckIn):
    """Came to the venue: checked in on a registration that was not cancelled afterwards
    (walk-ins included). `registration` and `checkin` may be aliases."""
    return and_(checkin.id.is_not(None), registration.status != RegistrationStatus.CANCELLED)


def watched_on_demand(registration=Registration, checkin=CheckIn):
    """Took part on demand (録画視聴申込): a registered on-demand registration, not checked in."""
    return and_(
        checkin.id.is_(None),
        registration.mode == RegistrationMode.ON_DEMAND,
        registration.status == RegistrationStatus.REGISTERED,
    )


def attended_condition(registration=Registration, checkin=CheckIn):
    """The one rule of 参加 (see the README, *Indicators and reports*), for a registration
    outer-joined to its check-in: every count of attendees, the survey mailing and the
    "new participant" history use it."""
    return or_(checked_in_at_venue(registration, checkin), watched_on_demand(registration, checkin))


def attended_by_event(event_ids: Iterable[int]) -> Select:
    """One row per event with attendees: in_person = distinct persons checked in at the
    venue, on_demand = distinct persons who watched on demand, total = distinct persons of
    either (a person counts once). Registrations of merged persons were moved to the kept
    person, so person_id is the human."""
    return (
        select(
            Registration.event_id.label("event_id"),
            func.count(func.distinct(case((checked_in_at_venue(), Registration.person_id)))).label("in_person"),
            func.count(func.distinct(case((watched_on_demand(), Registration.person_id)))).label("on_demand"),
            func.count(func.distinct(case((attended_condition(), Registration.person_id)))).label("total"),
        )
        .select_from(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id.in_(list(event_ids)))
        .group_by(Registration.event_id)
    )


def attended_total(session: Session, event_ids: Iterable[int]) -> int:
    """参加者数 of the events added up (延べ人数): the sum of each event's attended total."""
    per_event = attended_by_event(event_ids).subquery()
    return int(session.scalar(select(func.coalesce(func.sum(per_event.c.total), 0))))
