"""An online event's join link: mailed to its online participants only, in the
confirmation and the reminder, received by a real SMTP server; shown on their ticket page from
the day before; re-sent once, through the outbox, to whoever was mailed the old link; never on a
public page, in the API or in a calendar file."""
import re
from dataclasses import asdict
from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Event, EventFormat, EventStatus
from eventsapp.catalog.service import CatalogError, EventInput, save_event, set_event_status
from eventsapp.dates import now, to_tokyo
from eventsapp.extensions import db
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationStatus
from eventsapp.registration.online import join_url_on_page
from tests_support import logged_in_client

URL1 = "https://zoom.us/j/1111111111?pwd=first"
URL2 = "https://zoom.us/j/2222222222?pwd=second"
URL3 = "https://us02web.zoom.us/j/3333333333"


def person(name: str, kana: str, email: str, mode: str = "in_person") -> dict:
    return {"family_name": name, "given_name": "太郎", "family_kana": kana, "given_kana": "たろう",
            "email": email, "mode": mode, "consent": "y"}


def edit(event: Event, **changes) -> Event:
    """Save the event as the organizer's form would, with these fields changed."""
    data = EventInput(
        title=event.title, series_id=event.series_id, starts_at=event.starts_at, ends_at=event.ends_at,
        format=event.format, venue=event.venue, venue_address=event.venue_address, join_url=event.join_url,
        capacity=event.capacity, goals=[g.code for g in event.goals], scenes=[s.code for s in event.scenes],
    )
    return save_event(db.session, EventInput(**{**asdict(data), **changes}), event=event)


def texts_by_person(messages) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in messages:
        found.setdefault(message["To"], []).append(message.get_body(("plain",)).get_content())
    return found


def in_days(days: int) -> date:
    return to_tokyo(now()).date() + timedelta(days=days)


def test_only_online_participants_get_the_link(client, make_event, smtp_server):
    online = make_event(day=in_days(10), format=EventFormat.ONLINE, venue="", join_url=URL1, capacity=1,
                        title="オンライン研修")
    hybrid = make_event(day=in_days(10), format=EventFormat.HYBRID, join_url=URL2, title="公開講座")
    venue = make_event(day=in_days(10), join_url=URL3, title="会場の会")
    client.post(f"/events/{online.id}/register", data=person("大野", "おおの", "online@example.jp"))
    client.post(f"/events/{online.id}/register", data=person("待田", "まちだ", "waiting@example.jp"))  # waitlisted
    client.post(f"/events/{hybrid.id}/register", data=person("録画", "ろくが", "ondemand@example.jp", "on_demand"))
    client.post(f"/events/{hybrid.id}/register", data=person("来場", "らいじょう", "hall@example.jp"))
    client.post(f"/events/{venue.id}/register", data=person("会場", "かいじょう", "venue@example.jp"))
    assert send_pending(db.session).sent == 5

    mails = {m["To"]: m for m in smtp_server.messages}
    text = mails["online@example.jp"].get_body(("plain",)).get_content()
    assert f"■ 参加方法\nオンライン\n参加用URL（当日、開始時刻の少し前からご参加いただけます）：\n{URL1}\n" in text
    assert f'href="{URL1}"' in mails["online@example.jp"].get_body(("html",)).get_content()
    # No QR code for an online event: there is no door to show it at; the 受付番号 stays.
    assert not [p for p in mails["online@example.jp"].walk() if p.get_content_type() == "image/png"]
    registration = db.session.scalar(sa.select(Registration).where(Registration.event_id == online.id)
                                     .order_by(Registration.id))
    assert f"受付番号：{registration.id}\n" in text and registration.join_url_sent == URL1
    for address in ("waiting@example.jp", "ondemand@example.jp", "hall@example.jp", "venue@example.jp"):
        raw = mails[address].as_string()
        assert "zoom.us" not in raw, address
    assert "キャンセル待ち" in mails["waiting@example.jp"]["Subject"]
    # Only the online participant is recorded as having the link (a change re-sends to them alone).
    sent = db.session.execute(sa.select(Registration.event_id, Registration.join_url_sent).order_by(Registration.id))
    assert [tuple(row) for row in sent] == [(online.id, URL1), (online.id, None), (hybrid.id, None), (hybrid.id, None),
                                            (venue.id, None)]


