"""The mail outbox against a real SMTP server (aiosmtpd on loopback): mails are queued in
the business transaction, sent after commit, kept on failure, never sent twice."""
import secrets
import threading
from datetime import timedelta

import png
import pytest
import qrcode
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from icalendar import Calendar

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import SendReport, queue_mail, send_pending
from eventsapp.people.models import Person
from eventsapp.registration.mails import queue_registration_mail, registration_mail
from eventsapp.registration.models import Registration, RegistrationMode
from eventsapp.registration.tickets import QR_BOX_PIXELS, ticket_png
from tests_support import Inbox

PAGE_URL = "https://events.example.jp/r/xyz"
SCHEDULE = "令和7年7月11日(金)18:30～20:20"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"



@pytest.mark.parametrize("token", ["abc", secrets.token_urlsafe(24), secrets.token_urlsafe(48)])
def test_the_ticket_png_draws_every_module_of_the_tokens_qr_code(token):
    """Read back pixel by pixel: each module is a black or white square of QR_BOX_PIXELS."""
    code = qrcode.QRCode(box_size=QR_BOX_PIXELS)
    code.add_data(token)
    modules = code.get_matrix()
    width, height, rows, info = png.Reader(bytes=ticket_png(token)).read()
    assert (width, height) == (len(modules) * QR_BOX_PIXELS,) * 2
    assert (info["greyscale"], info["bitdepth"]) == (True, 1)
    expected = [[0 if dark else 1 for dark in row for _ in range(QR_BOX_PIXELS)]
                for row in modules for _ in range(QR_BOX_PIXELS)]
    assert [list(row) for row in rows] == expected
    assert any(dark for row in modules for dark in row) and not all(dark for row in modules for dark in row)

def make_registration(event, *, email_address: str = "hanako@example.jp", name: str = "山田", **kw) -> Registration:
    person = Person(family_name=name, given_name="花子", family_kana="ヤマダ", given_kana="ハナコ", email=email_address)
    db.session.add(person)
    db.session.flush()
    registration = Registration(
        event_id=event.id, person_id=person.id, mode=kw.pop("mode", RegistrationMode.IN_PERSON),
        ticket_token=secrets.token_urlsafe(24), manage_token=secrets.token_urlsafe(24), **kw,
    )
    db.session.add(registration)
    db.session.flush()
    return registration


def queue_plain(n: int, **kw) -> OutboxMail | None:
    return queue_mail(db.session, to=f"person{n}@example.jp", subject=f"お知らせ {n}", text=f"本文 {n}",
                      html=f"<p>本文 {n}</p>", kind=MailKind.REMINDER, **kw)


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()


def parts(message) -> dict[str, object]:
    """The leaf parts of a message by content type (attachments by file name)."""
    found = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        found[part.get_filename() or part.get_content_type()] = part
    return found


def test_a_confirmation_is_queued_with_the_registration_and_arrives_complete(make_event, smtp_server):
    event = make_event(venue="市役所 <第1会議室>")
    registration = make_registration(event)
    queue_registration_mail(db.session, registration, kind="confirmation")
    db.session.commit()
    page_url = f"https://events.example.jp/r/{registration.manage_token}"  # PUBLIC_BASE_URL's, written at sending

    assert send_pending(db.session) == SendReport(sent=1, failed=0, remaining=0)

    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "jimukyoku@example.jp"
    assert envelope.rcpt_tos == ["hanako@example.jp"]
    # The Japanese subject travels as RFC 2047 words and decodes back intact.
    raw_subject = next(line for line in envelope.content.split(b"\r\n") if line.startswith(b"Subject:"))
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject
    [message] = smtp_server.messages
    assert message["Subject"] == "【申込を受け付けました】ICTを活用した多職種連携について"
    found = parts(message)
    text, html = found["text/plain"].get_content(), found["text/html"].get_content()
    for body in (text, html):
        assert "申込を受け付けました" in body or "お申込みを受け付けました" in body
        assert "ICTを活用した多職種連携について" in body and SCHEDULE in body and page_url in body
    assert "市役所 <第1会議室>" in text
    assert "市役所 &lt;第1会議室&gt;" in html and "<第1会議室>" not in html  # autoescaped
    assert found["ticket.png"].get_content_type() == "image/png"
    assert found["ticket.png"].get_content().startswith(PNG_MAGIC)
    [ics_name] = [name for name in found if name.endswith(".ics")]
    calendar = Calendar.from_ical(found[ics_name].get_content())
    [vevent] = calendar.walk("VEVENT")
    assert "ICTを活用した多職種連携について" in str(vevent["summary"])
    assert vevent.decoded("dtstart") == event.starts_at
    assert str(vevent["url"]) == page_url


def test_a_mail_is_part_of_the_callers_transaction(make_event):
    event = make_event()
    registration = make_registration(event)
    queue_registration_mail(db.session, registration, kind="confirmation")
    db.session.rollback()  # the registration failed: its mail never existed
    assert outbox() == []


@pytest.mark.parametrize("kind", list(MailKind))
def test_every_kind_names_the_event_its_date_and_the_manage_link(make_event, kind):
    registration = make_registration(make_event())
    content = registration_mail(registration, kind=kind, page_url=PAGE_URL)
    assert set(content) == {"subject", "text", "html", "attachments"}
    assert "ICTを活用した多職種連携について" in content["subject"]
    for body in (content["text"], content["html"]):
        assert "ICTを活用した多職種連携について" in body and SCHEDULE in body and PAGE_URL in body
        assert "山田 花子 様" in body
    files = {item["filename"] for item in content["attachments"]}
    assert ("ticket.png" in files) == (kind in {"confirmation", "promoted", "reminder", "already_registered"})
    assert any(f.endswith(".ics") for f in files) == (kind in {"confirmation", "promoted", "already_registered"})


