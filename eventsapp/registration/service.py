"""Registering people for events, with capacity, waitlist and promotion, in one place.

Capacity counts in-person pre-registrations only: on-demand viewing takes no seat. Every
change that can affect seats first locks the event row — SELECT … FOR UPDATE on
PostgreSQL, a write lock taken by the transaction's first statement on SQLite — so
concurrent requests queue up and can never overbook. Identity matching goes before that lock,
under locks of its own (lock_identity), so that the event's lock spans only the seat-counting
writes. The partial unique index on live registrations is the last guard against the same
person registering twice at once. docs/architecture.md, *Capacity and waitlist*.
"""
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus
from ..dates import now
from ..domain import UNKNOWN_EVENT, DomainError
from ..locking import commit_keeping_loaded, is_sqlite, lock_numbers, lock_row, start_locking, write_lock
from ..mail.models import MailKind
from ..people.identity import (
    PersonFields,
    identity_lock_numbers,
    is_kana,
    normalize_email,
    normalize_phone,
    resolve_person,
)
from ..people.models import Person
from .models import (
    Channel,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    typed_columns,
)
from .notices import kind_for_new, mailed_on_registration, queue_notice
from .tickets import new_token

MAX_FIELD_LENGTH = 100
# Fields whose column is narrower than MAX_FIELD_LENGTH: refused here, never by the database.
NARROW_FIELDS = {"phone": Person.__table__.c.phone.type.length,
                 "profession": Person.__table__.c.profession.type.length}
# What an over-long narrow field is told: no phone is that long; the profession has its own limit.
TOO_LONG_CODES = {"phone": "phone_invalid", "profession": "profession_too_long"}


class RegistrationError(DomainError):
    """A refused registration change: a stable code, the field at fault, a message and a status."""

    MESSAGES = {
        "unknown_event": UNKNOWN_EVENT,
        "event_cancelled": (_l("このイベントは中止になりました。"), 409),
        "event_not_published": (_l("このイベントはまだ申込を受け付けていません。"), 422),
        "registration_not_open": (_l("申込受付の開始前です。"), 422),
        "registration_closed": (_l("申込受付は終了しました。"), 422),
        "mode_unavailable": (_l("このイベントでは選べない参加形態です。"), 409),
        "full": (_l("定員に達したため、申込を受け付けられません。"), 409),
        "unknown_registration": (_l("指定された申込はありません。"), 404),
        "already_cancelled": (_l("この申込はすでにキャンセルされています。"), 409),
        "not_waitlisted": (_l("キャンセル待ちの申込ではありません。"), 422),
        "name_required": (_l("お名前（姓）を入力してください。"), 422),
        "too_long": (_l("長すぎます。100文字以内で入力してください。"), 422),
        "profession_too_long": (_l("職種は50文字以内で入力してください。"), 422),
        "control_characters": (_l("使えない文字（制御文字）が含まれています。"), 422),
        "kana_required": (_l("ふりがなを入力してください。"), 422),
        "kana_invalid": (_l("ふりがなは、ひらがなまたはカタカナで入力してください。"), 422),
        "email_invalid": (_l("メールアドレスの形式が正しくありません。"), 422),
        "phone_invalid": (_l("電話番号は数字（10〜11桁）で入力してください。"), 422),
        "contact_required": (_l("メールアドレスか電話番号のどちらかを入力してください。"), 422),
        "identity_required": (_l("ふりがな・メールアドレス・電話番号のいずれかを入力してください。"), 422),
    }


def check_person_fields(fields: PersonFields, *, public: bool) -> None:
    """What a registration must say about the person. The public form asks for ふりがな and
    an e-mail or a phone; staff back-filling a paper list need a name and one of the three.
    Raises RegistrationError with the field at fault (the first of person_field_errors)."""
    errors = person_field_errors(fields, public=public)
    if errors:
        raise errors[0]


def person_field_errors(fields: PersonFields, *, public: bool) -> list[RegistrationError]:
    """Every rule of check_person_fields the fields break, the first one per field, in the order
    the rules are checked: a form shows them all at once instead of one per try."""
    errors: dict[str, RegistrationError] = {}

    def add(code: str, field: str) -> None:
        errors.setdefault(field, RegistrationError(code, field))

    for name in ("family_name", "given_name", "family_kana", "given_kana", "email", "phone", "profession",
                 "profession_other", "organization"):
        value = getattr(fields, name)
        if len(value) > NARROW_FIELDS.get(name, MAX_FIELD_LENGTH):
            add(TOO_LONG_CODES.get(name, "too_long"), name)
        elif any(unicodedata.category(ch) == "Cc" for ch in value):
            add("control_characters", name)
    if not fields.family_name.strip():
        add("name_required", "family_name")
    kana = f"{fields.family_kana}{fields.given_kana}".strip()
    for field in ("family_kana", "given_kana"):  # the message goes under the field at fault
        if getattr(fields, field).strip() and not is_kana(getattr(fields, field)):
            add("kana_invalid", field)
    if fields.email.strip():
        try:
            validate_email(normalize_email(fields.email), check_deliverability=False)
        except EmailNotValidError:
            add("email_invalid", "email")
    if fields.phone.strip() and not 10 <= len(normalize_phone(fields.phone)) <= 11:
        add("phone_invalid", "phone")
    has_contact = bool(fields.email.strip() or fields.phone.strip())
    if public and not kana:
        add("kana_required", "family_kana")
    if public and not has_contact:
        add("contact_required", "email")
    if not (kana or has_contact):
        add("identity_required", "family_kana")
    return list(errors.values())


