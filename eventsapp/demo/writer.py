"""Writing the demo plan of participants.py into the database: bulk inserts of exactly the rows
the services would write (normalised *_key columns, random tokens, one check-in per
registration), skipping events that already hold demo registrations, so loading twice adds
nothing."""
import secrets
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..catalog.models import Audience
from ..checkin.models import CheckIn, CheckInMethod
from ..people.identity import display_kana, normalize_email, normalize_kana, normalize_org_name
from ..people.models import Organization, Person
from ..registration.models import (
    Channel,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
)
from ..surveys.models import Answer, Option, Question, Response, ResponseSource, Survey, SurveyInvitation
from .participants import EventPlan, OrganizationRow, PersonRow, Plan

DEMO_EMAILS = "demo.%@example.jp"
WRITTEN = ("organizations", "persons", "registrations", "checkins", "responses")


def write_plan(session: Session, plan: Plan, event_ids: dict[str, int]) -> dict[str, int]:
    """Insert the plan's events that hold no demo registration yet, with the organizations
    and persons they need; commits once. Returns how many rows of each kind were created."""
    loaded = set(session.scalars(
        select(Registration.event_id).join(Person, Person.id == Registration.person_id)
        .where(Person.email_key.like(DEMO_EMAILS)).distinct()
    ))
    todo = [event for event in plan.events if event_ids[event.key] not in loaded]
    created = dict.fromkeys(WRITTEN, 0)
    if not todo:
        return created
    needed = {row.person for event in todo for row in event.registrations}
    persons = [person for person in plan.persons if person.n in needed]
    first_seen = {}
    for event in todo:
        for row in event.registrations:
            first_seen[row.person] = min(first_seen.get(row.person, row.created_at), row.created_at)
    organization_ids, created["organizations"] = ensure_organizations(session, plan.organizations)
    person_ids, created["persons"] = ensure_persons(session, persons, organization_ids, first_seen)
    surveys = survey_shapes(session, [event_ids[event.key] for event in todo])
    for event in todo:
        counts = write_event(session, event, event_id=event_ids[event.key], person_ids=person_ids,
                             survey=surveys.get(event_ids[event.key]))
        for kind, count in counts.items():
            created[kind] += count
    session.commit()
    return created


def ensure_organizations(session: Session, rows: list[OrganizationRow]) -> tuple[dict[str, int], int]:
    """Ids by name; an organization already there (by normalised name) is kept as it is."""
    keys = {normalize_org_name(row.name): row for row in rows}
    query = select(Organization.name_key, Organization.id).where(Organization.name_key.in_(keys))
    found = dict(session.execute(query).all())
    missing = [{"name": row.name, "name_key": key, "type": row.type, "opened_on": row.opened_on}
               for key, row in keys.items() if key not in found]
    if missing:
        session.execute(insert(Organization), missing)
        found = dict(session.execute(query).all())
    return {row.name: found[key] for key, row in keys.items()}, len(missing)


def ensure_persons(session: Session, rows: list[PersonRow], organization_ids: dict[str, int],
                   first_seen: dict[int, datetime]) -> tuple[dict[int, int], int]:
    """Person ids by plan number, found by e-mail; missing ones created as resolve_person would."""
    def existing() -> dict[str, int]:
        query = select(Person.email_key, Person.id).where(
            Person.email_key.like(DEMO_EMAILS), Person.merged_into_id.is_(None))
        return dict(session.execute(query).all())

    found = existing()
    missing = [
        {"family_name": p.family_name, "given_name": p.given_name, "family_kana": display_kana(p.family_kana),
         "given_kana": display_kana(p.given_kana), "kana_key": normalize_kana(p.family_kana + p.given_kana),
         "email": p.email, "email_key": normalize_email(p.email), "phone": "", "phone_key": "",
         "profession": p.profession, "organization_id": organization_ids.get(p.organization),
         "age_band": p.age_band, "residential_area": p.residential_area, "created_at": first_seen[p.n]}
        for p in rows if normalize_email(p.email) not in found
    ]
    if missing:
        session.execute(insert(Person), missing)
        found = existing()
    return {p.n: found[normalize_email(p.email)] for p in rows}, len(missing)


