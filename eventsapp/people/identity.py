"""Identity matching: recognising the same human across events and years (DESIGN §3).

"New participant" is only right if a person who registers again is found again. Typed
values are normalised into the *_key columns of Person (NFKC, case, kana width,
hiragana→katakana, spaces; phone to digits), and a registration is matched on, in order:

1. the same e-mail;
2. the same phone and the same furigana;
3. the same furigana and the same organization.

A rule-2 or rule-3 person whose stored e-mail differs from the one given is not matched:
it is listed as a possible duplicate for the organizers, who may merge the two later.
Persons merged into another (merged_into_id set) are never matched nor searched.
"""
import re
import unicodedata
from dataclasses import dataclass, field

import jaconv
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..checkin.models import CheckIn
from ..dates import now
from ..domain import DomainError
from ..registration.models import Registration, RegistrationStatus
from .models import Organization, Person

# Whitespace of every width, and the zero-width characters that copy-paste brings along.
SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# ・ separates family and given name like a space does: 'ヤマダ・ハナコ' is 'ヤマダ ハナコ'.
KANA_SEPARATORS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff・]+")
# What people type for the long-vowel mark ー once jaconv.normalize has folded the dashes,
# wave dashes and minus signs: the ASCII hyphen (from ‐ ‑ − and the like) and tilde.
LONG_VOWEL_LOOKALIKES = re.compile(r"[-~]")
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u30fd\u30fe・ ]+")
# Core inserts that can skip an existing unique key, per supported engine.
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class IdentityError(DomainError):
    """A refused identity operation: a stable code, a message and a status."""

    MESSAGES = {
        "same_person": (_l("同じ参加者どうしは統合できません。"), 422),
        "already_merged": (_l("すでに統合された参加者です。"), 409),
    }


@dataclass(kw_only=True)
class PersonFields:
    family_name: str
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    email: str = ""
    phone: str = ""
    profession: str = ""
    profession_other: str = ""
    organization: str = ""  # a name as typed; matched/created by normalised name


@dataclass
class Match:
    person: Person | None
    rule: str | None  # 'email' | 'phone_kana' | 'kana_organization' | None
    candidates: list[Person] = field(default_factory=list)  # possible duplicates, not merged


# --- normalisers ---------------------------------------------------------------------


def _fold_kana(text: str) -> str:
    # jaconv.normalize (NFKC plus the dash look-alikes of ー) turns half-width kana into
    # full-width; the second NFKC composes a voiced mark with a katakana that has no
    # hiragana counterpart (わ゙ → ヷ), so the result is stable.
    folded = unicodedata.normalize("NFKC", jaconv.hira2kata(jaconv.normalize(text)))
    return LONG_VOWEL_LOOKALIKES.sub("ー", folded)


def normalize_kana(text: str) -> str:
    """The furigana matching key: full-width katakana with no spaces and no ・ separator."""
    # NFKC once more after removing spaces: 'ワ ゙' (from ゛) composes only once joined.
    return unicodedata.normalize("NFKC", KANA_SEPARATORS.sub("", _fold_kana(text)))


def display_kana(text: str) -> str:
    """Furigana as stored and shown: full-width katakana, spaces trimmed and collapsed."""
    return " ".join(SPACES.sub(" ", _fold_kana(text)).split())


def is_kana(text: str) -> bool:
    """Whether the text, once normalised, is only katakana, ー, ・ and spaces (and not empty)."""
    folded = display_kana(text)
    return bool(folded) and KATAKANA.fullmatch(folded) is not None


def normalize_email(text: str) -> str:
    """The e-mail matching key: NFKC (full-width letters to ASCII), stripped, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def normalize_phone(text: str) -> str:
    """The phone matching key: the ASCII digits left after NFKC ('０４-７１' → '0471')."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if "0" <= c <= "9")


def normalize_org_name(text: str) -> str:
    """The organization matching key: NFKC, case-folded, without any spaces."""
    return SPACES.sub("", unicodedata.normalize("NFKC", text).casefold())


def _set_keys(person: Person) -> None:
    person.email_key = normalize_email(person.email)
    person.phone_key = normalize_phone(person.phone)
    person.kana_key = normalize_kana(person.family_kana + person.given_kana)


# --- organizations -------------------------------------------------------------------


def _find_organization(session: Session, name: str) -> Organization | None:
    key = normalize_org_name(name)
    if not key:
        return None
    return session.scalar(select(Organization).where(Organization.name_key == key))


def find_or_create_organization(session: Session, name: str) -> Organization | None:
    """The organization whose normalised name is that of `name`, created (spelled as
    first typed) when there is none; None for a blank name. Flushes, never commits."""
    found = _find_organization(session, name)
    key = normalize_org_name(name)
    if found is not None or not key:
        return found
    # The unique name_key decides: a concurrent registration naming the same new
    # organization makes this insert a no-op instead of an IntegrityError.
    insert = INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(Organization)
        .values(name=" ".join(name.split()), name_key=key)
        .on_conflict_do_nothing(index_elements=["name_key"])
    )
    return _find_organization(session, name)


# --- matching ------------------------------------------------------------------------


def _live_persons(*conditions):
    return select(Person).where(Person.merged_into_id.is_(None), *conditions).order_by(Person.id)


