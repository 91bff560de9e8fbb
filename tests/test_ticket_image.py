"""The ticket's QR code is drawn once per registration, before the event's lock is taken,
and that very image is the mail's ticket.png: nothing is drawn while others wait."""
import base64
from datetime import timedelta

import sqlalchemy as sa

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.people.identity import PersonFields
from eventsapp.registration import mails, service
from eventsapp.registration.models import RegistrationMode
from eventsapp.registration.tickets import ticket_png

HANAKO = PersonFields(family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ",
                      email="hanako@example.jp")


def spy_on_drawing_and_locking(monkeypatch) -> list[str]:
    steps: list[str] = []
    draw, lock = service.ticket_png, service.lock_event
    monkeypatch.setattr(service, "ticket_png", lambda token: steps.append("draw") or draw(token))
    monkeypatch.setattr(service, "lock_event", lambda session, event_id: steps.append("lock") or lock(session, event_id))
    monkeypatch.setattr(mails, "ticket_png", lambda token: steps.append("draw under lock") or draw(token))
    return steps


def test_the_ticket_is_drawn_once_before_the_lock_and_mailed_as_drawn(make_event, monkeypatch):
    event = make_event(day=(now() + timedelta(days=30)).date())
    steps = spy_on_drawing_and_locking(monkeypatch)
    registration = service.register(db.session, event_id=event.id, person=HANAKO,
                                    mode=RegistrationMode.IN_PERSON).registration
    assert steps == ["draw", "lock"]
    [mail] = db.session.scalars(sa.select(OutboxMail)).all()
    [png] = [item for item in mail.attachments if item["filename"] == "ticket.png"]
    assert base64.b64decode(png["content_base64"]) == ticket_png(registration.ticket_token)


def test_an_on_demand_registration_draws_no_ticket(make_event, monkeypatch):
    from eventsapp.catalog.models import EventFormat

    event = make_event(day=(now() + timedelta(days=30)).date(), format=EventFormat.HYBRID)
    steps = spy_on_drawing_and_locking(monkeypatch)
    service.register(db.session, event_id=event.id, person=HANAKO, mode=RegistrationMode.ON_DEMAND)
    assert steps == ["lock"]