def test_a_changed_link_goes_once_to_whoever_had_the_old_one(client, runner, make_event, smtp_server):
    event = make_event(day=in_days(10), format=EventFormat.ONLINE, venue="")
    client.post(f"/events/{event.id}/register", data=person("青木", "あおき", "a@example.jp"))  # before any link
    event = edit(event, join_url=URL1)  # nobody had a link: nothing re-sent
    client.post(f"/events/{event.id}/register", data=person("馬場", "ばば", "b@example.jp"))  # gets URL1
    cancelled = client.post(f"/events/{event.id}/register", data=person("千葉", "ちば", "c@example.jp"))
    client.post(cancelled.headers["Location"] + "/cancel")  # got URL1, then cancelled
    assert [k.value for k in db.session.scalars(sa.select(OutboxMail.kind).order_by(OutboxMail.id))] == [
        "confirmation", "confirmation", "confirmation", "cancelled"]

    event = edit(db.session.get(Event, event.id), join_url=URL2)
    event = edit(event, join_url=URL2, title="オンライン研修（改題）")  # saved again: nothing new
    assert runner.invoke(args=["mail", "remind", "--day", in_days(10).isoformat()]).exit_code == 0
    event = edit(event, join_url=URL3)
    send_pending(db.session)

    got = texts_by_person(smtp_server.messages)
    a, b, c = got["a@example.jp"], got["b@example.jp"], got["c@example.jp"]
    assert "参加用URLは、開催前日のご案内メールと、参加票のページでお知らせします。" in a[0]
    assert [URL1 in t for t in b] == [True, False, False, False] and URL2 in b[1] and URL2 in b[2]
    # a: confirmation (no link yet), reminder (URL2), change (URL3); b: one mail per link.
    assert [sum(url in t for t in a) for url in (URL1, URL2, URL3)] == [0, 1, 1]
    assert [sum(url in t for t in b) for url in (URL1, URL2, URL3)] == [1, 2, 1]
    assert len(c) == 2 and not any(URL2 in t or URL3 in t for t in c)
    changes = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == MailKind.JOIN_URL)
                                 .order_by(OutboxMail.id)).all()
    assert [m.to_address for m in changes] == ["b@example.jp", "a@example.jp", "b@example.jp"]
    assert all(m.subject.startswith("【オンライン参加用URLが変わりました】") for m in changes)
    assert "以前のメールのURLではなく、このメールのURLから参加してください。" in changes[-1].body_text
    assert set(db.session.scalars(sa.select(Registration.join_url_sent)
                                  .where(Registration.status == RegistrationStatus.REGISTERED))) == {URL3}


def test_no_re_send_after_the_event_or_when_it_is_no_longer_online(client, make_event):
    running = make_event(starts_at=now() - timedelta(hours=3), ends_at=now() - timedelta(hours=1),
                         format=EventFormat.ONLINE, venue="", join_url=URL1)
    coming = make_event(day=in_days(5), format=EventFormat.ONLINE, venue="", join_url=URL1, title="次回")
    for event in (running, coming):
        db.session.add(Registration(event_id=event.id, person_id=make_person(event.id).id, mode=RegistrationMode.IN_PERSON,
                                    ticket_token=f"t{event.id}" * 8, manage_token=f"m{event.id}" * 8,
                                    join_url_sent=URL1))
    db.session.commit()
    edit(running, join_url=URL2)  # ended an hour ago
    edit(coming, join_url=URL2, format=EventFormat.IN_PERSON, venue="市役所")  # now held at a venue
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def make_person(n: int):
    from eventsapp.people.models import Person

    found = Person(family_name=f"参加{n}", family_kana="サンカ", email=f"p{n}@example.jp")
    db.session.add(found)
    db.session.flush()
    return found


@pytest.mark.parametrize("moment, shown", [
    (datetime(2026, 12, 9, 14, 59, 59, tzinfo=timezone.utc), False),  # 12-09 23:59:59 Tokyo, two days before
    (datetime(2026, 12, 9, 15, 0, 0, tzinfo=timezone.utc), True),  # 12-10 00:00 Tokyo, the day before
    (datetime(2026, 12, 11, 11, 0, tzinfo=timezone.utc), True),  # after the event: still on the page
])
def test_the_ticket_page_shows_the_link_from_the_day_before(make_event, moment, shown):
    event = make_event(day=date(2026, 12, 11), start=time(18, 30), format=EventFormat.ONLINE, venue="", join_url=URL1)
    registration = Registration(event_id=event.id, person_id=make_person(1).id, mode=RegistrationMode.IN_PERSON,
                                ticket_token="t" * 32, manage_token="m" * 32)
    db.session.add(registration)
    db.session.flush()
    assert join_url_on_page(registration, moment=moment) == (URL1 if shown else "")
    registration.status = RegistrationStatus.WAITLISTED
    assert join_url_on_page(registration, moment=moment) == ""
    registration.status = RegistrationStatus.REGISTERED
    set_event_status(db.session, event, EventStatus.CANCELLED)
    assert join_url_on_page(registration, moment=moment) == ""


