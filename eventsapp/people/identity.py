"""Identity matching: recognising the same human across events and years
(docs/architecture.md, *Identity matching*).

"New participant" is only right if a person who registers again is found again. Typed
values are normalised into the *_key columns of Person (NFKC, case, kana width,
hiragana→katakana, spaces; phone to digits), and a registration is matched on, in order:

1. the same e-mail and the same name (names_agree);
2. the same phone and the same name (names_agree);
3. the same furigana and the same organization.

An e-mail or a phone alone never decides: care offices share one address and one main
line among colleagues. names_agree asks for the same family furigana, and a given-name
furigana that does not contradict (equal, or missing on one side). The same address with
another family furigana is another person, and the address is marked as shared
(SharedAddress), so organizers see it as such and not as a duplicate to merge.

A rule-2 or rule-3 person whose stored e-mail differs from the one given is not matched:
it is listed as a possible duplicate for the organizers, who may merge the two later.
Persons merged into another (merged_into_id set) are never matched nor searched.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import jaconv
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..dates import now
from .models import Organization, Person, SharedAddress

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
    # (kind, key) of each given address that a person of another family furigana holds
    shared: list[tuple[str, str]] = field(default_factory=list)
    organization: Organization | None = None  # the one typed, when it is known already


@dataclass(frozen=True)
class Related:
    """A possible duplicate of a person, or a colleague behind a shared address (shared=True):
    the organizer merges the first kind, never the second."""

    person: Person
    shared: bool


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


def display_contact(text: str) -> str:
    """An e-mail address or a phone as stored, shown and mailed to: NFKC, so that what a Japanese
    keyboard types in full width ('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ', '０９０－１２３４') is what it
    means ('taro@example.jp', '090-1234'); stripped, case kept."""
    return unicodedata.normalize("NFKC", text).strip()


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


@dataclass(frozen=True)
class NameKeys:
    """The normalised family and given furigana, and the names as a fallback for those typed
    without furigana (staff lists, imports)."""

    family_kana: str
    given_kana: str
    family_name: str
    given_name: str

    @classmethod
    def of(cls, source: "Person | PersonFields") -> "NameKeys":
        def name(text: str) -> str:
            return SPACES.sub("", unicodedata.normalize("NFKC", text).casefold())

        return cls(normalize_kana(source.family_kana), normalize_kana(source.given_kana),
                   name(source.family_name), name(source.given_name))


def _same_part(family_a: str, given_a: str, family_b: str, given_b: str) -> bool:
    """The same family part; a whole name typed in the family field ('ヤマダタロウ', as the
    walk-in form and imports split at a space) against one split in two compares whole."""
    return bool(family_a) and (
        family_a == family_b
        or (not given_a and family_a == family_b + given_b)
        or (not given_b and family_b == family_a + given_a))


def _same_family(a: NameKeys, b: NameKeys) -> bool:
    if a.family_kana and b.family_kana:
        return _same_part(a.family_kana, a.given_kana, b.family_kana, b.given_kana)
    # no furigana on one side: the family name decides
    return _same_part(a.family_name, a.given_name, b.family_name, b.given_name)


def names_agree(a: "Person | PersonFields", b: "Person | PersonFields") -> bool:
    """Whether two name records may be one human: the same family furigana (or, without
    furigana on a side, the same family name), and given-name furigana equal or missing on
    one side. What an e-mail or phone match needs besides the address."""
    ka, kb = NameKeys.of(a), NameKeys.of(b)
    if not _same_family(ka, kb):
        return False
    return not (ka.given_kana and kb.given_kana) or ka.given_kana == kb.given_kana


def families_differ(a: "Person | PersonFields", b: "Person | PersonFields") -> bool:
    """Whether the family furigana (or names) clearly differ: another human, not a typo."""
    return not _same_family(NameKeys.of(a), NameKeys.of(b))


def _contact_hits(fields: PersonFields, kind: str, key: str, holders: list[Person], match: Match) -> list[Person]:
    """The holders of this address whose name agrees; the address noted as shared when a
    holder's family furigana differs."""
    if any(families_differ(fields, person) for person in holders):
        match.shared.append((kind, key))
    return [person for person in holders if names_agree(fields, person)]


def _matching_keys(fields: PersonFields) -> dict[str, str]:
    """The normalised keys matching looks a person up by ("" when not given): the e-mail, the
    phone, the furigana (the rules of _rule_hits; identity_lock_numbers locks them)."""
    return {"email": normalize_email(fields.email), "phone": normalize_phone(fields.phone),
            "kana": normalize_kana(fields.family_kana + fields.given_kana)}


def _rule_hits(session: Session, fields: PersonFields, match: Match) -> list[tuple[str, list[Person]]]:
    """The persons each rule points at, in the order the rules are tried. One query reads the
    persons of every rule (the typed organization's, if any, is looked up first); each rule
    then keeps its own, by the same test in Python as in SQL."""
    keys = _matching_keys(fields)
    email, phone, kana = keys["email"], keys["phone"], keys["kana"]
    organization = match.organization = _find_organization(session, fields.organization)
    rules = []  # (rule, SQL condition, the same condition on a loaded person)
    if email:
        rules.append(("email", Person.email_key == email, lambda person: person.email_key == email))
    if phone:
        rules.append(("phone_kana", Person.phone_key == phone, lambda person: person.phone_key == phone))
    if kana and organization is not None:
        rules.append(("kana_organization", and_(Person.kana_key == kana, Person.organization_id == organization.id),
                      lambda person: person.kana_key == kana and person.organization_id == organization.id))
    if not rules:
        return []
    found = list(session.scalars(_live_persons(or_(*(condition for _rule, condition, _test in rules)))))
    hits: list[tuple[str, list[Person]]] = []
    for rule, _condition, test in rules:
        persons = [person for person in found if test(person)]
        if rule == "email":
            persons = _contact_hits(fields, "email", email, persons, match)
        elif rule == "phone_kana":
            persons = _contact_hits(fields, "phone", phone, persons, match)
        hits.append((rule, persons))
    return hits


