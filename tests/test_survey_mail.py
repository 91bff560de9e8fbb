"""`flask --app eventsapp surveys send`: the personal link goes to attendees only (checked
in, or on-demand registrants), once, received by a real SMTP server; the link works."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from eventsapp.surveys.models import Survey

FULL = {"q_satisfaction": "satisfied", "q_collaboration": "yes", "q_applicability": "yes"}


def person(name: str, email: str = "") -> PersonFields:
    return PersonFields(family_name=name, family_kana="さんか", email=email)


def test_attendees_get_their_link_once(app, runner, client, make_event, smtp_server):
    from eventsapp.catalog.models import EventFormat

    event = make_event(day=(now() - timedelta(days=1)).date(), format=EventFormat.HYBRID)
    upcoming = make_event(day=(now() + timedelta(days=5)).date(), title="これから")

    def add(name, email, mode=RegistrationMode.IN_PERSON, event_id=event.id, came=False):
        reg = register(db.session, event_id=event_id, person=person(name, email), mode=mode,
                       source=RegistrationSource.STAFF).registration
        if came:
            db.session.add(CheckIn(registration_id=reg.id, method=CheckInMethod.QR))
            db.session.commit()
        return reg

    add("来場", "came@example.jp", came=True)
    add("録画", "ondemand@example.jp", mode=RegistrationMode.ON_DEMAND)
    add("欠席", "absent@example.jp")
    add("電話のみ", "", came=True)
    cancelled = add("取消", "cancelled@example.jp", came=True)
    cancel(db.session, registration_id=cancelled.id)
    add("未開催", "future@example.jp", event_id=upcoming.id, came=True)
    db.session.query(OutboxMail).delete()  # registration mails are not this test's subject
    db.session.commit()

    first = runner.invoke(args=["surveys", "send"])
    assert first.exit_code == 0, first.output
    assert "events 1, mails queued 2, without e-mail 1" in first.output
    second = runner.invoke(args=["surveys", "send"])
    assert "mails queued 0" in second.output
    assert send_pending(db.session).sent == 2
    assert sorted(m["To"] for m in smtp_server.messages) == ["came@example.jp", "ondemand@example.jp"]
    assert runner.invoke(args=["surveys", "send", "--event", str(event.id)]).output.count("mails queued 0") == 1
    assert send_pending(db.session).sent == 0
    kinds = db.session.scalars(sa.select(OutboxMail.kind)).all()
    assert kinds == [MailKind.SURVEY, MailKind.SURVEY]

    mail = next(m for m in smtp_server.messages if m["To"] == "came@example.jp")
    assert "アンケートのお願い" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "お問い合わせ先\n在宅医療・介護連携推進事業 事務局\n電話：000-000-0000\n" in body  # the default contact
    link = re.search(r"https?://\S+/s/[\w-]{20,}", body).group(0)
    path = urlsplit(link).path  # written by cron: PUBLIC_BASE_URL
    assert client.get(path).status_code == 200
    assert client.post(path, data=FULL).status_code == 302
    assert client.post(path, data=FULL).status_code == 409


def test_a_closed_survey_mails_nobody(app, runner, make_event):
    event = make_event(day=(now() - timedelta(days=2)).date())
    reg = register(db.session, event_id=event.id, person=person("来場", "came@example.jp"),
                   mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF).registration
    db.session.add(CheckIn(registration_id=reg.id, method=CheckInMethod.QR))
    survey = db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))
    survey.closes_at = now() - timedelta(hours=1)
    db.session.commit()
    assert "events 0, mails queued 0" in runner.invoke(args=["surveys", "send"]).output
