"""Every rule of check-in at the door, in one place (docs/architecture.md, *The door*).

A scan names a ticket (or, typed by staff, a 受付番号) and carries a client nonce. The
answer is one of: checked in; already checked in (with the first time); or a refusal —
unknown_ticket, other_event, cancelled, waitlisted — which is stored with its reason and
device. The same nonce again replays the first answer and writes nothing, so a scan
queued offline and sent twice counts once. The registration row is locked while the
rule runs; the unique constraints on checkins.registration_id and checkins.nonce are the
last guard. A scan is two statements (scans.py): one reads all the rules need and takes the
lock, one inserts the check-in. Every door action first passes open_door(): the door's hours by role
(window.py); organizers may back-fill check-ins after the event, reception may not.
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, and_, case, func, select, update
from sqlalchemy.orm import Session, joinedload

from ..auth.models import Role, User
from ..auth.service import record
from ..catalog.models import Event
from ..dates import now
from ..domain import UNKNOWN_EVENT, DomainError
from ..locking import commit_keeping_loaded, start_locking, write_lock
from ..people.identity import PersonFields, person_matches_query, resolve_person
from ..people.models import Person
from ..registration.models import (
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    typed_columns,
)
from ..registration.numbers import parse_registration_number
from ..registration.service import (
    RegistrationError,
    check_person_fields,
    check_registrable,
    live_registration,
    lock_event,
    lock_identity,
)
from ..registration.tickets import new_token
from .attendance import checked_in_at_venue
from .models import CheckIn, CheckInMethod, RefusalReason, RefusedScan
from .scans import door_card, door_statement, insert_checkin
from .window import CLOCK_SKEW, EventHours, Window, closed_sentence, door_is_open, door_window

REFUSALS = {
    "unknown_ticket": RefusalReason.UNKNOWN_TICKET,
    "other_event": RefusalReason.OTHER_EVENT,
    "cancelled": RefusalReason.CANCELLED,
    "waitlisted": RefusalReason.WAITLISTED,
}
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")
NONCE_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,64}")
UNDO_WINDOW = timedelta(minutes=5)


class CheckInError(DomainError):
    """A refused scan or check-in operation: a stable code, a message and a status; a malformed
    scan names its field and answers as the API's validation_error (README's API table)."""

    MESSAGES = {
        "unknown_event": UNKNOWN_EVENT,
        "unknown_ticket": (_l("このチケットは見つかりません。"), 404),
        "other_event": (_l("別のイベントのチケットです。"), 409),
        "cancelled": (_l("キャンセルされた申込のチケットです。"), 409),
        "waitlisted": (_l("キャンセル待ちの申込です。参加にする場合は「参加にして受付」を押してください。"), 409),
        "ticket_or_number": (_l("チケットか受付番号のどちらか一方を指定してください。"), 422),
        "invalid_nonce": (_l("nonce は英数字・-・_ の8〜64文字で指定してください。"), 422),
        "nonce_reused": (_l("この nonce は別のイベントの受付で使われています。"), 409),
        "invalid_scanned_at": (_l("読み取り日時が正しくありません。端末の時刻を確認してください。"), 422),
        "outside_checkin_window": (_l("受付の時間外です。"), 403),  # said precisely by window.closed_sentence()
        "invalid_device": (_l("端末名は100文字以内で指定してください。"), 422),
        "not_checked_in": (_l("この申込は受付されていません。"), 404),
        "undo_expired": (_l("受付から5分を過ぎたため取り消せません。事務局に申込者一覧から取り消してもらってください。"), 409),
    }
    FIELD_OF = {
        "ticket_or_number": "ticket",
        "invalid_nonce": "nonce",
        "invalid_scanned_at": "scanned_at",
        "invalid_device": "device",
    }

    def __init__(self, code: str, *, text=None, **params):
        super().__init__(code, self.FIELD_OF.get(code), text=text, **params)

    def body(self) -> dict:
        body = super().body()
        if self.field:
            body["code"] = "validation_error"
        return body


@dataclass(frozen=True)
class Scan:
    """What the door sends: a ticket or a 受付番号, and where and when it was read."""

    ticket: str | None = None
    registration_id: int | None = None
    nonce: str | None = None  # None only for server-rendered one-tap forms
    scanned_at: datetime | None = None
    method: CheckInMethod = CheckInMethod.QR
    device: str = ""
    admit: bool = False  # staff admit a waitlisted ticket and check it in


@dataclass(frozen=True)
class ScanResult:
    result: str  # "checked_in" | "already_checked_in"
    registration_id: int
    card: dict[str, str]  # person_card(): what the door shows of the person
    checked_in_at: datetime

    @property
    def created(self) -> bool:
        return self.result == "checked_in"


def ticket_hash(token: str) -> str:
    """What the offline ticket list carries instead of the token: the scanner hashes what it
    reads and looks the hash up, so a lost phone does not hold usable tickets."""
    return hashlib.sha256(token.encode()).hexdigest()


RACE_READS = 3  # a lost race is read again once; a third read only if an undo raced as well


def check_in(session: Session, *, event_id: int, scan: Scan, staff: User | None,
             at: datetime | None = None) -> ScanResult:
    """Apply the check-in rules to one scan at the server's time `at` (now); commits. Raises
    CheckInError (refusals of a known event are stored as RefusedScan first).

    One statement reads what the rules need and locks the registration (read_door); the
    check-in is inserted with ON CONFLICT DO NOTHING, so a scan that lost a race for the same
    ticket or nonce reads again and answers as the winner did."""
    staff_id = staff.id if staff is not None else None  # read before any commit expires it
    role = staff.role if staff is not None else Role.RECEPTION
    at = at or now()
    start_locking(session)
    door = read_door(session, event_id=event_id, scan=scan)
    if door is None:
        raise CheckInError("unknown_event")
    try:
        for _ in range(RACE_READS):
            result = judge_scan(session, door, event_id=event_id, scan=scan, role=role, at=at, staff_id=staff_id)
            if result is not None:
                commit_keeping_loaded(session)
                return result
            door = read_door(session, event_id=event_id, scan=scan)  # the winner's row is visible now
        raise RuntimeError(f"check-in of event {event_id} lost {RACE_READS} races in a row")
    except RefusalReplayed:
        raise
    except CheckInError as error:
        session.rollback()
        store_refusal(session, event_id=event_id, scan=scan, staff_id=staff_id, code=error.code)
        raise


def read_door(session: Session, *, event_id: int, scan: Scan) -> Row | None:
    """Everything one scan is judged on, in one statement (door_statement); None for an unknown
    event. The registration the scan names is locked for the rest of the transaction
    (locking.py). A malformed ticket or nonce is never sent to the database: it matches nothing."""
    by = scanned_by(scan)
    values = {"event_id": event_id}
    if by == "ticket":
        values["ticket"] = scan.ticket
        write_lock(session, Registration, Registration.ticket_token == scan.ticket)
    elif by == "number":
        values["number"] = scan.registration_id
        write_lock(session, Registration, Registration.id == scan.registration_id)
    with_nonce = scan.nonce is not None and NONCE_SHAPE.fullmatch(scan.nonce) is not None
    if with_nonce:
        values["nonce"] = scan.nonce
    return session.connection().execute(door_statement(by, with_nonce=with_nonce), values).one_or_none()


def scanned_by(scan: Scan) -> str | None:
    """How the scan names its registration: "ticket", "number", or None when it names none
    (both or neither given, or a ticket that cannot be one: no control characters reach the
    database)."""
    if scan.ticket is not None and scan.registration_id is None:
        return "ticket" if TOKEN_SHAPE.fullmatch(scan.ticket) else None
    if scan.registration_id is not None and scan.ticket is None:
        return "number"
    return None


def judge_scan(session: Session, door: Row, *, event_id: int, scan: Scan, role: Role, at: datetime,
               staff_id: int | None) -> ScanResult | None:
    """The rules in their order: the door's hours → shape → replay → the ticket → the device's
    clock → record. None when the insert lost a race (read again)."""
    window = open_door(door, role, at, scanned_at=scan.scanned_at)
    check_scan_shape(scan)
    if scan.nonce and (replayed := replay_from(session, door, event_id=event_id, nonce=scan.nonce)):
        return replayed
    if door.registration_id is None:
        raise CheckInError("unknown_ticket")
    if door.registration_event_id != event_id:
        raise CheckInError("other_event")
    check_device_time(window, scan.scanned_at, at)
    return record_check_in(session, door, scan=scan, staff_id=staff_id)


def open_door(event: EventHours, role: Role, at: datetime, *, scanned_at: datetime | None = None) -> Window:
    """The door rule of every door action: the role's window on the event (window.py) must be
    open at the server's time `at` (a recent offline scan may arrive a little after closing).
    Returns the window; raises CheckInError("outside_checkin_window") with a sentence saying
    when the door opens or that it has closed."""
    window = door_window(event, role)
    if not door_is_open(window, at, scanned_at):
        sentence, values = closed_sentence(event, window, at)
        raise CheckInError("outside_checkin_window", text=sentence, **values)
    return window


def enter_door(session: Session, *, event_id: int, staff: User | None, action: str, device: str = "",
               at: datetime | None = None) -> Event:
    """The event, if its door is open to this staff member now. For the door actions that take
    no ticket (search, walk-in, ticket list, undo, the scanner page): a refusal is stored like
    a refused scan, with the action in place of the ticket, then raised.
    Raises CheckInError: unknown_event, outside_checkin_window."""
    staff_id = staff.id if staff is not None else None
    role = staff.role if staff is not None else Role.RECEPTION
    event = session.get(Event, event_id)
    if event is None:
        raise CheckInError("unknown_event")
    try:
        open_door(event, role, at or now())
    except CheckInError as error:
        session.rollback()
        store_refusal(session, event_id=event_id, scan=Scan(ticket=action, device=device), staff_id=staff_id,
                      code=error.code)
        raise
    return event


def check_scan_shape(scan: Scan) -> None:
    if (scan.ticket is None) == (scan.registration_id is None):
        raise CheckInError("ticket_or_number")
    if scan.nonce is not None and not NONCE_SHAPE.fullmatch(scan.nonce):
        raise CheckInError("invalid_nonce")
    if len(scan.device) > 100:
        raise CheckInError("invalid_device")


def check_device_time(window: Window, scanned_at: datetime | None, at: datetime) -> None:
    """The device's time of a known ticket's scan is refused only when it is far (more than
    CLOCK_SKEW) from the server's: ahead of it, or before the door opened while the server
    says it is open. Checked after the ticket lookup, so it never hides unknown_ticket."""
    if scanned_at is not None and (scanned_at > at + CLOCK_SKEW or scanned_at < window.opens_at - CLOCK_SKEW):
        raise CheckInError("invalid_scanned_at")


def replay_from(session: Session, door: Row, *, event_id: int, nonce: str) -> ScanResult | None:
    """The first answer given to this nonce, or None if it is new. A refusal is replayed by
    raising it again (without storing it twice). The nonce usually checked in this very
    registration, whose check-in the door's row holds; one sent before with another ticket is
    looked up (replay)."""
    if door.nonce_registration_id is not None:
        if door.nonce_registration_id != door.registration_id:
            return replay(session, event_id=event_id, nonce=nonce)
        if door.registration_event_id != event_id:
            raise CheckInError("nonce_reused")
        return ScanResult("checked_in", door.registration_id, door_card(door), door.scanned_at or door.created_at)
    if door.refused is not None and door.refused != RefusalReason.INVALID:
        session.rollback()
        raise RefusalReplayed(door.refused.value)
    return None


def replay(session: Session, *, event_id: int, nonce: str) -> ScanResult | None:
    """The first answer given to this nonce, looked up by itself (see replay_from)."""
    first = session.scalar(select(CheckIn).where(CheckIn.nonce == nonce).options(
        joinedload(CheckIn.registration).joinedload(Registration.person).joinedload(Person.organization)))
    if first is None:
        return None
    if first.registration.event_id != event_id:
        raise CheckInError("nonce_reused")
    return ScanResult("checked_in", first.registration_id, person_card(first.registration.person),
                      first.checked_in_at)


class RefusalReplayed(CheckInError):
    """A refusal answered again for a re-sent nonce: already stored once."""


def record_check_in(session: Session, door: Row, *, scan: Scan, staff_id: int | None) -> ScanResult | None:
    """The rules for a known registration of this event, whose lock the caller holds. None when
    the insert found the ticket or the nonce taken since the door's row was read."""
    if door.registration_status == RegistrationStatus.CANCELLED:
        raise CheckInError("cancelled")
    if door.created_at is not None:
        return ScanResult("already_checked_in", door.registration_id, door_card(door),
                          door.scanned_at or door.created_at)
    if door.registration_status == RegistrationStatus.WAITLISTED:
        if not scan.admit:
            raise CheckInError("waitlisted")
        session.execute(update(Registration).where(Registration.id == door.registration_id)
                        .values(status=RegistrationStatus.REGISTERED))  # past capacity: staff's decision
    # The unique registration_id and nonce are the last guard: a duplicate inserts nothing.
    created_at = session.connection().execute(insert_checkin(session.get_bind().dialect.name), {
        "registration_id": door.registration_id, "method": scan.method, "staff_user_id": staff_id,
        "nonce": scan.nonce, "scanned_at": scan.scanned_at, "device": scan.device, "created_at": now(),
    }).scalar()
    if created_at is None:
        return None
    return ScanResult("checked_in", door.registration_id, door_card(door), scan.scanned_at or created_at)