def identity_lock_numbers(fields: PersonFields) -> list[int]:
    """One 64-bit number for each key matching looks a person up by (the e-mail, the phone, the
    furigana: _rule_hits): two registrations that could match one another share at least one, so
    that, locked (locking.lock_numbers), the second one's matching waits for the first one's
    commit and finds the person it created. Fields with none of them always make a new person."""
    keys = {f"{kind}:{key}" for kind, key in _matching_keys(fields).items() if key}
    return [int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8, person=b"identity").digest(), "big", signed=True)
            for key in sorted(keys)]


def match_person(session: Session, fields: PersonFields) -> Match:
    """The existing person these fields designate, by the first rule that finds one.

    Every other person a rule points at is returned in `candidates`: a phone/kana or
    kana/organization hit whose stored e-mail differs from the given one, and any hit
    beyond the chosen person (it may be the same human entered twice). A given address
    held by someone of another family furigana is listed in `shared`. Reads only."""
    given_email = normalize_email(fields.email)
    match = Match(person=None, rule=None)
    for rule, persons in _rule_hits(session, fields, match):
        for person in persons:
            if person is match.person or person in match.candidates:
                continue
            conflicting = rule != "email" and given_email and person.email_key not in ("", given_email)
            if match.person is None and not conflicting:
                match.person, match.rule = person, rule
            else:
                match.candidates.append(person)
    return match


def mark_shared(session: Session, addresses: list[tuple[str, str]]) -> None:
    """Note these (kind, key) addresses as shared among colleagues; a no-op for those noted
    already (the unique key decides, also between concurrent registrations). Flushes."""
    insert = INSERTS[session.get_bind().dialect.name]
    for kind, key in dict.fromkeys(addresses):
        session.execute(insert(SharedAddress).values(kind=kind, key=key, marked_at=now())
                        .on_conflict_do_nothing(index_elements=["kind", "key"]))


def shared_addresses_of(session: Session, person: Person) -> set[str]:
    """Which of the person's addresses ('email', 'phone') are marked as shared."""
    wanted = [(kind, key) for kind, key in (("email", person.email_key), ("phone", person.phone_key)) if key]
    if not wanted:
        return set()
    rows = session.execute(select(SharedAddress.kind, SharedAddress.key).where(
        or_(*[(SharedAddress.kind == kind) & (SharedAddress.key == key) for kind, key in wanted])))
    return {kind for kind, _key in rows}


def fill_missing(person: Person, source: Person | PersonFields) -> None:
    """Give `person` the contact data it lacks from `source`; never overwrite a value."""
    email, phone = display_contact(source.email), display_contact(source.phone)
    if not person.email and email:
        person.email = email
    if not person.phone and phone:
        person.phone = phone
    if not normalize_kana(person.family_kana + person.given_kana):
        person.family_kana, person.given_kana = display_kana(source.family_kana), display_kana(source.given_kana)
    if not person.profession and source.profession:
        person.profession, person.profession_other = source.profession, source.profession_other
    if not person.age_band and source.age_band:
        person.age_band = source.age_band
    _set_keys(person)


def new_person(session: Session, fields: PersonFields, *, organization: Organization | None = None) -> Person:
    """A new person from the typed fields, with keys and organization (the one given, else
    found or created by name); added, not flushed."""
    person = Person(
        family_name=fields.family_name.strip(),
        given_name=fields.given_name.strip(),
        family_kana="",
        given_kana="",
        email="",
        phone="",
        organization=organization or find_or_create_organization(session, fields.organization),
    )
    fill_missing(person, fields)
    session.add(person)
    return person


def resolve_person(session: Session, fields: PersonFields) -> tuple[Person, Match]:
    """The matched person, given the contact data it lacked (e-mail, phone, furigana,
    profession, organization), or a new person; with the match. An address the new person
    shares with someone of another family furigana is marked as shared. Flushes, never commits."""
    match = match_person(session, fields)
    person = match.person
    mark_shared(session, match.shared)
    if person is None:
        person = new_person(session, fields, organization=match.organization)
    else:
        fill_missing(person, fields)
        if person.organization_id is None:
            person.organization = match.organization or find_or_create_organization(session, fields.organization)
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


def possible_duplicates(session: Session, person: Person) -> list[Related]:
    """Other live persons with the same ふりがな, or the same e-mail or phone: for the organizer
    to look at and merge by hand when they are one human. Those related only by an address,
    with another family furigana, are colleagues behind a shared address (shared=True)."""
    conditions = []
    if person.kana_key:
        conditions.append(Person.kana_key == person.kana_key)
    if person.email_key:
        conditions.append(Person.email_key == person.email_key)
    if person.phone_key:
        conditions.append(Person.phone_key == person.phone_key)
    if not conditions:
        return []
    others = session.scalars(
        select(Person)
        .where(or_(*conditions), Person.id != person.id, Person.merged_into_id.is_(None))
        .order_by(Person.id)
        .limit(20)
    )
    return [Related(other, shared=families_differ(person, other)) for other in others]
