"""The after-event mail with the person's own survey link; its text lives in
templates/surveys/mail.{txt,html}, its headline beside the registration mails'."""
from flask import render_template
from sqlalchemy.orm import Session

from ..dates import format_schedule
from ..mail.models import MailKind, OutboxMail
from ..mail.outbox import queue_mail
from ..registration.mails import HEADLINES
from ..registration.models import Registration


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
