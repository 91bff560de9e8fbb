"""The viewing link, mailed once to each on-demand registrant when the viewing period opens.

`flask --app eventsapp mail viewing` runs this from cron (every 10 minutes, say). Running it
again mails nobody twice: the viewing row records mailed_at, and the outbox's dedupe key
viewing:<registration id> refuses a second mail even to a concurrent run. Whoever registers
while the period is open gets the link at the next run. The text lives in
templates/viewing/mail.{txt,html}."""
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus
from ..dates import format_moment, format_schedule, now
from ..mail.models import MailKind, OutboxMail
from ..mail.outbox import queue_mail
from ..registration.mails import HEADLINES
from ..registration.models import Registration, RegistrationMode, RegistrationStatus
from .models import Viewing
from .service import Period, period_of, viewing_for, viewing_url


@dataclass
class ViewingSendSummary:
    events: int = 0
    mailed: int = 0
    without_email: int = 0


def not_mailed(event_id: int):
    """Live on-demand registrations of the event whose viewing link has not been mailed."""
    return (
        select(Registration)
        .outerjoin(Viewing, Viewing.registration_id == Registration.id)
        .where(Registration.event_id == event_id, Registration.mode == RegistrationMode.ON_DEMAND,
               Registration.status == RegistrationStatus.REGISTERED, or_(Viewing.id.is_(None), Viewing.mailed_at.is_(None)))
        .order_by(Registration.id)
    )


def queue_viewing_links(session: Session, *, moment: datetime | None = None) -> ViewingSendSummary:
    """Queue the viewing mail for every live on-demand registration of the published events
    whose viewing period is open at `moment` (default now); commits per event. People
    without e-mail get nothing (their ticket page leads to the viewing page)."""
    moment = moment or now()
    events = session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.on_demand_url != "", Event.viewing_opens_at <= moment)
        .order_by(Event.viewing_opens_at, Event.id)
    ).all()
    summary = ViewingSendSummary()
    for event in events:
        if period_of(event, moment) != Period.OPEN:
            continue
        summary.events += 1
        for registration in session.scalars(not_mailed(event.id)).all():
            if not registration.person.email.strip():
                summary.without_email += 1
                continue
            viewing = viewing_for(session, registration)
            queue_viewing_mail(session, registration, url=viewing_url(viewing), dedupe_key=f"viewing:{registration.id}")
            viewing.mailed_at = moment
            summary.mailed += 1
        try:
            session.commit()
        except IntegrityError:  # another run (or a click on a ticket page) made the same rows
            session.rollback()
    return summary


def queue_viewing_mail(session: Session, registration: Registration, *, url: str, dedupe_key: str) -> OutboxMail | None:
    """Queue the mail with the person's own viewing page, in the caller's transaction. None
    when the person has no e-mail address or dedupe_key was queued before."""
    address = registration.person.email.strip()
    if not address:
        return None
    event = registration.event
    context = dict(
        person=registration.person, event=event, schedule=format_schedule(event.starts_at, event.ends_at),
        opens=format_moment(event.viewing_opens_at),
        closes=format_moment(event.viewing_closes_at) if event.viewing_closes_at else "",
        viewing_url=url,
    )
    return queue_mail(
        session, to=address, kind=MailKind.VIEWING, registration_id=registration.id, dedupe_key=dedupe_key,
        subject=f"【{HEADLINES[MailKind.VIEWING]}】{event.title}",
        text=render_template("viewing/mail.txt", **context), html=render_template("viewing/mail.html", **context),
    )
