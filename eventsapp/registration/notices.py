"""Which mail a registration change sends, queued in the same transaction as the change."""
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus
from ..dates import now, tokyo_datetime
from ..mail.models import MailKind, OutboxMail
from .mails import queue_registration_mail
from .models import Registration, RegistrationSource, RegistrationStatus


def queue_notice(
    session: Session,
    registration: Registration,
    kind: MailKind,
    *,
    dedupe_key: str | None = None,
) -> OutboxMail | None:
    """Queue the mail of this kind, linking to the person's own page (ticket and cancel); it
    is written when it is sent (mails.py). People without an e-mail address get none (the
    service still succeeds), and a dedupe_key queued before gives None. A mail that carries
    the join link records it as the one this person has (online.py)."""
    session.flush()  # the registration's id: the mail's 受付番号
    mail = queue_registration_mail(session, registration, kind=kind, dedupe_key=dedupe_key)
    if mail is not None and mail.snapshot["join_url"]:
        registration.join_url_sent = mail.snapshot["join_url"]
    return mail


def kind_for_new(registration: Registration) -> MailKind:
    return MailKind.WAITLISTED if registration.status == RegistrationStatus.WAITLISTED else MailKind.CONFIRMATION


def mailed_on_registration(event: Event, source: RegistrationSource) -> bool:
    """Whether registering someone now mails them. Staff typing in a paper list after the
    event has ended send nothing: a mail asking to show a QR code at a door that has closed
    would only confuse. Staff registering someone before the end send the usual mail."""
    return source == RegistrationSource.PUBLIC or now() < event.ends_at


def queue_reminders(session: Session, *, day: date) -> int:
    """Queue the day-before reminder for every live registration of events starting on
    `day` (Tokyo); commits. Each registration is reminded once, however often cron runs."""
    start, end = tokyo_datetime(day, time(0, 0)), tokyo_datetime(day + timedelta(days=1), time(0, 0))
    registrations = session.scalars(
        select(Registration)
        .join(Registration.event)
        .where(
            Event.starts_at >= start, Event.starts_at < end, Event.status == EventStatus.PUBLISHED,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(Registration.id)
    ).all()
    queued = sum(
        queue_notice(session, r, MailKind.REMINDER, dedupe_key=f"reminder:{r.id}") is not None for r in registrations
    )
    session.commit()
    return queued
