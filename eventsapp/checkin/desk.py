"""What the reception desk is shown besides the counts: who has not arrived yet (未受付), and the
check-in just made that may still be taken back (the undo offered where it was made).

Read-only; the rules themselves (who counts, the five-minute undo) live in service.py.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..people.kana import gojuon_key
from ..people.models import Person
from ..registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from .models import CheckIn, CheckInMethod
from .service import undo_expired


def not_arrived(session: Session, event_id: int) -> list[Registration]:
    """The live in-person pre-registrations without a check-in, in 五十音 order of the furigana
    (people/kana.py, in Python: the databases' collations do not agree on kana): exactly those that live_counts' `registered` counts and its
    `registered_checked_in` does not. Persons and organizations come loaded."""
    rows = session.scalars(
        select(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.mode == RegistrationMode.IN_PERSON,
            Registration.source != RegistrationSource.WALK_IN,
            CheckIn.id.is_(None),
        )
        .options(joinedload(Registration.person).joinedload(Person.organization))
    ).all()
    return sorted(rows, key=lambda r: (gojuon_key(r.person.display_kana), r.person.display_name, r.id))


@dataclass(frozen=True)
class UndoOffer:
    """A check-in that its desk may still take back: whose, when, how."""

    registration_id: int
    name: str
    checked_in_at: datetime
    method: CheckInMethod


def undo_offer(session: Session, *, event_id: int, registration_id: int | None, at: datetime) -> UndoOffer | None:
    """The check-in of this registration of the event, if it is recent enough to be undone at
    `at` under undo_check_in's time rule; None otherwise (no such check-in, another event's,
    or too old). The screens show it after a check-in they made; undo_check_in decides again."""
    if registration_id is None:
        return None
    checkin = session.scalar(
        select(CheckIn).join(Registration)
        .where(CheckIn.registration_id == registration_id, Registration.event_id == event_id)
        .options(joinedload(CheckIn.registration).joinedload(Registration.person))
    )
    if checkin is None or undo_expired(checkin, at):
        return None
    return UndoOffer(registration_id, checkin.registration.person.display_name, checkin.checked_in_at, checkin.method)