def store_refusal(session: Session, *, event_id: int, scan: Scan, staff_id: int | None, code: str) -> None:
    """Keep a refused scan with its reason, as received (cut to fit, control characters
    dropped), for the organizers."""
    if code == "nonce_reused":
        return
    session.add(RefusedScan(
        event_id=event_id, reason=REFUSALS.get(code, RefusalReason.INVALID),
        ticket=printable(scan.ticket if scan.ticket is not None else f"#{scan.registration_id}")[:100],
        nonce=printable(scan.nonce or "")[:64], staff_user_id=staff_id,
        device=printable(scan.device)[:100],
        scanned_at=scan.scanned_at if code != "invalid_scanned_at" else None,
    ))
    session.commit()


def printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


# --- walk-ins -------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkIn:
    registration: Registration
    created: bool  # False: the person had registered already; that registration is checked in
    checked_in_at: datetime
    already_checked_in: bool = False  # that registration was checked in before: nothing new was written


def admit_walk_in(session: Session, *, event_id: int, person: PersonFields, staff: User | None,
                  device: str = "", at: datetime | None = None) -> WalkIn:
    """Register a person who came without registering and check them in at once; commits.

    Identity matching finds people we know; someone who had registered (and forgot the QR)
    is checked in on that registration. Walk-ins take no seat check: they are in the room.
    Raises CheckInError (unknown_event, outside_checkin_window; stored as a refusal) and
    RegistrationError (person fields, event_cancelled, mode_unavailable)."""
    check_person_fields(person, public=False)
    session.commit()
    enter_door(session, event_id=event_id, staff=staff, action="walk-in", device=device, at=at)
    lock_identity(session, event_id, person)  # in register's order: the person's keys, then the event
    event = lock_event(session, event_id)
    try:
        check_registrable(event, mode=RegistrationMode.IN_PERSON, public=False)
        found, _match = resolve_person(session, person)
        registration = live_registration(session, event_id=event.id, person_id=found.id)
        created = registration is None
        if created:
            registration = Registration(
                event_id=event.id, person_id=found.id, mode=RegistrationMode.IN_PERSON,
                status=RegistrationStatus.REGISTERED, source=RegistrationSource.WALK_IN,
                ticket_token=new_token(), manage_token=new_token(), **typed_columns(person),
            )
            session.add(registration)
            session.flush()
        registration.status = RegistrationStatus.REGISTERED  # a waitlisted person who came is admitted
        checkin = session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id))
        already_checked_in = checkin is not None
        if checkin is None:
            checkin = CheckIn(
                registration_id=registration.id, staff_user_id=staff.id if staff else None, device=device,
                method=CheckInMethod.WALK_IN,  # a walk-in, or a registered person the walk-in form found
            )
            session.add(checkin)
        session.commit()
    except RegistrationError:
        session.rollback()
        raise
    return WalkIn(registration, created, checkin.checked_in_at, already_checked_in)


