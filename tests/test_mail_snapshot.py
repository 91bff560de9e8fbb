"""Registration mails are written when they are sent (issue 20), from the facts their outbox row
kept: what was true when the mail was queued stays true in it — the status of then (a ticket,
or a waitlist place), the address of then, the 受付番号 — while names, the event and the links
are read at sending, every link from PUBLIC_BASE_URL. A mail that cannot be written is that
mail's failure alone: it stays in the outbox, the others go."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventsapp import create_app
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import SendReport, send_pending
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}
SATO = {**FORM, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp"}


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()


def files(message) -> set[str]:
    return {part.get_filename() for part in message.walk() if part.get_filename()}


def test_the_row_carries_the_facts_and_the_mail_is_written_at_sending(client, make_event, smtp_server):
    event = make_event(day=(now() + timedelta(days=10)).date(), capacity=1)
    client.post(f"/events/{event.id}/register", data=FORM)
    client.post(f"/events/{event.id}/register", data=SATO)  # the one seat is taken: waitlisted
    hanako, sato = db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()
    queued = outbox()
    assert [(m.kind, m.registration_id, m.to_address, m.snapshot) for m in queued] == [
        (MailKind.CONFIRMATION, hanako.id, "hanako@example.jp", {"status": "registered", "join_url": ""}),
        (MailKind.WAITLISTED, sato.id, "sato@example.jp", {"status": "waitlisted", "join_url": ""}),
    ]
    assert all((m.subject, m.body_text, m.body_html, m.attachments) == ("", "", "", []) for m in queued)

    # Before the mails go: Hanako's address is changed on her record, and she cancels,
    # which promotes Sato (two more mails, queued with the facts of that moment).
    db.session.get(Person, hanako.person_id).email = "hanako.new@example.jp"
    db.session.commit()
    client.post(f"/r/{hanako.manage_token}/cancel")
    assert send_pending(db.session) == SendReport(sent=4, failed=0, remaining=0)

    confirmation, waitlisted, cancelled, promoted = smtp_server.messages
    # The confirmation says what was true when she registered: her address then, her ticket
    # (QR code and 受付番号), though she has cancelled since.
    assert confirmation["To"] == "hanako@example.jp" and "申込を受け付けました" in confirmation["Subject"]
    assert "ticket.png" in files(confirmation)
    assert f"受付番号　{hanako.id}\n" in confirmation.get_body(("plain",)).get_content()
    # Sato's first mail stays a waitlist notice without a ticket, though he holds a seat now.
    assert "キャンセル待ち" in waitlisted["Subject"] and "ticket.png" not in files(waitlisted)
    assert cancelled["To"] == "hanako.new@example.jp" and "キャンセル" in cancelled["Subject"]
    assert promoted["To"] == "sato@example.jp" and "ticket.png" in files(promoted)
    assert f"受付番号　{sato.id}\n" in promoted.get_body(("plain",)).get_content()

    # Each sent row keeps the texts it was sent with (not the attachments).
    sent = outbox()
    assert [m.subject for m in sent] == [message["Subject"] for message in smtp_server.messages]
    assert [m.body_text.rstrip("\n") for m in sent] == [
        message.get_body(("plain",)).get_content().rstrip("\n") for message in smtp_server.messages]  # set_content ends a line
    assert all(m.attachments == [] and m.sent_at is not None for m in sent)


def test_a_mail_that_cannot_be_written_stays_and_the_others_go(client, make_event, smtp_server):
    event = make_event(day=(now() + timedelta(days=10)).date())
    client.post(f"/events/{event.id}/register", data=FORM)
    client.post(f"/events/{event.id}/register", data=SATO)
    lost, kept = outbox()
    lost.registration_id = None  # as if its registration were gone
    db.session.commit()
    assert send_pending(db.session) == SendReport(sent=1, failed=1, remaining=1)
    assert [m["To"] for m in smtp_server.messages] == ["sato@example.jp"]
    lost, kept = outbox()
    assert lost.sent_at is None and lost.attempts == 1 and "no longer exists" in lost.last_error
    assert lost.claimed_until is None and kept.sent_at is not None


def test_a_mail_written_after_a_forged_request_still_links_to_the_public_base(app, client, make_event, smtp_server):
    """In development the mail is written at the end of the very request that queued it
    (MAIL_SEND_AFTER_REQUEST): its links still come from PUBLIC_BASE_URL, not the Host."""
    event = make_event(day=(now() + timedelta(days=10)).date())
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    try:
        page = client.post(f"/events/{event.id}/register", data=FORM, headers={"Host": "evil.example"})
    finally:
        app.config["MAIL_SEND_AFTER_REQUEST"] = False
    assert page.status_code == 302
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    token = db.session.scalar(sa.select(Registration.manage_token))
    assert f"https://events.example.jp/r/{token}" in text and "evil.example" not in text


def test_the_migration_keeps_old_rows_and_will_not_drop_a_mail_still_to_write(migrated_app, scratch_database, capsys):
    """0019 adds the snapshot; its downgrade refuses while a queued mail waits to be written
    (it would be sent empty), and goes once the outbox is sent."""
    url = scratch_database(migrated_app.config["ENGINE_NAME"])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:  # a mail written when queued, before 0019
            conn.execute(sa.text(
                "INSERT INTO outbox_mails (to_address, subject, body_text, body_html, attachments, kind, created_at,"
                " attempts, last_error) VALUES ('a@example.jp', 's', 't', 'h', '[]', 'survey', :now, 0, '')"),
                {"now": now()})
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT snapshot FROM outbox_mails")).scalar() is None
            conn.execute(sa.text(
                "INSERT INTO outbox_mails (to_address, subject, body_text, body_html, attachments, kind, snapshot,"
                " created_at, attempts, last_error) VALUES ('b@example.jp', '', '', '', '[]', 'confirmation',"
                " '{\"status\": \"registered\", \"join_url\": \"\"}', :now, 0, '')"), {"now": now()})
        with pytest.raises(SystemExit):  # flask_migrate logs the migration's RuntimeError and exits
            downgrade(revision="0018")
        assert "1 mails wait to be written when sent" in capsys.readouterr().err
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE outbox_mails SET sent_at = :now"), {"now": now()})
        downgrade(revision="0018")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM outbox_mails")).scalar() == 2
        db.engine.dispose()


def test_a_title_of_the_longest_kind_registers_and_its_subject_is_sent_whole(client, make_event, smtp_server):
    """A 200-character title makes a 213-character subject (【申込を受け付けました】 adds 13): the
    registration does not carry it, the mail does, and the row keeps its first 200 characters."""
    title = "研" * 200
    event = make_event(day=(now() + timedelta(days=10)).date(), title=title)
    assert client.post(f"/events/{event.id}/register", data=FORM).status_code == 302
    assert send_pending(db.session).sent == 1
    [message] = smtp_server.messages
    assert message["Subject"] == f"【申込を受け付けました】{title}"
    [mail] = outbox()
    assert mail.subject == f"【申込を受け付けました】{title}"[:200]
