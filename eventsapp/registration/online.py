"""An online event's join link (Event.join_url, Zoom etc.): who sees it, from when, and the
re-sent mail when it changes.

The link is for registered online participants only (Registration.joins_online), never for
the public: no public page, API answer or calendar file carries it. Mails carry it in the
confirmation and the day-before reminder (mails.py join_url_in); the ticket page shows it
from the day before, when the reminder goes out, so that a person without e-mail finds it
too. Each registration remembers the link it was last mailed (join_url_sent).
"""
from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventFormat, EventStatus
from ..dates import now, to_tokyo, tokyo_datetime
from ..mail.models import MailKind
from .models import Registration, RegistrationStatus
from .notices import queue_notice


def join_url_shown_from(event: Event) -> datetime:
    """The start (Tokyo) of the day before the event: the ticket page shows the link from then."""
    day_before = to_tokyo(event.starts_at).date() - timedelta(days=1)
    return tokyo_datetime(day_before, time(0, 0))


def join_url_on_page(registration: Registration, *, moment: datetime) -> str:
    """The join link the person's own page shows at `moment`, or "" (not online, not
    registered, no link yet, cancelled event, or before the day before)."""
    event = registration.event
    if not (registration.joins_online and registration.status == RegistrationStatus.REGISTERED and event.join_url):
        return ""
    if event.status != EventStatus.PUBLISHED or moment < join_url_shown_from(event):
        return ""
    return event.join_url


def resend_join_url(_sender, *, session: Session, event: Event) -> int:
    """Receiver of catalog's join_url_changed, inside the event's save (no commit): mail the
    new link once to every registered online participant who was mailed another one. Returns
    how many mails were queued.

    Who gets it is decided by one conditional UPDATE of join_url_sent (old link → new link),
    so saving the same link again finds nobody, and of two saves racing with the same link
    only one sees each person: the database's row lock makes the second wait, then find the
    new value. People never mailed a link get it with the reminder as usual; an event that
    has ended or is no longer online sends nothing."""
    if event.format != EventFormat.ONLINE or event.status != EventStatus.PUBLISHED or now() >= event.ends_at:
        return 0
    session.flush()
    changed = session.scalars(
        update(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.join_url_sent.is_not(None),
            Registration.join_url_sent != event.join_url,
        )
        .values(join_url_sent=event.join_url)
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    ).all()
    registrations = session.scalars(select(Registration).where(Registration.id.in_(changed)).order_by(Registration.id))
    return sum(queue_notice(session, r, MailKind.JOIN_URL) is not None for r in registrations)
