"""Splitting a person who is in fact two humans: the inverse of merge_persons (merge.py).

Under the old identity rule an e-mail alone decided, so a colleague registering with the
office's shared address was counted as the first person who used it; an organizer's merge
can be wrong too. A split moves the chosen registrations — their check-ins and survey
responses hang on them and follow — to another person: a new one, or a person that was
merged into this one (restored, which undoes that merge). Logged; rows locked as a merge
locks them.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import AuditLog, User
from ..auth.service import record
from ..people.identity import PersonFields, new_person
from ..people.models import Person
from ..registration.models import Registration
from .merge import IdentityError


@dataclass(frozen=True)
class SplitPlan:
    """What a split moves where: the chosen registrations, to a new person made of `new`,
    or back to the absorbed person `restore_id`."""

    registration_ids: tuple[int, ...]
    new: PersonFields | None = None
    restore_id: int | None = None


def absorbed_persons(session: Session, person: Person) -> list[Person]:
    """The persons merged into this one (candidates to restore by a split)."""
    return list(session.scalars(select(Person).where(Person.merged_into_id == person.id).order_by(Person.id)))


def merged_registration_ids(session: Session, *, keep_id: int, absorbed_id: int) -> list[int]:
    """The registrations the merge of absorbed_id into keep_id moved, as its audit row names
    them; empty for merges logged before the rows were named."""
    details = session.scalars(
        select(AuditLog.detail).where(AuditLog.action == "person_merged", AuditLog.target == f"person:{keep_id}")
        .order_by(AuditLog.id)
    )
    return [i for detail in details if (detail or {}).get("absorbed") == absorbed_id
            for i in (detail.get("registration_ids") or [])]


def split_person(session: Session, *, source: Person, plan: SplitPlan, user: User | None = None) -> Person:
    """Move the plan's registrations of `source` to a new person or to a restored absorbed
    person; returns that person. Commits.

    Raises IdentityError: already_merged (source merged meanwhile), nothing_chosen,
    not_their_registration, not_absorbed."""
    if not plan.registration_ids:
        raise IdentityError("nothing_chosen")
    # Lock the rows (in id order) and re-read them, as a merge does: a concurrent merge or
    # split of the same person waits, then sees the other's result.
    ids = sorted({source.id, *([plan.restore_id] if plan.restore_id else [])})
    lock = select(Person).where(Person.id.in_(ids)).order_by(Person.id).with_for_update()
    locked = {person.id: person for person in session.scalars(lock.execution_options(populate_existing=True))}
    try:
        if source.merged_into_id is not None:
            raise IdentityError("already_merged")
        moving = list(session.scalars(
            select(Registration).where(Registration.id.in_(plan.registration_ids)).with_for_update()
        ))
        if len(moving) != len(set(plan.registration_ids)) or any(r.person_id != source.id for r in moving):
            raise IdentityError("not_their_registration")
        if plan.restore_id is not None:
            target = locked.get(plan.restore_id)
            if target is None or target.merged_into_id != source.id:
                raise IdentityError("not_absorbed")
            target.merged_into_id = None
        else:
            target = new_person(session, plan.new)
            session.flush()
    except IdentityError:
        session.rollback()  # release the locks
        raise
    for registration in moving:
        registration.person_id = target.id
    record(session, "person_split", user=user, target=f"person:{source.id}", into=target.id,
           restored=plan.restore_id is not None, moved=len(moving), registration_ids=sorted(r.id for r in moving))
    session.commit()
    return target
