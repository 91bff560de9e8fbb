"""Personal data over time (個人情報保護法): erasure of people past the retention period of
their series or with no activity since a date, a person's erasure on request, and the
export of everything kept about a person.

Erasing blanks names, furigana, contacts, the names typed on their registrations and the
free text of their answers, and deletes the mails written to them; the person row, their registrations, check-ins and chosen
options stay. Every indicator counts person ids, registrations, check-ins and options, so
every number of past reports stays exactly the same.
"""
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import ClassVar

from sqlalchemy import ColumnElement, and_, case, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..catalog.models import MAX_RETENTION_YEARS, Event, Series
from ..checkin.models import CheckIn
from ..dates import now, to_tokyo, tokyo_datetime
from ..dbtypes import UTCDateTime
from ..mail.models import OutboxMail
from ..people.models import Person
from ..registration.models import Registration
from ..surveys.models import Answer, Question, Response

ERASED_NAME = "（削除済み）"
TYPED_NAME = ("family_name", "given_name", "family_kana", "given_kana")  # as typed on a registration


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def kept_from(today: date, years: int) -> datetime:
    """Tokyo midnight `years` before `today`: an event starting from then still keeps its
    people's data under a period of that many years."""
    return tokyo_datetime(years_before(today, years), time(0, 0))


def _inactive(session: Session, *, since: ColumnElement | datetime, created_before: datetime) -> list[Person]:
    """Persons not yet erased with no registration for an event starting at or after
    `since` (a moment, or an expression on the event's Series); a person with no
    registration at all counts from their record, created before `created_before`."""
    registrations = select(Registration.id).where(Registration.person_id == Person.id)
    still_kept = (
        registrations.join(Event, Event.id == Registration.event_id)
        .join(Series, Series.id == Event.series_id)
        .where(Event.starts_at >= since)
    )
    return list(session.scalars(
        select(Person)
        .where(
            Person.erased_at.is_(None),
            ~still_kept.exists(),
            or_(registrations.exists(), Person.created_at < created_before),
        )
        .order_by(Person.id)
    ))


def purge_candidates(session: Session, *, before: datetime) -> list[Person]:
    """Persons not yet erased whose last event (or, with none, their record) is older than `before`."""
    return _inactive(session, since=before, created_before=before)


def retention_cutoffs(session: Session, *, today: date, default_years: int) -> dict[int, datetime]:
    """For each retention period in use (the default's included), its kept_from moment."""
    periods = {default_years, *session.scalars(select(Series.retention_years).distinct()
                                               .where(Series.retention_years.is_not(None)))}
    return {years: kept_from(today, years) for years in periods}


def expired_candidates(session: Session, *, today: date, default_years: int) -> list[Person]:
    """Persons not yet erased whose data is past its retention on `today`.

    A person's data is kept while ANY of their registrations is within the period of its
    event's primary series: kept until the latest event start + that series' retention_years
    (NULL: `default_years`). With no registration: record creation + `default_years`.
    In SQL, one cutoff per period in use (a CASE), so the cost does not grow with persons."""
    cutoffs = retention_cutoffs(session, today=today, default_years=default_years)
    per_series = case(
        {years: literal(moment, UTCDateTime()) for years, moment in cutoffs.items()},
        value=func.coalesce(Series.retention_years, default_years),
        # a period set since the cutoffs were read: keep, as the longest period would
        else_=literal(kept_from(today, MAX_RETENTION_YEARS), UTCDateTime()),
    )
    return _inactive(session, since=per_series, created_before=cutoffs[default_years])


def retention_exceptions(session: Session, *, default_years: int) -> list[tuple[str, int]]:
    """(name, years) of the series whose retention period differs from the default."""
    return [tuple(row) for row in session.execute(
        select(Series.name, Series.retention_years)
        .where(Series.retention_years.is_not(None), Series.retention_years != default_years)
        .order_by(Series.name)
    )]


@dataclass(frozen=True)
class PastRetention:
    """The standing rule (the cron job): everyone past their series' retention on `today`."""

    kind: ClassVar[str] = "expired"
    today: date
    default_years: int

    def candidates(self, session: Session) -> list[Person]:
        return expired_candidates(session, today=self.today, default_years=self.default_years)

    @property
    def reason(self) -> str:
        return f"past the retention period of their series on {self.today:%Y-%m-%d} (default {self.default_years} years)"