def test_the_ticket_page_before_and_from_the_day_before(client, make_event):
    tomorrow = make_event(day=in_days(1), format=EventFormat.ONLINE, venue="", join_url=URL1, title="明日")
    later = make_event(day=in_days(10), format=EventFormat.ONLINE, venue="", join_url=URL2, title="後日")
    soon = client.get(client.post(f"/events/{tomorrow.id}/register", data=person("大野", "おおの", "o@example.jp"))
                      .headers["Location"]).text
    assert f'href="{URL1}"' in soon and "オンラインで参加する" in soon and "<svg" not in soon  # no QR code
    page = client.get(client.post(f"/events/{later.id}/register", data=person("大野", "おおの", "o@example.jp"))
                      .headers["Location"]).text
    assert URL2 not in page and "zoom.us" not in page
    day_before = to_tokyo(later.starts_at).date() - timedelta(days=1)
    era_year = day_before.year - 2018  # 令和
    assert f"開催前日（令和{era_year}年{day_before.month}月{day_before.day}日(" in page


def test_the_link_is_never_public(app, client, make_event, make_user, bearer):
    event = make_event(day=in_days(10), format=EventFormat.ONLINE, venue="", join_url=URL1)
    pages = [client.get(path) for path in ("/", f"/events/{event.id}", f"/events/{event.id}/calendar.ics",
                                           "/calendar.ics", f"/events/{event.id}/register")]
    headers = bearer(Role.ORGANIZER)
    api = [client.get(path, headers=headers) for path in
           (f"/api/v1/events/{event.id}", f"/api/v1/events?fiscal_year={event.fiscal_year}")]
    for response in pages + api:
        assert response.status_code == 200, response.request.path
        assert b"zoom.us" not in response.data and b"1111111111" not in response.data, response.request.path
    assert "join_url" not in api[0].json
    # Only the organizer's own edit form shows it.
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert URL1.replace("&", "&amp;") in organizer.get(f"/admin/events/{event.id}/edit").text


@pytest.mark.parametrize("url", [
    "http://zoom.us/j/1",  # not https
    "zoom.us/j/1",  # no scheme
    "javascript:alert(1)",
    "https://zoom.us/j/1 2",  # a space inside
    "https:///j/1",  # no host
    "https://zoom.us/j/" + "1" * 483,  # 501 characters
])
def test_a_join_link_must_be_an_https_url(make_event, url):
    event = make_event(day=in_days(10), format=EventFormat.ONLINE, venue="")
    with pytest.raises(CatalogError) as refused:
        edit(event, join_url=url)
    assert (refused.value.code, refused.value.field) == ("join_url_invalid", "join_url")
    db.session.rollback()
    assert edit(db.session.get(Event, event.id), join_url="https://zoom.us/j/" + "1" * 482).join_url.endswith("1" * 482)


def test_the_organizer_sets_the_link_and_the_address_on_the_form(app, make_user, make_series):
    series = make_series()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    base = {"title": "オンライン研修", "series_id": series.id, "day": "2026-12-11", "start_time": "18:30",
            "end_time": "20:00", "format": "online", "goals": ["collaboration"], "scenes": ["daily"]}
    refused = organizer.post("/admin/events/new", data={**base, "join_url": "zoom.us/j/1"})
    assert refused.status_code == 422 and "参加用URLは https:// で始まるURLを500文字以内で入力してください。" in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    saved = organizer.post("/admin/events/new", data={**base, "join_url": f" {URL1} ",
                                                      "venue_address": "流山市平和台1-1-1"})
    assert saved.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert (event.join_url, event.venue_address) == (URL1, "流山市平和台1-1-1")
    form = organizer.get(f"/admin/events/{event.id}/edit").text
    assert re.search(r'name="venue_address"[^>]*value="流山市平和台1-1-1"', form)