@dataclass
class Registered:
    registration: Registration
    created: bool  # False: the person was already registered; the same registration is returned


@dataclass
class Cancelled:
    registration: Registration
    promoted: Registration | None


def lock_event(session: Session, event_id: int) -> Event | None:
    """Take the event's lock for the rest of the transaction and return the event, fresh."""
    return lock_row(session, Event, Event.id == event_id)


def takes_a_seat():
    """The capacity rule: a registration takes a seat when it is registered (not waitlisted or
    cancelled) and in person, walk-ins included; on-demand viewing takes none. The public pages'
    data version (migration 0020) watches these columns: a column read here is added there."""
    return and_(Registration.status == RegistrationStatus.REGISTERED, Registration.mode == RegistrationMode.IN_PERSON)


def seat_count(event_id):
    """The seats taken at an event (takes_a_seat), as a SELECT; event_id is an id, or Event.id
    for a count beside each event row (availability.event_with_state)."""
    return select(func.count()).select_from(Registration).where(Registration.event_id == event_id, takes_a_seat())


def seats_taken(session: Session, event: Event) -> int:
    return session.scalar(seat_count(event.id))


def status_by_seats(event: Event, mode: RegistrationMode):
    """The status of a new registration: waitlisted when it would take a seat and every seat is
    taken, else registered. For an in-person registration at an event with a capacity it is a
    SQL expression that the registration's INSERT evaluates, so the seats are counted in that
    statement. The caller holds the event's lock, and the INSERT, a statement that starts after
    the lock was granted, sees every registration committed before; a count inside the lock's
    own SELECT … FOR UPDATE would not (PostgreSQL reads with the snapshot it took before it
    waited for the lock)."""
    if mode != RegistrationMode.IN_PERSON or event.capacity is None:
        return RegistrationStatus.REGISTERED
    return case((seat_count(event.id).scalar_subquery() < event.capacity, RegistrationStatus.REGISTERED),
                else_=RegistrationStatus.WAITLISTED)


def has_free_seat(session: Session, event: Event) -> bool:
    return event.capacity is None or seats_taken(session, event) < event.capacity


def registration_closes(event: Event) -> datetime:
    """The public form takes registrations until this moment (included): the closing moment
    the organizer set, else the event's end."""
    return event.registration_closes_at or event.ends_at


def check_public_window(event: Event) -> None:
    """The public form honours status and registration window; staff may register for any
    event that is not cancelled, past ones included, to back-fill paper lists."""
    if event.status != EventStatus.PUBLISHED:
        raise RegistrationError("event_not_published")
    moment = now()
    if event.registration_opens_at and moment < event.registration_opens_at:
        raise RegistrationError("registration_not_open")
    if moment > registration_closes(event):
        raise RegistrationError("registration_closed")