@dataclass(frozen=True)
class InactiveSince:
    """An explicit date: everyone with no event on or after `before`."""

    kind: ClassVar[str] = "before"
    before: datetime

    def candidates(self, session: Session) -> list[Person]:
        return purge_candidates(session, before=self.before)

    @property
    def reason(self) -> str:
        return f"no activity since {to_tokyo(self.before):%Y-%m-%d}"


PurgeRule = PastRetention | InactiveSince


def past_retention_today(default_years: int) -> PastRetention:
    """The standing rule as of today's date in Tokyo."""
    return PastRetention(today=to_tokyo(now()).date(), default_years=default_years)


def erase_persons(session: Session, person_ids: list[int], *, user: User | None, reason: str) -> int:
    """Erase the personal data of these persons (see the module's docstring); logged; commits."""
    if not person_ids:
        return 0
    registrations = select(Registration.id).where(Registration.person_id.in_(person_ids))
    responses = select(Response.id).where(Response.registration_id.in_(registrations))
    session.execute(
        update(Answer).where(Answer.response_id.in_(responses), Answer.text.is_not(None)).values(text="")
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(OutboxMail).where(OutboxMail.registration_id.in_(registrations))
                    .execution_options(synchronize_session=False))
    session.execute(
        update(Registration).where(Registration.person_id.in_(person_ids)).values(
            typed_family_name=None, typed_given_name=None, typed_family_kana=None, typed_given_kana=None,
        ).execution_options(synchronize_session=False)
    )
    session.execute(
        update(Person).where(Person.id.in_(person_ids)).values(
            family_name=ERASED_NAME, given_name="", family_kana="", given_kana="", kana_key="", email="",
            email_key="", phone="", phone_key="", profession_other="", erased_at=now(),
        ).execution_options(synchronize_session=False)
    )
    record(session, "privacy_erase", user=user, target=f"persons:{len(person_ids)}", reason=reason,
           person_ids=person_ids[:1000])
    session.commit()
    return len(person_ids)


def purge(session: Session, rule: PurgeRule, *, user: User | None) -> int:
    """Erase everyone the rule designates, logged with the rule as the reason; returns how many."""
    ids = [person.id for person in rule.candidates(session)]
    return erase_persons(session, ids, user=user, reason=rule.reason)


def export_person(session: Session, person: Person, *, user: User | None) -> dict:
    """Everything kept about a person, for a request to see their own data (開示請求).
    Every export of personal data is logged, from the screen (user) or the CLI (None); commits."""
    record(session, "export_person", user=user, target=f"person:{person.id}")
    session.commit()
    rows = session.execute(
        select(Registration, Event.title, Event.starts_at, CheckIn.created_at, CheckIn.scanned_at)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.person_id == person.id)
        .order_by(Event.starts_at)
    ).all()
    texts = session.execute(
        select(Response.registration_id, Question.text, Answer.text)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(Registration, Registration.id == Response.registration_id)
        .where(Registration.person_id == person.id, and_(Answer.text.is_not(None), Answer.text != ""))
    ).all()
    return {
        "person": {
            "id": person.id, "family_name": person.family_name, "given_name": person.given_name,
            "family_kana": person.family_kana, "given_kana": person.given_kana, "email": person.email,
            "phone": person.phone, "profession": person.profession, "profession_other": person.profession_other,
            "organization": person.organization.name if person.organization else "",
            "created_at": to_tokyo(person.created_at).isoformat(),
        },
        "registrations": [
            {"id": reg.id, "event": title, "starts_at": to_tokyo(starts_at).isoformat(), "mode": reg.mode.value,
             "status": reg.status.value, "channel": reg.channel.value if reg.channel else None,
             "checked_in_at": to_tokyo(scanned or checked).isoformat() if checked else None,
             "typed_name": {key: getattr(reg.typed, key) for key in TYPED_NAME} if reg.typed else None,
             "comments": [{"question": q, "text": t} for rid, q, t in texts if rid == reg.id]}
            for reg, title, starts_at, checked, scanned in rows
        ],
    }
