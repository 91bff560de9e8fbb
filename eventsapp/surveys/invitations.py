"""The personal survey link: one unguessable token per registration, mailed once after the
event to each attendee (checked in, or registered for on-demand viewing).

`flask --app eventsapp surveys send` runs this from cron; running it again mails nobody
twice: the invitation row (unique per registration) records sent_at, and the outbox's
dedupe key survey:<registration id> refuses a second mail even to a concurrent run.
"""
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus
from ..checkin.attendance import attended_condition
from ..checkin.models import CheckIn
from ..dates import format_date, now
from ..links import public_url
from ..registration.models import Registration
from ..registration.tickets import new_token
from .mails import queue_survey_mail
from .models import Survey, SurveyInvitation
from .service import closes_at, is_open


@dataclass
class SendSummary:
    events: int = 0
    mailed: int = 0
    without_email: int = 0


def attendees_not_invited(event_id: int):
    """Registrations of the event that attended — checked in (not cancelled), or on-demand
    and registered — and have not been mailed their link yet."""
    sent = exists().where(SurveyInvitation.registration_id == Registration.id, SurveyInvitation.sent_at.is_not(None))
    return (
        select(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id, attended_condition(Registration, CheckIn), ~sent)
        .order_by(Registration.id)
    )


def invitation_for(session: Session, registration: Registration) -> SurveyInvitation:
    invitation = session.scalar(select(SurveyInvitation).where(SurveyInvitation.registration_id == registration.id))
    if invitation is None:
        invitation = SurveyInvitation(registration_id=registration.id, token=new_token())
        session.add(invitation)
        session.flush()
    return invitation


def send_invitations(session: Session, *, event_id: int | None = None) -> SendSummary:
    """Queue the survey mail for every attendee of ended, published events whose survey is
    still open (or of one event); commits per event. People without e-mail get nothing."""
    query = select(Event, Survey).join(Survey, Survey.event_id == Event.id).where(
        Event.status == EventStatus.PUBLISHED, Event.ends_at < now()
    )
    if event_id is not None:
        query = query.where(Event.id == event_id)
    summary = SendSummary()
    for event, survey in session.execute(query.order_by(Event.starts_at, Event.id)).all():
        if not is_open(survey, event):
            continue
        summary.events += 1
        deadline = format_date(closes_at(survey, event))
        for registration in session.scalars(attendees_not_invited(event.id)).all():
            if not registration.person.email.strip():
                summary.without_email += 1
                continue
            invitation = invitation_for(session, registration)
            url = public_url("surveys.personal", token=invitation.token)
            queue_survey_mail(session, registration, survey_url=url, closes_at=deadline,
                              dedupe_key=f"survey:{registration.id}")
            invitation.sent_at = now()
            summary.mailed += 1
        try:
            session.commit()
        except IntegrityError:  # another run invited the same people at the same moment
            session.rollback()
    return summary


def invitation_by_token(session: Session, token: str) -> SurveyInvitation | None:
    """The invitation of a token; a tampered or unknown token finds nothing."""
    if not 20 <= len(token) <= 64:
        return None
    return session.scalar(select(SurveyInvitation).where(SurveyInvitation.token == token))