def register(
    session: Session,
    *,
    event_id: int,
    person: PersonFields,
    mode: RegistrationMode,
    channel: Channel | None = None,
    source: RegistrationSource = RegistrationSource.PUBLIC,
) -> Registered:
    """Register a person (found or created by identity matching) for an event; commits.

    A full event waitlists (or refuses, when the event takes no waitlist). "Already
    registered" (created=False, the existing registration back) means the *matched person*
    holds a live registration: a colleague behind a shared office address is another person
    (people/identity.py) and gets their own registration and ticket at that address.
    Raises RegistrationError: unknown_event, event_cancelled, event_not_published,
    registration_not_open, registration_closed, mode_unavailable, full, and the person-field
    codes of check_person_fields."""
    check_person_fields(person, public=source == RegistrationSource.PUBLIC)
    start_locking(session)
    lock_identity(session, event_id, person)
    try:
        # Matching goes before the event's lock, which then spans only the writes that count seats.
        found, match = resolve_person(session, person)
        event = lock_event(session, event_id)
        check_registrable(event, mode=mode, public=source == RegistrationSource.PUBLIC)
        # A person created just now holds no registration: no need to look.
        existing = live_registration(session, event_id=event.id, person_id=found.id) if match.person else None
        if existing is not None:  # "already registered, ticket re-sent" — to the stored address only
            if mailed_on_registration(event, source):
                queue_notice(session, existing, MailKind.ALREADY_REGISTERED, dedupe_key=hourly_key("already", existing))
            session.commit()
            return Registered(existing, created=False)
        registration = session.scalar(insert(Registration).values(
            event_id=event.id, person_id=found.id, mode=mode, status=status_by_seats(event, mode), source=source,
            channel=channel, ticket_token=new_token(), manage_token=new_token(), **typed_columns(person),
        ).returning(Registration))
        if registration.status == RegistrationStatus.WAITLISTED and not event.waitlist:
            raise RegistrationError("full")  # rolled back below: nothing is kept
        if mailed_on_registration(event, source):  # none for a paper list typed in after the event
            queue_notice(session, registration, kind_for_new(registration))
        commit_keeping_loaded(session)  # the answer needs the registration as written: no reload
    except RegistrationError:
        session.rollback()
        raise
    except IntegrityError:  # the same person registering twice at the same moment
        session.rollback()
        found, _match = resolve_person(session, person)
        existing = live_registration(session, event_id=event_id, person_id=found.id)
        session.commit()
        if existing is None:
            raise
        return Registered(existing, created=False)
    return Registered(registration, created=True)


def lock_identity(session: Session, event_id: int, person: PersonFields) -> None:
    """Make registrations that could match the same person wait for one another (PostgreSQL:
    advisory locks on the person's matching keys), so that the second one finds the person the
    first created. SQLite has one write lock: taken here, it serializes every registration."""
    if is_sqlite(session):
        write_lock(session, Event, Event.id == event_id)
    else:
        lock_numbers(session, identity_lock_numbers(person))


def check_registrable(event: Event | None, *, mode: RegistrationMode, public: bool) -> None:
    if event is None:
        raise RegistrationError("unknown_event")
    if event.status == EventStatus.CANCELLED:
        raise RegistrationError("event_cancelled")
    if public:
        check_public_window(event)
    offered = event.offers_in_person if mode == RegistrationMode.IN_PERSON else event.offers_on_demand
    if not offered:
        raise RegistrationError("mode_unavailable")


def live_registration(session: Session, *, event_id: int, person_id: int) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.person_id == person_id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )


def cancel(session: Session, *, registration_id: int) -> Cancelled:
    """Cancel a registration and, if that frees a seat, promote the first waitlisted
    in-person registration (by time of registration); commits.
    Raises RegistrationError: unknown_registration, already_cancelled."""
    session.commit()
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationError("unknown_registration")
    event = lock_event(session, registration.event_id)
    session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        session.rollback()
        raise RegistrationError("already_cancelled")
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now()
    session.flush()
    promoted = promote_waitlisted(session, event)
    queue_notice(session, registration, MailKind.CANCELLED)
    if promoted is not None:
        queue_notice(session, promoted, MailKind.PROMOTED)
    session.commit()
    return Cancelled(registration, promoted)


def promote_waitlisted(session: Session, event: Event) -> Registration | None:
    """Give a free seat to the first waitlisted person; the caller holds the event lock."""
    if not has_free_seat(session, event):
        return None
    first = session.scalar(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )
    if first is not None:
        first.status = RegistrationStatus.REGISTERED
    return first


def admit_waitlisted(session: Session, *, registration_id: int) -> Registration:
    """Staff move a waitlisted person to registered, even past capacity (their decision);
    commits. Raises RegistrationError: unknown_registration, not_waitlisted."""
    session.commit()
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationError("unknown_registration")
    lock_event(session, registration.event_id)
    session.refresh(registration)
    if registration.status != RegistrationStatus.WAITLISTED:
        session.rollback()
        raise RegistrationError("not_waitlisted")
    registration.status = RegistrationStatus.REGISTERED
    session.commit()
    return registration


def resend_ticket(session: Session, *, registration: Registration) -> bool:
    """Mail the registration's ticket (or waitlist notice) again to the stored address;
    commits. False when the person gave no e-mail or the registration is cancelled."""
    if registration.status == RegistrationStatus.CANCELLED or not registration.person.email.strip():
        return False
    queue_notice(session, registration, kind_for_new(registration), dedupe_key=hourly_key("resend", registration))
    session.commit()
    return True


def hourly_key(purpose: str, registration: Registration) -> str:
    """At most one such mail per registration and hour: a stranger typing someone's
    address again and again cannot flood their inbox."""
    return f"{purpose}:{registration.id}:{now():%Y%m%d%H}"
