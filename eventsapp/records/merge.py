"""Merging two persons found to be the same human (people/identity.py lists the possible
duplicates; organizers decide). A merge moves registrations, so it lives above the
capabilities whose rows it moves, not in people/ (see the README's layout).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..checkin.models import CheckIn
from ..dates import now
from ..domain import DomainError
from ..people.identity import fill_missing
from ..people.models import Person
from ..registration.models import Registration, RegistrationStatus


class IdentityError(DomainError):
    """A refused merge or split: a stable code, a message and a status."""

    MESSAGES = {
        "same_person": (_l("同じ参加者どうしは統合できません。"), 422),
        "already_merged": (_l("すでに統合された参加者です。"), 409),
        "nothing_chosen": (_l("別の方に移す申込を選んでください。"), 422),
        "not_their_registration": (_l("選んだ申込はこの方のものではありません。"), 422),
        "not_absorbed": (_l("戻せるのは、この方に統合された参加者だけです。"), 422),
    }


def _settle_double_registrations(session: Session, *, keep: Person, moving: list[Registration]) -> None:
    """Cancel one of each pair of live registrations for the same event, so the moved
    rows respect the one-live-registration-per-person-and-event index."""
    kept = session.scalars(
        select(Registration).where(
            Registration.person_id == keep.id, Registration.status != RegistrationStatus.CANCELLED
        )
    )
    kept_by_event = {reg.event_id: reg for reg in kept}
    ids = [reg.id for reg in moving] + [reg.id for reg in kept_by_event.values()]
    checked_in = set(session.scalars(select(CheckIn.registration_id).where(CheckIn.registration_id.in_(ids))))

    def preference(reg: Registration) -> tuple:
        # The one with a check-in stays; else a seat beats the waitlist; else the earlier.
        return (reg.id not in checked_in, reg.status != RegistrationStatus.REGISTERED, reg.created_at, reg.id)

    for reg in moving:
        other = kept_by_event.get(reg.event_id)
        if other is None or reg.status == RegistrationStatus.CANCELLED:
            continue
        loser = max(reg, other, key=preference)
        loser.status, loser.cancelled_at = RegistrationStatus.CANCELLED, now()
    session.flush()  # before any row moves: PostgreSQL checks the unique index per statement


def merge_persons(session: Session, *, keep: Person, absorb: Person, user: User | None = None) -> None:
    """Merge `absorb` into `keep`: its registrations (with their check-ins and survey
    responses) move to `keep`, `keep` gains the data it lacked, `absorb` is marked as
    merged into it and the merge is audited. Commits.

    Raises IdentityError("same_person") or IdentityError("already_merged")."""
    if keep.id == absorb.id:
        raise IdentityError("same_person")
    # Lock both rows (in id order) and re-read them: a concurrent merge may have won.
    lock = select(Person).where(Person.id.in_([keep.id, absorb.id])).order_by(Person.id).with_for_update()
    session.scalars(lock.execution_options(populate_existing=True)).all()
    if keep.merged_into_id is not None or absorb.merged_into_id is not None:
        session.rollback()  # release the locks
        raise IdentityError("already_merged")

    moving = list(session.scalars(
        select(Registration).where(Registration.person_id == absorb.id).order_by(Registration.id)))
    _settle_double_registrations(session, keep=keep, moving=moving)
    for reg in moving:
        reg.person_id = keep.id

    fill_missing(keep, absorb)
    keep.organization_id = keep.organization_id or absorb.organization_id
    keep.age_band = keep.age_band or absorb.age_band
    keep.residential_area = keep.residential_area or absorb.residential_area
    # Persons absorb had absorbed earlier now point at keep: no chains to follow.
    session.execute(update(Person).where(Person.merged_into_id == absorb.id).values(merged_into_id=keep.id))
    absorb.merged_into_id = keep.id
    # The moved rows are named, so that a merge found wrong can be split back exactly (split.py).
    record(session, "person_merged", user=user, target=f"person:{keep.id}", absorbed=absorb.id, moved=len(moving),
           registration_ids=[reg.id for reg in moving][:1000])
    session.commit()
