"""Identity matching: recognising the same human across events and years
(docs/architecture.md, *Identity matching*).

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
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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
    age_band: str = ""  # 年代 (people/age_bands.py), asked of citizens only


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


def fill_missing(person: Person, source: Person | PersonFields) -> None:
    """Give `person` the contact data it lacks from `source`; never overwrite a value."""
    if not person.email and source.email.strip():
        person.email = source.email.strip()
    if not person.phone and source.phone.strip():
        person.phone = source.phone.strip()
    if not normalize_kana(person.family_kana + person.given_kana):
        person.family_kana, person.given_kana = display_kana(source.family_kana), display_kana(source.given_kana)
    if not person.profession and source.profession:
        person.profession, person.profession_other = source.profession, source.profession_other
    if not person.age_band and source.age_band:
        person.age_band = source.age_band
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
    fill_missing(person, fields)
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
        fill_missing(person, fields)
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
