"""The mails of registration, received by a real SMTP server: confirmation with the 受付番号,
the QR code inline and attached, the .ics, one link and the 事務局's contact; the re-sent ticket,
cancellation, the promotion of the first waitlisted, and no mail for a paper list typed in
after the event.

Issue 17 changed these mails on purpose: the 受付番号 in large type, the QR code shown inside
the HTML (cid:) as well as attached, one link 「参加票の表示・キャンセル」 instead of the same
link under two names, the 事務局's contact at the end, and the venue's address with a map
link. The expectations below were rewritten for that, the plain text word for word."""
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.registration.tickets import ticket_png

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}
SATO = {**FORM, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp"}


CONTACT = {"name": "流山市 在宅医療・介護連携推進事業 事務局", "phone": "04-7150-6081", "email": "renkei@example.lg.jp"}


@pytest.fixture
def contact(app):
    saved = app.config["ORGANIZER_CONTACT"]
    app.config["ORGANIZER_CONTACT"] = CONTACT
    yield CONTACT
    app.config["ORGANIZER_CONTACT"] = saved


def attachments(message) -> dict:
    return {part.get_filename(): part for part in message.walk() if part.get_filename()}


def inline_images(message) -> dict:
    """The images shown inside the HTML: parts with a Content-ID, by that id without <>."""
    return {part["Content-ID"].strip("<>"): part for part in message.walk() if part["Content-ID"]}


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def test_an_address_typed_in_full_width_is_stored_and_mailed_in_half_width(client, make_event, smtp_server):
    """A Japanese keyboard in full-width mode types 'ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ': that is the
    address the person means, and the only one a mail can reach."""
    event = make_event(day=(now() + timedelta(days=10)).date())
    typed = {**FORM, "email": " ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ ", "phone": "０４－７１５０－６０８１"}
    assert client.post(f"/events/{event.id}/register", data=typed).status_code == 302
    person = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)).one().person
    assert (person.email, person.phone) == ("hanako@example.jp", "04-7150-6081")
    # The same person again, in half width: recognised, and the ticket goes again to that address.
    client.post(f"/events/{event.id}/register", data=FORM)
    assert send_pending(db.session).sent == 2
    assert [message["To"] for message in smtp_server.messages] == ["hanako@example.jp", "hanako@example.jp"]
    assert "すでにお申込み済み" in smtp_server.messages[1]["Subject"]


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
    from eventsapp.registration.service import cancel

    event = make_event(day=date(2026, 12, 1), capacity=5, venue_address="流山市平和台1-1-1")
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
    # The reminder repeats the venue with its address and a map link, and the 受付番号.
    text = plain(reminders[0])
    assert "市役所 第1会議室\n所在地：流山市平和台1-1-1\n地図：https://www.google.com/maps/search/" in text
    assert f"受付番号　{regs[0].id}\n" in text or f"受付番号　{regs[1].id}\n" in text


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


