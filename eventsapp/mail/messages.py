"""The Japanese mails about a registration: subject, text, HTML and attachments.

The texts live in templates/mail/registration.{txt,html} (the HTML autoescaped); this
module picks the headline and the attachments of each kind: the ticket's QR code as
ticket.png, and the event as an .ics file for the person's calendar.
"""
import base64
import io
from functools import lru_cache
from urllib.parse import urlsplit

import png
import qrcode
from flask import render_template
from sqlalchemy.orm import Session

from ..catalog.ical import event_calendar
from ..dates import format_schedule
from ..registration.models import Registration, RegistrationMode
from .models import MailKind, OutboxMail
from .outbox import queue_mail

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


def registration_mail(registration: Registration, *, kind: MailKind | str, ticket_url: str, manage_url: str) -> dict:
    """{subject, text, html, attachments} of a mail about this registration, in Japanese;
    pass it on to queue_mail(). Needs an app context (templates). An on-demand
    registration gets no QR code: there is no door to show it at."""
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
        attachments.append(attachment("ticket.png", "image/png", ticket_png(registration.ticket_token)))
    if kind in WITH_CALENDAR:
        host = urlsplit(manage_url).hostname or "localhost"
        calendar = event_calendar([event], host=host, url_for_event=lambda _event: ticket_url, name=event.title)
        attachments.append(attachment(f"event-{event.id}.ics", "text/calendar", calendar))
    return {
        "subject": f"【{HEADLINES[kind]}】{event.title}",
        "text": render_template("mail/registration.txt", **context),
        "html": render_template("mail/registration.html", **context),
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
) -> OutboxMail | None:
    """Queue the mail of this kind to the registered person, in the caller's transaction
    (no commit). Returns None when the person has no e-mail address (citizens may give
    only a phone number) or when dedupe_key was queued before."""
    address = registration.person.email.strip()
    if not address:
        return None
    content = registration_mail(registration, kind=kind, ticket_url=ticket_url, manage_url=manage_url)
    return queue_mail(
        session, to=address, kind=kind, registration_id=registration.id, dedupe_key=dedupe_key, **content
    )


QR_BOX_PIXELS = 8  # pixels per module: a ticket of 41 modules with its border is 392 px wide


@lru_cache(maxsize=256)
def ticket_png(token: str) -> bytes:
    """The QR code of a ticket token as a 1-bit greyscale PNG. qrcode lays out the modules;
    the rows are packed here, eight pixels to a byte, and PyPNG writes them: PyPNG packing
    each pixel in Python took ~13 ms of a ~30 ms registration, this takes ~1 ms. Cached, so
    the mail, written under the event's lock, finds the image drawn before it."""
    code = qrcode.QRCode(box_size=QR_BOX_PIXELS)
    code.add_data(token)
    code.make(fit=True)
    modules = code.get_matrix()  # with the quiet zone; True is dark
    width = len(modules) * QR_BOX_PIXELS
    rows = [packed_row(row, width) for row in modules]
    buffer = io.BytesIO()
    png.Writer(width, width, greyscale=True, bitdepth=1).write_packed(
        buffer, (row for row in rows for _ in range(QR_BOX_PIXELS)))
    return buffer.getvalue()


def packed_row(modules: list[bool], width: int) -> bytes:
    """One row of pixels, 1 bit each (0 is black), padded to whole bytes."""
    bits = "".join(("0" if dark else "1") * QR_BOX_PIXELS for dark in modules)
    padding = -width % 8
    return int(bits + "0" * padding, 2).to_bytes((width + padding) // 8, "big")


def attachment(filename: str, mimetype: str, content: bytes) -> dict:
    return {"filename": filename, "mimetype": mimetype, "content_base64": base64.b64encode(content).decode("ascii")}


def queue_survey_mail(
    session: Session, registration: Registration, *, survey_url: str, closes_at: str, dedupe_key: str
) -> OutboxMail | None:
    """Queue the after-event mail with the person's own survey link, in the caller's
    transaction. None when the person has no e-mail address or dedupe_key was queued."""
    address = registration.person.email.strip()
    if not address:
        return None
    event = registration.event
    context = dict(person=registration.person, event=event, schedule=format_schedule(event.starts_at, event.ends_at),
                   survey_url=survey_url, closes_at=closes_at)
    return queue_mail(
        session, to=address, kind=MailKind.SURVEY, registration_id=registration.id, dedupe_key=dedupe_key,
        subject=f"【{HEADLINES[MailKind.SURVEY]}】{event.title}",
        text=render_template("surveys/mail.txt", **context), html=render_template("surveys/mail.html", **context),
    )
