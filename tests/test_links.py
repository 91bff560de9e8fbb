"""Every absolute link the application writes starts with PUBLIC_BASE_URL, whatever Host
the request carried: a forged Host must not put a person's manage link on another site."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.outbox import send_pending
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration

BASE = "https://events.example.jp"  # PUBLIC_BASE_URL of the test app (conftest.py)
EVIL = "evil.example"
FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}
SATO = {**FORM, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp"}
LINK = re.compile(r"https?://[^\s\"'<>]+")


def mail_texts(message) -> str:
    """Every text of a mail, attachments included (the .ics carries a URL and a UID)."""
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "multipart" or part.get_content_type() == "image/png":
            continue
        content = part.get_content()
        parts.append(content.decode() if isinstance(content, bytes) else content)
    return "\n".join(parts)


def manage_token_of(email: str) -> str:
    return db.session.scalar(sa.select(Registration.manage_token).join(Registration.person).where(Person.email == email))


def assert_links_on_base(text: str, token: str) -> None:
    assert EVIL not in text
    assert f"{BASE}/r/{token}" in text
    assert all(link.startswith(BASE + "/") for link in LINK.findall(text)), LINK.findall(text)


def test_already_registered_mail_ignores_a_forged_host(client, make_event, smtp_server):
    """Attack (a): the registration form posted again with someone else's address and a
    forged Host; the mail re-sends that person's ticket, and its manage link."""
    event = make_event(day=(now() + timedelta(days=10)).date())
    client.post(f"/events/{event.id}/register", data=FORM)
    send_pending(db.session)
    answer = client.post(f"/events/{event.id}/register", data=FORM, headers={"Host": EVIL})
    assert answer.status_code == 200  # "already registered", a page that holds no link
    send_pending(db.session)
    resent = smtp_server.messages[-1]
    assert "すでにお申込み済み" in resent["Subject"]
    assert_links_on_base(mail_texts(resent), manage_token_of("hanako@example.jp"))
    ics = next(part for part in resent.walk() if (part.get_filename() or "").endswith(".ics"))
    entry = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert str(entry["uid"]) == f"event-{event.id}@events.example.jp"


def test_promotion_mail_ignores_a_forged_host(client, make_event, smtp_server):
    """Attack (b): someone cancels their own seat with a forged Host; the person promoted
    from the waitlist is mailed their link."""
    event = make_event(day=(now() + timedelta(days=10)).date(), capacity=1)
    client.post(f"/events/{event.id}/register", data=FORM)
    client.post(f"/events/{event.id}/register", data=SATO)  # waitlisted
    send_pending(db.session)
    own = manage_token_of("hanako@example.jp")
    assert client.post(f"/r/{own}/cancel", headers={"Host": EVIL}).status_code == 302
    send_pending(db.session)
    promoted = smtp_server.messages[-1]
    assert promoted["To"] == "sato@example.jp" and "繰り上げ" in promoted["Subject"]
    assert_links_on_base(mail_texts(promoted), manage_token_of("sato@example.jp"))


@pytest.mark.parametrize("path", ["/events/{id}/calendar.ics", "/r/{token}/calendar.ics"])
def test_calendar_files_ignore_a_forged_host(client, make_event, path):
    event = make_event(day=(now() + timedelta(days=10)).date())
    client.post(f"/events/{event.id}/register", data=FORM)
    answer = client.get(path.format(id=event.id, token=manage_token_of("hanako@example.jp")), headers={"Host": EVIL})
    entry = Calendar.from_ical(answer.data).walk("VEVENT")[0]
    assert str(entry["url"]) == f"{BASE}/events/{event.id}"
    assert str(entry["uid"]) == f"event-{event.id}@events.example.jp"
