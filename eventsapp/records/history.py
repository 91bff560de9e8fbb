"""A person's history across events and years, and persons who may be the same human."""
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Event
from ..checkin.models import CheckIn
from ..registration.models import Registration
from ..people.models import Person


def person_history(session: Session, person_id: int) -> list[tuple[Registration, CheckIn | None]]:
    """Every registration of the person, newest event first, with its check-in if any."""
    rows = session.execute(
        select(Registration, CheckIn)
        .join(Registration.event)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .options(joinedload(Registration.event).joinedload(Event.series))
        .where(Registration.person_id == person_id)
        .order_by(Event.starts_at.desc())
    )
    return [(registration, checkin) for registration, checkin in rows]


def possible_duplicates(session: Session, person: Person) -> list[Person]:
    """Other live persons with the same ふりがな, or the same e-mail or phone: for the organizer
    to look at and merge by hand when they are one human."""
    conditions = []
    if person.kana_key:
        conditions.append(Person.kana_key == person.kana_key)
    if person.email_key:
        conditions.append(Person.email_key == person.email_key)
    if person.phone_key:
        conditions.append(Person.phone_key == person.phone_key)
    if not conditions:
        return []
    return list(session.scalars(
        select(Person)
        .where(or_(*conditions), Person.id != person.id, Person.merged_into_id.is_(None))
        .order_by(Person.id)
        .limit(20)
    ))
