"""Personal data over time (個人情報保護法): erasure of people with no activity since a date,
a person's erasure on request, and the export of everything kept about a person.

Erasing blanks names, furigana, contacts and the free text of their answers, and deletes
the mails written to them; the person row, their registrations, check-ins and chosen
options stay. Every indicator counts person ids, registrations, check-ins and options, so
every number of past reports stays exactly the same.
"""
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..catalog.models import Event
from ..checkin.models import CheckIn
from ..dates import now, to_tokyo
from ..mail.models import OutboxMail
from ..registration.models import Registration
from ..surveys.models import Answer, Question, Response
from .models import Person

ERASED_NAME = "（削除済み）"


def last_activity():
    """Per person, the start of the latest event they registered for."""
    return (
        select(Registration.person_id, func.max(Event.starts_at).label("last_event"))
        .join(Event, Event.id == Registration.event_id)
        .group_by(Registration.person_id)
        .subquery()
    )


def purge_candidates(session: Session, *, before: datetime) -> list[Person]:
    """Persons not yet erased whose last event (or, with none, their record) is older than `before`."""
    activity = last_activity()
    return list(session.scalars(
        select(Person)
        .outerjoin(activity, activity.c.person_id == Person.id)
        .where(
            Person.erased_at.is_(None),
            or_(activity.c.last_event < before, and_(activity.c.last_event.is_(None), Person.created_at < before)),
        )
        .order_by(Person.id)
    ))


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
        update(Person).where(Person.id.in_(person_ids)).values(
            family_name=ERASED_NAME, given_name="", family_kana="", given_kana="", kana_key="", email="",
            email_key="", phone="", phone_key="", profession_other="", erased_at=now(),
        ).execution_options(synchronize_session=False)
    )
    record(session, "privacy_erase", user=user, target=f"persons:{len(person_ids)}", reason=reason,
           person_ids=person_ids[:1000])
    session.commit()
    return len(person_ids)


def purge(session: Session, *, before: datetime, user: User | None) -> int:
    """Erase everyone with no activity since `before`; returns how many."""
    ids = [person.id for person in purge_candidates(session, before=before)]
    return erase_persons(session, ids, user=user, reason=f"no activity since {to_tokyo(before):%Y-%m-%d}")


def export_person(session: Session, person: Person) -> dict:
    """Everything kept about a person, for a request to see their own data (開示請求)."""
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
             "comments": [{"question": q, "text": t} for rid, q, t in texts if rid == reg.id]}
            for reg, title, starts_at, checked, scanned in rows
        ],
    }