def _rule_hits(session: Session, fields: PersonFields) -> list[tuple[str, list[Person]]]:
    """The persons each rule points at, in the order the rules are tried."""
    email, phone = normalize_email(fields.email), normalize_phone(fields.phone)
    kana = normalize_kana(fields.family_kana + fields.given_kana)
    hits: list[tuple[str, list[Person]]] = []
    if email:
        hits.append(("email", list(session.scalars(_live_persons(Person.email_key == email)))))
    if phone and kana:
        rows = session.scalars(_live_persons(Person.phone_key == phone, Person.kana_key == kana))
        hits.append(("phone_kana", list(rows)))
    organization = _find_organization(session, fields.organization)
    if kana and organization is not None:
        rows = session.scalars(_live_persons(Person.kana_key == kana, Person.organization_id == organization.id))
        hits.append(("kana_organization", list(rows)))
    return hits


def match_person(session: Session, fields: PersonFields) -> Match:
    """The existing person these fields designate, by the first rule that finds one.

    Every other person a rule points at is returned in `candidates`: a phone/kana or
    kana/organization hit whose stored e-mail differs from the given one, and any hit
    beyond the chosen person (it may be the same human entered twice). Reads only."""
    given_email = normalize_email(fields.email)
    match = Match(person=None, rule=None)
    for rule, persons in _rule_hits(session, fields):
        for person in persons:
            if person is match.person or person in match.candidates:
                continue
            conflicting = rule != "email" and given_email and person.email_key not in ("", given_email)
            if match.person is None and not conflicting:
                match.person, match.rule = person, rule
            else:
                match.candidates.append(person)
    return match


def _fill_missing(person: Person, source: Person | PersonFields) -> None:
    """Give `person` the contact data it lacks from `source`; never overwrite a value."""
    if not person.email and source.email.strip():
        person.email = source.email.strip()
    if not person.phone and source.phone.strip():
        person.phone = source.phone.strip()
    if not normalize_kana(person.family_kana + person.given_kana):
        person.family_kana, person.given_kana = display_kana(source.family_kana), display_kana(source.given_kana)
    if not person.profession and source.profession:
        person.profession, person.profession_other = source.profession, source.profession_other
    _set_keys(person)


def _new_person(session: Session, fields: PersonFields) -> Person:
    person = Person(
        family_name=fields.family_name.strip(),
        given_name=fields.given_name.strip(),
        family_kana="",
        given_kana="",
        email="",
        phone="",
        organization=find_or_create_organization(session, fields.organization),
    )
    _fill_missing(person, fields)
    session.add(person)
    return person


def resolve_person(session: Session, fields: PersonFields) -> tuple[Person, Match]:
    """The matched person, given the contact data it lacked (e-mail, phone, furigana,
    profession, organization), or a new person; with the match. Flushes, never commits."""
    match = match_person(session, fields)
    person = match.person
    if person is None:
        person = _new_person(session, fields)
    else:
        _fill_missing(person, fields)
        if person.organization_id is None:
            person.organization = find_or_create_organization(session, fields.organization)
    session.flush()
    return person, match


def split_name(text: str) -> tuple[str, str]:
    """'山田 花子' or '山田　花子' → ('山田', '花子'); a name without a space stays whole."""
    parts = re.split(r"[ \u3000]+", text.strip(), maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


# --- search --------------------------------------------------------------------------


def person_matches_query(query: str):
    """The SQL condition "name (family + given, spaces ignored), furigana (normalised) or
    e-mail contains the query", or None for a query with nothing to look for."""
    names = {SPACES.sub("", query), SPACES.sub("", unicodedata.normalize("NFKC", query))} - {""}
    if not names:
        return None
    full_name = Person.family_name + Person.given_name
    conditions = [full_name.icontains(name, autoescape=True) for name in names]
    if kana := normalize_kana(query):
        conditions.append(Person.kana_key.contains(kana, autoescape=True))
    if email := normalize_email(query):
        conditions.append(Person.email_key.contains(email, autoescape=True))
    return or_(*conditions)


def search_persons(session: Session, query: str, *, limit: int = 50) -> list[Person]:
    """Persons (not merged away) matching the query (person_matches_query), by furigana."""
    condition = person_matches_query(query)
    if condition is None:
        return []
    stmt = _live_persons(condition).order_by(None).order_by(Person.kana_key, Person.id)
    return list(session.scalars(stmt.limit(limit)))


# --- merge ---------------------------------------------------------------------------


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

    moving = list(session.scalars(select(Registration).where(Registration.person_id == absorb.id)))
    _settle_double_registrations(session, keep=keep, moving=moving)
    for reg in moving:
        reg.person_id = keep.id

    _fill_missing(keep, absorb)
    keep.organization_id = keep.organization_id or absorb.organization_id
    keep.age_band = keep.age_band or absorb.age_band
    keep.residential_area = keep.residential_area or absorb.residential_area
    # Persons absorb had absorbed earlier now point at keep: no chains to follow.
    session.execute(update(Person).where(Person.merged_into_id == absorb.id).values(merged_into_id=keep.id))
    absorb.merged_into_id = keep.id
    record(session, "person_merged", user=user, target=f"person:{keep.id}", absorbed=absorb.id, moved=len(moving))
    session.commit()
