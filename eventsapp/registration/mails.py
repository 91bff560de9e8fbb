"""The Japanese mails about a registration: subject, text, HTML and attachments.

The texts live in templates/registration/mail.{txt,html} (the HTML autoescaped), with the
事務局's contact from templates/mail/; this module decides what each mail carries. A
ticket mail (someone expected at a venue) shows the 受付番号 large, which the door types
when a QR code will not scan, and the QR code inline in the HTML (cid:) as well as attached
as ticket.png. An online participant gets the join link instead (online.py says when). Mails
with a date to keep carry the event as an .ics file. mail/ only keeps the outbox that
delivers them.

They are written when they are sent, not when they are queued: the registration's request
(under the event's lock) only adds the outbox row, with the facts that must stay as they were
then (snapshot_of: the status, hence a ticket or a waitlist place, and the join link recorded
as given). The sender asks write_queued for the rest — the person's name, the event, the
ticket's QR code, the .ics and every link, built from PUBLIC_BASE_URL — when it sends.
"""
from urllib.parse import urlsplit

from flask import render_template
from sqlalchemy.orm import Session

from ..catalog.ical import event_calendar
from ..dates import format_schedule
from ..links import map_url, public_url
from ..mail.models import MailKind, OutboxMail
from ..mail.outbox import attachment, queue_unwritten
from .models import Registration, RegistrationMode, RegistrationStatus
from .tickets import ticket_png

# Every kind the outbox knows has its headline here, the survey's and the viewing link's too
# (surveys/mails.py, viewing/mailing.py).
HEADLINES = {
    MailKind.CONFIRMATION: "申込を受け付けました",
    MailKind.WAITLISTED: "キャンセル待ちで受け付けました",
    MailKind.PROMOTED: "繰り上げでご参加いただけます",
    MailKind.CANCELLED: "キャンセルを受け付けました",
    MailKind.REMINDER: "明日の開催のご案内",
    MailKind.ALREADY_REGISTERED: "すでにお申込み済みです",
    MailKind.SURVEY: "アンケートのお願い",
    MailKind.JOIN_URL: "オンライン参加用URLが変わりました",
    MailKind.ORG_SURVEY: "アンケートご協力のお願い",
    MailKind.VIEWING: "オンデマンド配信のご案内",
}
# Kinds that tell a registered person how to take part: the ticket (QR) for a venue, the
# join link for an online event.
HOW_TO_TAKE_PART = {MailKind.CONFIRMATION, MailKind.PROMOTED, MailKind.REMINDER, MailKind.ALREADY_REGISTERED}
WITH_JOIN_URL = HOW_TO_TAKE_PART | {MailKind.JOIN_URL}
WITH_CALENDAR = {MailKind.CONFIRMATION, MailKind.PROMOTED, MailKind.ALREADY_REGISTERED}
# The kinds that notices.queue_notice queues, and write_queued writes when they are sent.
WRITTEN_HERE = HOW_TO_TAKE_PART | {MailKind.WAITLISTED, MailKind.CANCELLED, MailKind.JOIN_URL}
TICKET_FILENAME = "ticket.png"


def join_url_in(registration: Registration, kind: MailKind) -> str:
    """The join link a mail of this kind carries to this person: the event's, for a
    registered online participant, in the mails that say how to take part; else ""."""
    if kind in WITH_JOIN_URL and registration.joins_online and registration.status == RegistrationStatus.REGISTERED:
        return registration.event.join_url or ""
    return ""


def snapshot_of(registration: Registration, kind: MailKind) -> dict:
    """What a mail of this kind must tell as it is now, however late it is written: the
    registration's status (a ticket, or a waitlist place) and the join link it carries, which
    notices.queue_notice records as the one this person has (join_url_sent)."""
    return {"status": registration.status.value, "join_url": join_url_in(registration, kind)}


def registration_mail(
    registration: Registration,
    *,
    kind: MailKind | str,
    page_url: str,
    snapshot: dict | None = None,
) -> dict:
    """{subject, text, html, attachments} of a mail about this registration, in Japanese;
    page_url is the person's own page (参加票の表示・キャンセル), the one link of the mail.
    snapshot: the facts as they were when the mail was queued (snapshot_of); by default as
    they are now. Needs an app context (templates, FLASK_ORGANIZER_CONTACT)."""
    kind = MailKind(kind)
    snapshot = snapshot if snapshot is not None else snapshot_of(registration, kind)
    event = registration.event
    registered = snapshot["status"] == RegistrationStatus.REGISTERED
    with_ticket = kind in HOW_TO_TAKE_PART and registered and registration.has_door_ticket
    host = urlsplit(page_url).hostname or "localhost"
    ticket_cid = f"ticket-{registration.id}@{host}"
    context = dict(
        kind=kind.value,
        headline=HEADLINES[kind],
        registration=registration,
        number=registration.id,
        person=registration.person,
        event=event,
        schedule=format_schedule(event.starts_at, event.ends_at),
        online=registration.joins_online,
        on_demand=registration.mode == RegistrationMode.ON_DEMAND,
        join_url=snapshot["join_url"],
        tells_how=kind in WITH_JOIN_URL and registered,
        map_url=map_url(event.venue_address) if event.venue_address else "",
        with_ticket=with_ticket,
        ticket_cid=ticket_cid,
        page_url=page_url,
    )
    attachments = []
    if with_ticket:
        image = ticket_png(registration.ticket_token)
        attachments.append(attachment(TICKET_FILENAME, "image/png", image, cid=ticket_cid))
    if kind in WITH_CALENDAR:
        calendar = event_calendar([event], host=host, url_for_event=lambda _event: page_url, name=event.title)
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
    dedupe_key: str | None = None,
) -> OutboxMail | None:
    """Queue the mail of this kind to the registered person, in the caller's transaction
    (no commit), to be written when it is sent (write_queued). Returns None when the person
    has no e-mail address (citizens may give only a phone number) or when dedupe_key was
    queued before. The address is the one stored now: the mail goes there, whatever the
    person's record says later."""
    address = registration.person.email.strip()
    if not address:
        return None
    kind = MailKind(kind)
    return queue_unwritten(session, to=address, kind=kind, registration_id=registration.id, dedupe_key=dedupe_key,
                           snapshot=snapshot_of(registration, kind))


def write_queued(_app, *, session: Session, mail: OutboxMail, **_extra) -> dict | None:
    """The receiver of mail.signals.content_wanted (connected in register(app)): the content
    of a queued registration mail, written now from its snapshot; None for another kind.
    Raises LookupError when the registration is gone."""
    if mail.kind not in WRITTEN_HERE:
        return None
    registration = session.get(Registration, mail.registration_id) if mail.registration_id else None
    if registration is None:
        raise LookupError(f"the registration of mail {mail.id} no longer exists")
    page_url = public_url("registration.ticket", manage_token=registration.manage_token)
    return registration_mail(registration, kind=mail.kind, page_url=page_url, snapshot=mail.snapshot)
