"""The Japanese mails about a registration: subject, text, HTML and attachments.

The texts live in templates/registration/mail.{txt,html} (the HTML autoescaped); this
module picks the headline and the attachments of each kind: the ticket's QR code as
ticket.png, and the event as an .ics file for the person's calendar. mail/ only keeps the
outbox that delivers them.
"""
from urllib.parse import urlsplit

from flask import render_template
from sqlalchemy.orm import Session

from ..catalog.ical import event_calendar
from ..dates import format_schedule
from ..mail.models import MailKind, OutboxMail
from ..mail.outbox import attachment, queue_mail
from .models import Registration, RegistrationMode
from .tickets import ticket_png

# Every kind the outbox knows has its headline here, the survey's too (surveys/mails.py).
HEADLINES = {
    MailKind.CONFIRMATION: "申込を受け付けました",
    MailKind.WAITLISTED: "キャンセル待ちで受け付けました",
    MailKind.PROMOTED: "繰り上げでご参加いただけます",
    MailKind.CANCELLED: "キャンセルを受け付けました",
    MailKind.REMINDER: "明日の開催のご案内",
    MailKind.ALREADY_REGISTERED: "すでにお申込み済みです",
    MailKind.SURVEY: "アンケートのお願い",
}
# Kinds that carry the ticket (QR) and the calendar entry.
WITH_TICKET = {MailKind.CONFIRMATION, MailKind.PROMOTED, MailKind.REMINDER, MailKind.ALREADY_REGISTERED}
WITH_CALENDAR = {MailKind.CONFIRMATION, MailKind.PROMOTED, MailKind.ALREADY_REGISTERED}


def registration_mail(
    registration: Registration,
    *,
    kind: MailKind | str,
    ticket_url: str,
    manage_url: str,
    ticket_image: bytes | None = None,
) -> dict:
    """{subject, text, html, attachments} of a mail about this registration, in Japanese;
    pass it on to queue_mail(). Needs an app context (templates). An on-demand
    registration gets no QR code: there is no door to show it at. ticket_image is the
    ticket's PNG when the caller drew it already (register() does, before the event's
    lock); otherwise it is drawn here."""
    kind = MailKind(kind)
    event = registration.event
    with_ticket = kind in WITH_TICKET and registration.mode == RegistrationMode.IN_PERSON
    context = dict(
        kind=kind.value,
        headline=HEADLINES[kind],
        registration=registration,
        person=registration.person,
        event=event,
        schedule=format_schedule(event.starts_at, event.ends_at),
        in_person=registration.mode == RegistrationMode.IN_PERSON,
        with_ticket=with_ticket,
        ticket_url=ticket_url,
        manage_url=manage_url,
    )
    attachments = []
    if with_ticket:
        image = ticket_image if ticket_image is not None else ticket_png(registration.ticket_token)
        attachments.append(attachment("ticket.png", "image/png", image))
    if kind in WITH_CALENDAR:
        host = urlsplit(manage_url).hostname or "localhost"
        calendar = event_calendar([event], host=host, url_for_event=lambda _event: ticket_url, name=event.title)
        attachments.append(attachment(f"event-{event.id}.ics", "text/calendar", calendar))
    return {
        "subject": f"【{HEADLINES[kind]}】{event.title}",
        "text": render_template("registration/mail.txt", **context),
        "html": render_template("registration/mail.html", **context),
        "attachments": attachments,
    }


def queue_registration_mail(
    session: Session,
    registration: Registration,
    *,
    kind: MailKind | str,
    ticket_url: str,
    manage_url: str,
    dedupe_key: str | None = None,
    ticket_image: bytes | None = None,
) -> OutboxMail | None:
    """Queue the mail of this kind to the registered person, in the caller's transaction
    (no commit). Returns None when the person has no e-mail address (citizens may give
    only a phone number) or when dedupe_key was queued before."""
    address = registration.person.email.strip()
    if not address:
        return None
    content = registration_mail(
        registration, kind=kind, ticket_url=ticket_url, manage_url=manage_url, ticket_image=ticket_image
    )
    return queue_mail(
        session, to=address, kind=kind, registration_id=registration.id, dedupe_key=dedupe_key, **content
    )
