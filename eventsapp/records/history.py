"""A person's history across events and years."""
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Event
from ..checkin.models import CheckIn
from ..registration.models import Registration


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