# --- undo ------------------------------------------------------------------------------


def undo_check_in(session: Session, *, event_id: int, registration_id: int, staff: User | None,
                  at: datetime | None = None) -> None:
    """Take back a check-in made by mistake; logged; commits. Reception may do so within
    UNDO_WINDOW (five minutes) of the check-in, the mistake at the desk; organizers and admins
    at any time, as they correct the list afterwards (from the registration list).
    Raises CheckInError: unknown_event, outside_checkin_window, not_checked_in, undo_expired."""
    role = staff.role if staff is not None else Role.RECEPTION  # read before enter_door's commit
    enter_door(session, event_id=event_id, staff=staff, action=f"undo #{registration_id}", at=at)
    checkin = session.scalar(
        select(CheckIn).join(Registration)
        .where(CheckIn.registration_id == registration_id, Registration.event_id == event_id)
        .with_for_update()
    )
    if checkin is None:
        raise CheckInError("not_checked_in")
    if not role.includes(Role.ORGANIZER) and undo_expired(checkin, at or now()):
        session.rollback()
        raise CheckInError("undo_expired")
    record(session, "undo_checkin", user=staff, target=f"registration:{registration_id}",
           method=checkin.method.value, nonce=checkin.nonce or "", checked_in_at=checkin.checked_in_at.isoformat())
    session.delete(checkin)
    session.commit()


