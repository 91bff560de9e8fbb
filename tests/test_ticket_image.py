"""The ticket's QR code is drawn when its mail is sent, never by the registration itself:
nothing is drawn in the request, let alone while others wait for the event's lock; and the
image the mail carries is the QR code of the registration's own ticket token."""
from datetime import timedelta

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.outbox import send_pending
from eventsapp.people.identity import PersonFields
from eventsapp.registration import mails, service
from eventsapp.registration.models import RegistrationMode
from eventsapp.registration.tickets import ticket_png

HANAKO = PersonFields(family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ",
                      email="hanako@example.jp")


def spy_on_drawing_and_locking(monkeypatch) -> list[str]:
    steps: list[str] = []
    draw, lock = mails.ticket_png, service.lock_event
    monkeypatch.setattr(service, "lock_event", lambda session, event_id: steps.append("lock") or lock(session, event_id))
    monkeypatch.setattr(mails, "ticket_png", lambda token: steps.append("draw") or draw(token))
    return steps


def test_registering_draws_nothing_and_the_sent_mail_carries_the_tickets_qr_code(make_event, monkeypatch, smtp_server):
    event = make_event(day=(now() + timedelta(days=30)).date())
    steps = spy_on_drawing_and_locking(monkeypatch)
    registration = service.register(db.session, event_id=event.id, person=HANAKO,
                                    mode=RegistrationMode.IN_PERSON).registration
    assert steps == ["lock"]
    assert send_pending(db.session).sent == 1
    assert steps == ["lock", "draw"]
    [message] = smtp_server.messages
    [png] = [part for part in message.walk() if part.get_filename() == "ticket.png"]
    assert png.get_content() == ticket_png(registration.ticket_token)


def test_an_on_demand_registration_draws_no_ticket(make_event, monkeypatch, smtp_server):
    from eventsapp.catalog.models import EventFormat

    event = make_event(day=(now() + timedelta(days=30)).date(), format=EventFormat.HYBRID)
    steps = spy_on_drawing_and_locking(monkeypatch)
    service.register(db.session, event_id=event.id, person=HANAKO, mode=RegistrationMode.ON_DEMAND)
    assert send_pending(db.session).sent == 1
    assert steps == ["lock"]
    assert not any(part.get_filename() == "ticket.png" for part in smtp_server.messages[0].walk())
