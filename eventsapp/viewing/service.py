"""The viewing page's rules: when a recording may be watched, who sees it, and each visit.

A recording (Event.on_demand_url) is watched on each on-demand registrant's own page
(/v/<token>), which links to it while the viewing period is open, records the visit and
offers the person's survey link, as the plan takes the survey 「オンデマンドページ内」.
Outside the period the page says 視聴期間外です and counts nothing.
"""
import enum
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus
from ..dates import now
from ..domain import DomainError
from ..links import public_url
from ..pageviews.visitors import is_person
from ..registration.models import Registration, RegistrationMode, RegistrationStatus
from ..registration.tickets import new_token
from ..surveys.invitations import invitation_for
from ..surveys.models import Survey, SurveyInvitation
from ..surveys.service import already_answered, closes_at, is_open
from .models import Viewing


class ViewingError(DomainError):
    """A refused viewing page: an unknown or tampered token, or no on-demand registration."""

    MESSAGES = {
        "unknown_token": (_l("視聴ページが見つかりません。URLをもう一度ご確認ください。"), 404),
        "not_on_demand": (_l("このお申込みには視聴ページがありません。"), 404),
    }


class Period(enum.StrEnum):
    """Where a moment falls against an event's viewing period."""

    NOT_SET = "not_set"  # no recording, or no opening moment yet
    BEFORE = "before"
    OPEN = "open"
    AFTER = "after"


def period_of(event: Event, moment: datetime) -> Period:
    """The one rule of the viewing period: open from viewing_opens_at (included) until
    viewing_closes_at (excluded; none: no end), for an event with a recording."""
    if not event.on_demand_url or event.viewing_opens_at is None:
        return Period.NOT_SET
    if moment < event.viewing_opens_at:
        return Period.BEFORE
    if event.viewing_closes_at is not None and moment >= event.viewing_closes_at:
        return Period.AFTER
    return Period.OPEN


def has_viewing(registration: Registration) -> bool:
    """A live on-demand registration: the only kind with a viewing page."""
    return registration.mode == RegistrationMode.ON_DEMAND and registration.status == RegistrationStatus.REGISTERED


def viewing_for(session: Session, registration: Registration) -> Viewing:
    """The registration's viewing row, made on first use together with its survey
    invitation, so that the page and the after-event mail give the same survey link.
    Flushes, does not commit; a concurrent maker makes the caller's commit fail
    (IntegrityError on the unique registration), and a retry finds the winner's row."""
    viewing = session.scalar(select(Viewing).where(Viewing.registration_id == registration.id))
    if viewing is None:
        viewing = Viewing(registration_id=registration.id, token=new_token())
        session.add(viewing)
        session.flush()
    invitation_for(session, registration)
    return viewing


def viewing_url(viewing: Viewing) -> str:
    """The absolute link of the page, from PUBLIC_BASE_URL (mails are written by cron)."""
    return public_url("viewing.page", token=viewing.token)


def token_from_ticket(session: Session, *, manage_token: str) -> str:
    """The viewing token of the registration whose own page (manage token) asks for it,
    made when missing; commits. The way in for people without e-mail, who get no mail.
    Raises ViewingError: unknown_token, not_on_demand."""
    registration = None
    if 20 <= len(manage_token) <= 64:
        registration = session.scalar(select(Registration).where(Registration.manage_token == manage_token))
    if registration is None or registration.event.status == EventStatus.DRAFT:
        raise ViewingError("unknown_token")
    if not has_viewing(registration):
        raise ViewingError("not_on_demand")
    try:
        token = viewing_for(session, registration).token
        session.commit()
    except IntegrityError:  # made at the same moment by `mail viewing` or another click
        session.rollback()
        token = session.scalar(select(Viewing.token).where(Viewing.registration_id == registration.id))
    return token


@dataclass(frozen=True)
class ViewingPage:
    """What the page shows. state is a Period, or "cancelled" / "event_cancelled"."""

    viewing: Viewing
    registration: Registration
    event: Event
    state: str
    counted: bool = False
    survey_url: str = ""
    survey_closes_at: datetime | None = None
    survey_answered: bool = False

    @property
    def recording_url(self) -> str:
        return self.event.on_demand_url if self.state == Period.OPEN else ""


def viewing_by_token(session: Session, token: str) -> Viewing | None:
    if not 20 <= len(token) <= 64:
        return None
    return session.scalar(select(Viewing).where(Viewing.token == token))


def open_viewing(session: Session, *, token: str, user_agent: str, purpose: str = "",
                 moment: datetime | None = None) -> ViewingPage:
    """The page of a token at `moment` (default now). Within the period, a person's visit
    (not a bot's, nor a browser's prefetch) is recorded: views + 1, first and last visit.
    Raises ViewingError("unknown_token") for an unknown token or a draft event."""
    moment = moment or now()
    viewing = viewing_by_token(session, token)
    if viewing is None or viewing.registration.event.status == EventStatus.DRAFT:
        raise ViewingError("unknown_token")
    registration = viewing.registration
    event = registration.event
    if registration.status != RegistrationStatus.REGISTERED:
        state = "cancelled"
    elif event.status == EventStatus.CANCELLED:
        state = "event_cancelled"
    else:
        state = period_of(event, moment)
    counted = state == Period.OPEN and is_person(user_agent, purpose=purpose)
    if counted:
        record_view(session, viewing.id, moment)
    survey = survey_link(session, registration) if state == Period.OPEN else {}
    return ViewingPage(viewing=viewing, registration=registration, event=event, state=state, counted=counted,
                       **survey)


def record_view(session: Session, viewing_id: int, moment: datetime) -> None:
    """One visit, as one UPDATE (views = views + 1: concurrent visits all count) committed
    on a connection of its own: the page's session has only read, and on SQLite a write
    after those reads could fail once another writer committed (mail/outbox.py)."""
    statement = (
        update(Viewing)
        .where(Viewing.id == viewing_id)
        .values(views=Viewing.views + 1, last_viewed_at=moment,
                first_viewed_at=func.coalesce(Viewing.first_viewed_at, moment))
    )
    with session.get_bind().begin() as connection:
        connection.execute(statement)


def survey_link(session: Session, registration: Registration) -> dict:
    """The person's own survey link while the survey takes answers: survey_url (empty when
    there is no survey, it has closed, or the invitation was never made), its closing
    moment, and whether the person has answered already."""
    survey = session.scalar(select(Survey).where(Survey.event_id == registration.event_id))
    token = session.scalar(select(SurveyInvitation.token).where(SurveyInvitation.registration_id == registration.id))
    if survey is None or token is None or not is_open(survey, registration.event):
        return {}
    return {"survey_url": public_url("surveys.personal", token=token),
            "survey_closes_at": closes_at(survey, registration.event),
            "survey_answered": already_answered(session, survey.id, registration.id)}
