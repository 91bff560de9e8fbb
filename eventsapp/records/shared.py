"""What the old identity rule left behind, found in the data: addresses shared by persons of
different names, and persons who may be two humans (docs/architecture.md, *Identity matching*).

Until the shared-address rule, an e-mail alone decided: a colleague who typed the office's
address was attached to the first person who used it, and what they typed was dropped (the
registration kept no name). Their registrations cannot be told apart afterwards. What the
data does show:
- persons of different family furigana holding one e-mail or phone (one of them reached it
  through a phone + furigana or furigana + organization match, or an earlier import): the
  address is shared;
- persons merged (by an organizer) into one of another family furigana: a merge to check;
- from now on, registrations whose typed name disagrees with their person's (a merge of
  two humans): the registrations to split off.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from ..people.identity import families_differ, mark_shared, names_agree
from ..people.models import Person, SharedAddress
from ..registration.models import Registration

KINDS = {"email": Person.email_key, "phone": Person.phone_key}


@dataclass
class AddressGroup:
    kind: str  # 'email' | 'phone'
    key: str
    persons: list[Person]
    marked: bool  # already noted as shared (SharedAddress)

    @property
    def address(self) -> str:
        """The address as the first holder typed it."""
        return getattr(self.persons[0], self.kind) if self.persons else self.key


@dataclass
class SplitCandidate:
    person: Person
    registrations: list[Registration] = field(default_factory=list)  # typed under another name
    absorbed: list[Person] = field(default_factory=list)  # merged in, with another family furigana


def _live(*conditions):
    return select(Person).where(Person.merged_into_id.is_(None), Person.erased_at.is_(None), *conditions)


def shared_address_groups(session: Session) -> list[AddressGroup]:
    """Every e-mail and phone held by live persons of different family furigana, marked or
    not yet, with its holders."""
    marked = set(session.execute(select(SharedAddress.kind, SharedAddress.key)).all())
    groups = []
    for kind, column in KINDS.items():
        held_twice = _live(column != "").with_only_columns(column).group_by(column).having(func.count() > 1)
        holders: dict[str, list[Person]] = {}
        for person in session.scalars(_live(column.in_(held_twice)).order_by(column, Person.id)):
            holders.setdefault(getattr(person, f"{kind}_key"), []).append(person)
        for key, persons in holders.items():
            if any(families_differ(persons[0], other) for other in persons[1:]):
                groups.append(AddressGroup(kind, key, persons, (kind, key) in marked))
    return groups


def mark_groups(session: Session, groups: list[AddressGroup]) -> int:
    """Note the groups' addresses as shared; returns how many were new. Commits."""
    new = [(g.kind, g.key) for g in groups if not g.marked]
    mark_shared(session, new)
    session.commit()
    return len(new)


def split_candidates(session: Session) -> list[SplitCandidate]:
    """Live persons with registrations typed under a name that disagrees with theirs, or
    with a merged-in person of another family furigana."""
    found: dict[int, SplitCandidate] = {}
    typed = session.scalars(
        select(Registration).join(Person, Person.id == Registration.person_id)
        .options(joinedload(Registration.person), joinedload(Registration.event))
        .where(Person.merged_into_id.is_(None), Registration.typed_family_name.is_not(None),
               or_(Registration.typed_family_kana != Person.family_kana,
                   Registration.typed_given_kana != Person.given_kana,
                   Registration.typed_family_name != Person.family_name))
        .order_by(Registration.person_id, Registration.id)
    )
    for registration in typed:
        if not names_agree(registration.typed, registration.person):
            found.setdefault(registration.person_id, SplitCandidate(registration.person)).registrations.append(
                registration)
    keepers = select(Person.merged_into_id).where(Person.merged_into_id.is_not(None))
    for keep in session.scalars(_live(Person.id.in_(keepers)).order_by(Person.id)):
        for absorbed in session.scalars(select(Person).where(Person.merged_into_id == keep.id).order_by(Person.id)):
            if families_differ(keep, absorbed):
                found.setdefault(keep.id, SplitCandidate(keep)).absorbed.append(absorbed)
    return sorted(found.values(), key=lambda c: c.person.id)
