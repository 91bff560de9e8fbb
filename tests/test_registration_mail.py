"""The mails of registration, received by a real SMTP server: confirmation with QR and
.ics, the re-sent ticket, cancellation and the promotion of the first waitlisted."""
from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.registration.models import Registration

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}
SATO = {**FORM, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp"}


def attachments(message) -> dict:
    return {part.get_filename(): part for part in message.walk() if part.get_filename()}


def test_register_receive_cancel_and_promote(client, make_event, smtp_server):
    event = make_event(day=(now() + timedelta(days=10)).date(), capacity=1)
    manage = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    client.post(f"/events/{event.id}/register", data=SATO)  # waitlisted
    assert send_pending(db.session).sent == 2
    confirmation, waitlisted = smtp_server.messages
    assert confirmation["To"] == "hanako@example.jp" and "申込を受け付けました" in confirmation["Subject"]
    files = attachments(confirmation)
    assert files["ticket.png"].get_content().startswith(b"\x89PNG")
    ics = next(part for name, part in files.items() if name.endswith(".ics"))
    entry = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert entry.decoded("dtstart") == event.starts_at
    body = confirmation.get_body(("plain",)).get_content()
    assert f"https://events.example.jp{manage}" in body
    assert waitlisted["To"] == "sato@example.jp" and "キャンセル待ち" in waitlisted["Subject"]
    assert "ticket.png" not in attachments(waitlisted)

    # The same person again: nothing new is created, the ticket goes again to the stored address.
    client.post(f"/events/{event.id}/register", data={**FORM, "email": "HANAKO@EXAMPLE.JP"})
    send_pending(db.session)
    resent = smtp_server.messages[-1]
    assert resent["To"] == "hanako@example.jp" and "すでにお申込み済み" in resent["Subject"]
    assert "ticket.png" in attachments(resent)

    client.post(manage + "/cancel")
    send_pending(db.session)
    cancelled, promoted = smtp_server.messages[-2:]
    assert cancelled["To"] == "hanako@example.jp" and "キャンセル" in cancelled["Subject"]
    assert promoted["To"] == "sato@example.jp" and "繰り上げ" in promoted["Subject"]
    assert "ticket.png" in attachments(promoted)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


def test_a_refused_registration_queues_no_mail(client, make_event):
    event = make_event(day=(now() + timedelta(days=10)).date())
    client.post(f"/events/{event.id}/register", data={**FORM, "family_kana": "山田"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_people_without_email_register_without_mail(client, make_event):
    event = make_event(day=(now() + timedelta(days=10)).date())
    response = client.post(f"/events/{event.id}/register", data={**FORM, "email": "", "phone": "04-7150-0000"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_reminders_go_once_the_day_before(app, runner, make_event, smtp_server):
    from datetime import date

    from eventsapp.people.identity import PersonFields
    from eventsapp.registration.models import RegistrationMode, RegistrationSource
    from eventsapp.registration.service import cancel, register

    event = make_event(day=date(2026, 12, 1), capacity=5)
    other_day = make_event(day=date(2026, 12, 2), title="翌々日")
    people = [PersonFields(family_name=f"参加{n}", family_kana="さんか", email=f"p{n}@example.jp") for n in range(3)]
    regs = [register(db.session, event_id=event.id, person=p, mode=RegistrationMode.IN_PERSON,
                     source=RegistrationSource.STAFF).registration for p in people]
    register(db.session, event_id=other_day.id, person=people[0], mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF)
    cancel(db.session, registration_id=regs[2].id)
    send_pending(db.session)
    before = len(smtp_server.messages)

    first = runner.invoke(args=["mail", "remind", "--day", "2026-12-01"])
    assert first.exit_code == 0 and "reminders queued for 2026-12-01: 2" in first.output
    assert "queued for 2026-12-01: 0" in runner.invoke(args=["mail", "remind", "--day", "2026-12-01"]).output
    send_pending(db.session)
    reminders = smtp_server.messages[before:]
    assert sorted(m["To"] for m in reminders) == ["p0@example.jp", "p1@example.jp"]
    assert all("明日の開催のご案内" in m["Subject"] for m in reminders)
    assert "ticket.png" in attachments(reminders[0])


def test_resend_from_the_ticket_page(client, make_event, smtp_server):
    event = make_event(day=(now() + timedelta(days=10)).date())
    manage = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    assert "参加票をメールで再送する" in client.get(manage).text
    client.post(f"{manage}/resend")
    assert send_pending(db.session).sent == 2
    assert [m["To"] for m in smtp_server.messages] == ["hanako@example.jp"] * 2
    assert client.post("/r/not-a-real-token-at-all-xx/resend").status_code == 404


def test_development_sends_right_after_the_request(app, client, make_event, smtp_server):
    event = make_event(day=(now() + timedelta(days=10)).date())
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    try:
        client.post(f"/events/{event.id}/register", data=FORM)
    finally:
        app.config["MAIL_SEND_AFTER_REQUEST"] = False
    assert len(smtp_server.messages) == 1
    assert send_pending(db.session).sent == 0


def test_repeated_resends_are_capped_per_hour(client, make_event):
    event = make_event(day=(now() + timedelta(days=10)).date())
    manage = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    for _ in range(3):
        client.post(f"/events/{event.id}/register", data=FORM)
        client.post(f"{manage}/resend")
    kinds = db.session.scalars(sa.select(OutboxMail.kind).order_by(OutboxMail.id)).all()
    assert [k.value for k in kinds] == ["confirmation", "already_registered", "confirmation"]