def test_an_on_demand_registration_gets_no_qr_code(make_event):
    from eventsapp.catalog.models import EventFormat

    event = make_event(format=EventFormat.HYBRID)
    registration = make_registration(event, mode=RegistrationMode.ON_DEMAND)
    content = registration_mail(registration, kind="confirmation", page_url=PAGE_URL)
    assert [item["mimetype"] for item in content["attachments"]] == ["text/calendar"]
    assert "オンデマンド" in content["text"]


def test_a_person_without_email_gets_no_mail(make_event):
    registration = make_registration(make_event(), email_address="")
    assert queue_registration_mail(db.session, registration, kind="confirmation") is None
    db.session.commit()
    assert outbox() == []


def test_smtp_down_keeps_the_mail_and_the_next_run_sends_it_once(mail_config, make_event):
    registration = make_registration(make_event())
    queue_registration_mail(db.session, registration, kind="reminder")
    db.session.commit()

    assert send_pending(db.session) == SendReport(sent=0, failed=1, remaining=1)  # nothing listens
    [mail] = outbox()
    assert mail.attempts == 1 and mail.sent_at is None and mail.claimed_until is None
    assert "Connection" in mail.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=mail_config["MAIL_PORT"])
    controller.start()
    try:
        assert send_pending(db.session) == SendReport(sent=1, failed=0, remaining=0)
        assert send_pending(db.session) == SendReport(sent=0, failed=0, remaining=0)
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    [mail] = outbox()
    assert mail.attempts == 2 and mail.sent_at is not None and mail.registration_id == registration.id


def test_a_refused_mail_does_not_hold_back_the_others(smtp_server):
    smtp_server.refused.add("person1@example.jp")
    for n in (1, 2, 3):
        queue_plain(n)
    db.session.commit()
    assert send_pending(db.session) == SendReport(sent=2, failed=1, remaining=1)
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == ["person2@example.jp", "person3@example.jp"]
    refused = next(m for m in outbox() if m.sent_at is None)
    assert refused.to_address == "person1@example.jp" and "550" in refused.last_error


def test_a_dedupe_key_is_queued_once(make_event):
    registration = make_registration(make_event())
    key = f"reminder:{registration.id}"
    assert queue_plain(1, dedupe_key=key, registration_id=registration.id) is not None
    assert queue_plain(2, dedupe_key=key) is None  # same transaction: no error, nothing added
    assert queue_plain(3) is not None  # the transaction goes on
    db.session.commit()
    assert queue_plain(4, dedupe_key=key) is None  # a second run of the job
    db.session.commit()
    assert [(m.subject, m.dedupe_key) for m in outbox()] == [("お知らせ 1", key), ("お知らせ 3", None)]


def test_a_live_claim_is_respected_and_an_expired_one_is_not(smtp_server):
    queue_plain(1)
    db.session.commit()
    [mail] = outbox()
    mail.claimed_until = now() + timedelta(minutes=1)  # another sender is on it
    db.session.commit()
    assert send_pending(db.session) == SendReport(sent=0, failed=0, remaining=1)
    [mail] = outbox()
    mail.claimed_until = now() - timedelta(seconds=1)  # that sender died
    db.session.commit()
    assert send_pending(db.session) == SendReport(sent=1, failed=0, remaining=0)
    assert len(smtp_server.envelopes) == 1


def test_concurrent_senders_never_deliver_a_mail_twice(app, smtp_server):
    count = 40
    for n in range(count):
        queue_plain(n)
    db.session.commit()
    start = threading.Barrier(3)
    reports: list[SendReport] = []

    def sender() -> None:
        with app.app_context():
            start.wait()
            while True:
                report = send_pending(db.session, limit=4)
                reports.append(report)
                if report.sent + report.failed == 0:
                    break
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    subjects = [message["Subject"] for message in smtp_server.messages]
    assert len(subjects) == count == len(set(subjects))
    assert sum(r.sent for r in reports) == count and sum(r.failed for r in reports) == 0
    assert all(m.sent_at is not None and m.attempts == 1 for m in outbox())


def test_the_cli_sends_and_prints_a_summary(runner, smtp_server):
    for n in (1, 2, 3):
        queue_plain(n)
    db.session.commit()
    result = runner.invoke(args=["mail", "send", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2, failed 0, waiting 1"
    result = runner.invoke(args=["mail", "send"])
    assert result.output.strip() == "sent 1, failed 0, waiting 0"
    assert len(smtp_server.envelopes) == 3


def test_a_subject_longer_than_its_column_is_cut_not_refused(app, make_event):
    """A survey or viewing mail of an event whose title nears its 200 characters: 【…】 makes the
    subject longer than the outbox's column, which PostgreSQL would refuse (and the mailing
    with it); the subject is cut to the column instead."""
    title = "在" * 200  # the longest title an event may have
    subject = f"【アンケートのお願い】{title}"
    assert len(subject) == 211
    mail = queue_mail(db.session, to="a@example.jp", subject=subject, text="本文", html="<p>本文</p>",
                      kind=MailKind.SURVEY)
    db.session.commit()
    stored = db.session.scalar(sa.select(OutboxMail.subject).where(OutboxMail.id == mail.id))
    assert stored == subject[:200] and stored.startswith("【アンケートのお願い】在")