def test_a_confirmation_shows_the_number_the_inline_qr_one_link_and_the_contact(client, make_event, smtp_server,
                                                                                contact):
    from eventsapp.dates import format_schedule  # its 和暦 is tested in test_dates.py

    event = make_event(day=(now() + timedelta(days=10)).date(), venue_address="流山市平和台1-1-1 市役所第1庁舎3階")
    page = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    registration = db.session.scalar(sa.select(Registration))
    assert send_pending(db.session).sent == 1
    [message] = smtp_server.messages
    url = f"https://events.example.jp{page}"

    text = plain(message)
    map_link = re.search(r"^地図：(\S+)$", text, re.M).group(1)
    parts = urlsplit(map_link)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", "www.google.com", "/maps/search/")
    assert parse_qs(parts.query) == {"api": ["1"], "query": ["流山市平和台1-1-1 市役所第1庁舎3階"]}
    assert text.rstrip("\n") == f"""山田 花子 様

在宅医療・介護連携推進事業の事務局です。
次のイベントへのお申込みを受け付けました。

━━━━━━━━━━━━━━━━
　受付番号　{registration.id}
━━━━━━━━━━━━━━━━
当日は会場の受付で、参加票の QR コードをお見せください。
QR コードは、添付の画像（ticket.png）と、下の「参加票の表示・キャンセル」のページにあります。
QR コードが読み取れないときは、受付番号をお伝えください。

■ イベント
介護と医療をつむぐ会「ICTを活用した多職種連携について」

■ 日時
{format_schedule(event.starts_at, event.ends_at)}

■ 会場
市役所 第1会議室
所在地：流山市平和台1-1-1 市役所第1庁舎3階
地図：{map_link}

■ 参加票の表示・キャンセル
{url}
（このリンクはご本人専用です。ほかの方に知らせないでください。）

――――――――――――――――
お問い合わせ先
流山市 在宅医療・介護連携推進事業 事務局
電話：04-7150-6081
メール：renkei@example.lg.jp

このメールは送信専用です。ご返信いただいてもお答えできませんので、上のお問い合わせ先へご連絡ください。
お心当たりのない場合は、お手数ですが破棄してください。"""

    body = html(message)
    # The 受付番号 in large type (at least twice the body's 16px).
    size = re.search(rf'font-size: (\d+)px[^"]*">{registration.id}</p>', body).group(1)
    assert int(size) >= 32
    # The QR code shown inside the HTML is the ticket's, and the same image is attached.
    [cid] = re.findall(r'<img src="cid:([^"]+)"', body)
    drawn = ticket_png(registration.ticket_token)
    assert inline_images(message)[cid].get_content() == drawn
    assert inline_images(message)[cid].get_filename() is None  # not listed a second time as a file
    assert attachments(message)["ticket.png"].get_content() == drawn
    # One link to the person's page, clearly named; the contact with a tel: link.
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', body)
    assert [(href, label) for href, label in links if "events.example.jp" in href] == [(url, "参加票の表示・キャンセル")]
    assert body.count(url) == 1 and text.count(url) == 1
    assert "流山市 在宅医療・介護連携推進事業 事務局" in body and 'href="tel:0471506081"' in body
    assert 'href="mailto:renkei@example.lg.jp"' in body


def test_every_mail_names_the_contact(client, make_event, smtp_server, contact):
    event = make_event(day=(now() + timedelta(days=10)).date(), capacity=1)
    manage = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    client.post(f"/events/{event.id}/register", data=SATO)  # waitlisted
    client.post(manage + "/cancel")  # cancelled, and Sato promoted
    assert send_pending(db.session).sent == 4
    subjects = [m["Subject"][:10] for m in smtp_server.messages]
    assert subjects == ["【申込を受け付けまし", "【キャンセル待ちで受", "【キャンセルを受け付", "【繰り上げでご参加い"]
    for message in smtp_server.messages:
        for body in (plain(message), html(message)):
            assert all(value in body for value in CONTACT.values()), message["Subject"]


def test_staff_adding_someone_after_the_event_sends_no_mail(make_event, smtp_server):
    """A paper list typed in after the event mails nobody; staff adding someone before the
    end (also while the event runs) send the usual confirmation."""
    from tests_support import under_way

    ended = make_event(day=(now() - timedelta(days=2)).date(), title="終わった会")
    just_ended = make_event(starts_at=now() - timedelta(hours=2), ends_at=now() - timedelta(minutes=1), title="直後")
    running = make_event(**under_way(), title="開催中")
    coming = make_event(day=(now() + timedelta(days=3)).date(), title="これから")
    hanako = PersonFields(family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ",
                          email="hanako@example.jp")

    def add(event):
        return register(db.session, event_id=event.id, person=hanako, mode=RegistrationMode.IN_PERSON,
                        source=RegistrationSource.STAFF)

    assert add(ended).created and add(just_ended).created
    assert not add(ended).created  # again: "already registered", and still no mail
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    running_reg, coming_reg = add(running).registration, add(coming).registration
    assert send_pending(db.session).sent == 2
    by_title = {m["Subject"].split("】")[1]: m for m in smtp_server.messages}
    assert set(by_title) == {"開催中", "これから"}
    for title, registration in (("開催中", running_reg), ("これから", coming_reg)):
        assert f"受付番号　{registration.id}" in plain(by_title[title])
        assert "ticket.png" in attachments(by_title[title])