def survey_shapes(session: Session, event_ids: list[int]) -> dict[int, dict]:
    """Per event: its survey id, question ids by key and option ids by (key, code)."""
    rows = session.execute(
        select(Survey.event_id, Survey.id, Question.key, Question.id, Option.code, Option.id)
        .join(Question, Question.survey_id == Survey.id)
        .outerjoin(Option, Option.question_id == Question.id)
        .where(Survey.event_id.in_(event_ids))
    ).all()
    shapes: dict[int, dict] = {}
    for event_id, survey_id, key, question_id, code, option_id in rows:
        shape = shapes.setdefault(event_id, {"id": survey_id, "questions": {}, "options": {}})
        shape["questions"][key] = question_id
        if code is not None:
            shape["options"][(key, code)] = option_id
    return shapes


def write_event(session: Session, event: EventPlan, *, event_id: int, person_ids: dict[int, int],
                survey: dict | None) -> dict[str, int]:
    rows = event.registrations
    ids = session.scalars(
        insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
        [{"event_id": event_id, "person_id": person_ids[row.person], "mode": RegistrationMode(row.mode),
          "status": RegistrationStatus(row.status), "source": RegistrationSource(row.source),
          "channel": Channel(row.channel) if row.channel else None, "ticket_token": secrets.token_urlsafe(24),
          "manage_token": secrets.token_urlsafe(24), "created_at": row.created_at, "cancelled_at": row.cancelled_at}
         for row in rows],
    ).all()
    checkins = [{"registration_id": reg_id, "method": CheckInMethod(row.checkin), "scanned_at": row.scanned_at,
                 "created_at": row.checked_in_at} for reg_id, row in zip(ids, rows, strict=True) if row.checkin]
    if checkins:
        session.execute(insert(CheckIn), checkins)
    responses = write_responses(session, event, survey=survey, registration_ids={
        row.person: reg_id for reg_id, row in zip(ids, rows, strict=True) if row.status == "registered"})
    return {"registrations": len(ids), "checkins": len(checkins), "responses": responses}


def linked(row) -> bool:
    """Whether an answer is tied to its registration: every mailed link's, and four in five
    venue sheets (the respondent typed the 受付番号), chosen by person number, not drawn, so
    that the rest of the demo's random draws stay as they were."""
    return row.source == "link" or row.person % 5 != 0


def write_responses(session: Session, event: EventPlan, *, survey: dict | None,
                    registration_ids: dict[int, int]) -> int:
    """The answers, with the invitation mail every attendee got the day after (the link ones
    answered through it). An answer to a question the organizer removed is left out."""
    if survey is None or not event.responses:
        return 0
    invited = {row.person for row in event.registrations
               if row.status == "registered" and (row.checkin or row.mode == "on_demand")}
    sent = event.invited_at
    session.execute(insert(SurveyInvitation), [
        {"registration_id": registration_ids[person], "token": secrets.token_urlsafe(24), "created_at": sent,
         "sent_at": sent} for person in sorted(invited)])
    response_ids = session.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [{"survey_id": survey["id"], "source": ResponseSource(row.source), "created_at": row.created_at,
          "registration_id": registration_ids[row.person] if linked(row) else None,
          "audience": Audience(row.audience) if row.audience else None}
         for row in event.responses],
    ).all()
    answers = [
        {"response_id": response_id, "question_id": survey["questions"][key],
         "option_id": survey["options"][(key, code)] if code else None, "text": text}
        for response_id, row in zip(response_ids, event.responses, strict=True)
        for key, code, text in row.answers
        if key in survey["questions"] and (code is None or (key, code) in survey["options"])
    ]
    if answers:
        session.execute(insert(Answer), answers)
    return len(response_ids)