def undo_expired(checkin: CheckIn, at: datetime) -> bool:
    """The five-minute rule of undo_check_in, also asked by the screens that offer an undo."""
    return at - checkin.created_at > UNDO_WINDOW


# --- what the door sees ---------------------------------------------------------------


def live_counts(session: Session, event_id: int) -> dict[str, int]:
    """The numbers at the door, in one query; every screen and the counts API say them alike
    (templates/checkin/_counts.html): 「事前申込 受付済み registered_checked_in / registered」,
    「当日参加 walk_in」, 「合計 checked_in」, then on-demand registrants and the waitlist.

    registered: live in-person pre-registrations (walk-ins are not pre-registrations);
    registered_checked_in: those of them checked in (the attendance rate's numerator, and
    registered - registered_checked_in is the length of the 未受付 list); walk_in: walk-ins
    checked in; checked_in: everyone checked in at the venue (the reports' 参加 in person), which
    is registered_checked_in + walk_in unless an on-demand registrant came to the room."""
    came = checked_in_at_venue()  # the reports' rule: a check-in on a registration not cancelled since
    registered = Registration.status == RegistrationStatus.REGISTERED
    in_person = Registration.mode == RegistrationMode.IN_PERSON
    walk_in = Registration.source == RegistrationSource.WALK_IN

    def count_where(*conditions):
        return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)

    row = session.execute(
        select(
            count_where(came),
            count_where(registered, in_person, ~walk_in),
            count_where(came, registered, in_person, ~walk_in),
            count_where(came, walk_in),
            count_where(registered, Registration.mode == RegistrationMode.ON_DEMAND),
            count_where(Registration.status == RegistrationStatus.WAITLISTED),
        )
        .select_from(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
    ).one()
    keys = ("checked_in", "registered", "registered_checked_in", "walk_in", "on_demand", "waitlisted")
    return {"event_id": event_id, **{key: int(value) for key, value in zip(keys, row, strict=True)}}


def ticket_list(session: Session, event_id: int) -> list[dict]:
    """Every registration of the event as the offline scanner needs it: hashed ticket,
    受付番号, name, status and the check-in time."""
    rows = session.execute(
        select(Registration, CheckIn)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .order_by(Registration.id)
    ).all()
    return [
        {
            "number": registration.id,
            "ticket_hash": ticket_hash(registration.ticket_token),
            **person_card(registration.person),
            "status": registration.status.value,
            "mode": registration.mode.value,
            "checked_in_at": checkin.checked_in_at if checkin else None,
        }
        for registration, checkin in rows
    ]


def person_card(person: Person) -> dict[str, str]:
    """What the door shows of a person: name, kana, organization."""
    return {
        "name": person.display_name,
        "kana": person.display_kana,
        "organization": person.organization.name if person.organization else "",
    }


def find_at_door(session: Session, *, event_id: int, query: str, limit: int = 30) -> list[tuple[Registration, CheckIn | None]]:
    """Live registrations of the event whose person matches the query (part of the name or
    furigana, width- and kana-insensitive, or the e-mail), or whose 受付番号 it is."""
    condition = person_matches_query(query)
    number = parse_registration_number(query)
    if number is not None:
        by_number = Registration.id == number
        condition = by_number if condition is None else (condition | by_number)
    if condition is None:
        return []
    return list(session.execute(
        select(Registration, CheckIn)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED, condition)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .order_by(Person.kana_key, Registration.id)
        .limit(limit)
    ).all())
