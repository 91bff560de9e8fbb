"""An event's registrations with their check-ins, filtered as the organizer asks: one query,
whatever the number of people."""
import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..auth.models import User
from ..auth.service import record
from ..checkin.models import CheckIn, CheckInMethod
from ..domain import UNKNOWN_EVENT, DomainError
from ..people.models import Person
from ..registration.models import Channel, Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from ..registration.roster import profession_text


class RosterError(DomainError):
    MESSAGES = {"unknown_event": UNKNOWN_EVENT}


class Attendance(enum.StrEnum):
    """The list's 受付 filter: checked in (walk-ins included), not checked in, walk-ins."""

    CHECKED_IN = "checked_in"
    NOT_CHECKED_IN = "not_checked_in"
    WALK_IN = "walk_in"


@dataclass(frozen=True, kw_only=True)
class RosterFilter:
    """Each filter narrows the list; None leaves it out. They combine."""

    status: RegistrationStatus | None = None
    mode: RegistrationMode | None = None
    profession: str | None = None
    channel: Channel | None = None
    attendance: Attendance | None = None


@dataclass(frozen=True)
class RosterEntry:
    registration: Registration
    checkin: CheckIn | None

    @property
    def person(self) -> Person:
        return self.registration.person

    @property
    def walk_in(self) -> bool:
        """当日参加: registered at the door, not in advance."""
        return self.registration.source == RegistrationSource.WALK_IN

    @property
    def checked_in_at(self) -> datetime | None:
        return self.checkin.checked_in_at if self.checkin else None

    @property
    def check_in_method(self) -> CheckInMethod | None:
        return self.checkin.method if self.checkin else None

    @property
    def profession(self) -> str:
        """The 職種 as the person gave it: the text typed for その他, when there is one."""
        return profession_text(self.person)

    @property
    def organization(self) -> str:
        return self.person.organization.name if self.person.organization else ""


def list_registrations(session: Session, *, event_id: int, only: RosterFilter = RosterFilter()) -> list[RosterEntry]:
    """The event's registrations in order of registration, each with its check-in (or None).
    受付済み means a check-in exists, whatever the registration's status since; 未受付 means
    none does (combine with status to leave out cancellations)."""
    query = (
        select(Registration, CheckIn)
        .join(Registration.person)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .where(Registration.event_id == event_id)
        .order_by(Registration.created_at, Registration.id)
    )
    if only.status is not None:
        query = query.where(Registration.status == only.status)
    if only.mode is not None:
        query = query.where(Registration.mode == only.mode)
    if only.profession:
        query = query.where(Person.profession == only.profession)
    if only.channel is not None:
        query = query.where(Registration.channel == only.channel)
    if only.attendance == Attendance.CHECKED_IN:
        query = query.where(CheckIn.id.is_not(None))
    elif only.attendance == Attendance.NOT_CHECKED_IN:
        query = query.where(CheckIn.id.is_(None))
    elif only.attendance == Attendance.WALK_IN:
        query = query.where(Registration.source == RegistrationSource.WALK_IN)
    return [RosterEntry(registration, checkin) for registration, checkin in session.execute(query)]


def log_export(session: Session, *, event_id: int, user: User, format: str, rows: int) -> None:
    """An attendance list left the system (file or API): personal data, so it is logged; commits.
    Called once the rows are built, since the commit expires what was loaded."""
    record(session, "export_attendance", user=user, target=f"event:{event_id}", format=format, rows=rows)
    session.commit()
