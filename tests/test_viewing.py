"""On-demand viewing: the viewing period, the personal page /v/<token> and its counted
visits, unknown tokens, the link mailed once through a real SMTP server, and the way in
from the ticket page for people without e-mail."""
import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import EventFormat, EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.logmask import mask_secrets
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from eventsapp.surveys.models import SurveyInvitation
from eventsapp.viewing.mailing import queue_viewing_links
from eventsapp.viewing.models import Viewing
from eventsapp.viewing.service import Period, ViewingError, open_viewing, period_of, token_from_ticket, viewing_for

BROWSER = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
RECORDING = "https://www.youtube.com/watch?v=abcDEF12345"
FULL = {"q_satisfaction": "satisfied", "q_collaboration": "yes", "q_applicability": "yes"}


def person(name: str, email: str = "") -> PersonFields:
    return PersonFields(family_name=name, given_name="花子", family_kana="しちょう", given_kana="はなこ", email=email)


@pytest.fixture
def lecture(make_event):
    """A hybrid lecture held yesterday, whose recording can be watched from an hour ago for a week."""
    def make(*, opens=timedelta(hours=-1), closes=timedelta(days=7), url=RECORDING, **kw):
        start = now() - timedelta(days=1)
        return make_event(day=start.date(), format=EventFormat.HYBRID, on_demand_url=url,
                          viewing_opens_at=now() + opens if opens is not None else None,
                          viewing_closes_at=now() + closes if closes is not None else None, **kw)
    return make


def sign_up(event, name: str, email: str = "", mode=RegistrationMode.ON_DEMAND):
    return register(db.session, event_id=event.id, person=person(name, email), mode=mode,
                    source=RegistrationSource.STAFF).registration


def page_of(registration) -> str:
    viewing = viewing_for(db.session, registration)
    db.session.commit()
    return f"/v/{viewing.token}"


def views_of(registration) -> tuple[int, object, object]:
    db.session.expire_all()
    viewing = db.session.scalar(sa.select(Viewing).where(Viewing.registration_id == registration.id))
    return viewing.views, viewing.first_viewed_at, viewing.last_viewed_at


# --- the period -----------------------------------------------------------------------

def test_the_period_opens_at_its_start_and_closes_at_its_end(lecture):
    event = lecture()
    opens, closes = event.viewing_opens_at, event.viewing_closes_at
    assert period_of(event, opens - timedelta(seconds=1)) == Period.BEFORE
    assert period_of(event, opens) == Period.OPEN  # the opening moment included
    assert period_of(event, closes - timedelta(seconds=1)) == Period.OPEN
    assert period_of(event, closes) == Period.AFTER  # the closing moment excluded
    event.viewing_closes_at = None
    assert period_of(event, closes + timedelta(days=3650)) == Period.OPEN  # no end
    event.on_demand_url = ""
    assert period_of(event, opens) == Period.NOT_SET  # no recording, nothing to watch


# --- the page ---------------------------------------------------------------------------

def test_each_visit_in_the_period_is_counted(client, lecture):
    registration = sign_up(lecture(), "視聴", "view@example.jp")
    path = page_of(registration)
    assert views_of(registration) == (0, None, None)
    first = client.get(path, headers={"User-Agent": BROWSER})
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert f'href="{RECORDING.replace("&", "&amp;")}"' in html and "録画を視聴する" in html
    assert "視聴期間外です" not in html
    views, first_at, last_at = views_of(registration)
    assert views == 1 and first_at == last_at
    client.get(path, headers={"User-Agent": BROWSER})
    client.get(path, headers={"User-Agent": BROWSER})
    views, first_again, last_again = views_of(registration)
    assert views == 3 and first_again == first_at and last_again > first_at


def test_bots_prefetches_and_head_requests_see_the_page_but_are_not_counted(client, lecture):
    registration = sign_up(lecture(), "視聴", "view@example.jp")
    path = page_of(registration)
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                  "facebookexternalhit/1.1;line-poker/1.0", "curl/8.5.0", ""):
        assert client.get(path, headers={"User-Agent": agent}).status_code == 200
    assert client.get(path, headers={"User-Agent": BROWSER, "Sec-Purpose": "prefetch"}).status_code == 200
    assert client.head(path, headers={"User-Agent": BROWSER}).status_code == 200
    assert views_of(registration)[0] == 0


@pytest.mark.parametrize("opens, closes, status", [
    (timedelta(days=1), timedelta(days=8), 403),  # not yet
    (timedelta(days=-8), timedelta(hours=-1), 410),  # over
])
def test_outside_the_period_the_page_says_so_and_counts_nothing(client, lecture, opens, closes, status):
    registration = sign_up(lecture(opens=opens, closes=closes), "視聴", "view@example.jp")
    path = page_of(registration)
    answer = client.get(path, headers={"User-Agent": BROWSER})
    html = answer.get_data(as_text=True)
    assert answer.status_code == status
    assert "視聴期間外です" in html and RECORDING not in html and "録画を視聴する" not in html
    assert views_of(registration)[0] == 0


def test_a_period_not_set_yet_shows_no_recording(client, lecture):
    registration = sign_up(lecture(opens=None, closes=None, url=""), "視聴", "view@example.jp")
    answer = client.get(page_of(registration), headers={"User-Agent": BROWSER})
    assert answer.status_code == 403 and "視聴期間外です" in answer.get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 32, "short", "A" * 65, "%00" * 10])
def test_unknown_tokens_are_404(client, lecture, token):
    sign_up(lecture(), "視聴", "view@example.jp")
    assert client.get(f"/v/{token}", headers={"User-Agent": BROWSER}).status_code in (400, 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Viewing)) == 0


def test_a_draft_event_has_no_page_and_a_cancelled_one_shows_no_recording(client, lecture):
    event = lecture()
    registration = sign_up(event, "視聴", "view@example.jp")
    path = page_of(registration)
    set_event_status(db.session, event, EventStatus.DRAFT)
    assert client.get(path, headers={"User-Agent": BROWSER}).status_code == 404
    set_event_status(db.session, event, EventStatus.CANCELLED)
    answer = client.get(path, headers={"User-Agent": BROWSER})
    assert answer.status_code == 410 and RECORDING not in answer.get_data(as_text=True)
    assert views_of(registration)[0] == 0


def test_a_cancelled_registration_shows_no_recording(client, lecture):
    registration = sign_up(lecture(), "視聴", "view@example.jp")
    path = page_of(registration)
    cancel(db.session, registration_id=registration.id)
    answer = client.get(path, headers={"User-Agent": BROWSER})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 410 and "キャンセルされています" in html and RECORDING not in html
    assert views_of(registration)[0] == 0


def test_the_page_offers_the_persons_own_survey_link_until_answered(client, lecture):
    registration = sign_up(lecture(), "視聴", "view@example.jp")
    path = page_of(registration)
    html = client.get(path, headers={"User-Agent": BROWSER}).get_data(as_text=True)
    token = db.session.scalar(sa.select(SurveyInvitation.token).where(SurveyInvitation.registration_id == registration.id))
    assert f"https://events.example.jp/s/{token}" in html  # PUBLIC_BASE_URL, the person's own link
    assert client.post(f"/s/{token}", data=FULL).status_code == 302
    html = client.get(path, headers={"User-Agent": BROWSER}).get_data(as_text=True)
    assert "ご回答いただき、ありがとうございました" in html and f"/s/{token}" not in html


def test_concurrent_visits_all_count(app, lecture):
    """views = views + 1 in one UPDATE: visits at the same moment lose none."""
    registration = sign_up(lecture(), "視聴", "view@example.jp")
    token = page_of(registration).rsplit("/", 1)[1]
    errors = []

    def visit():
        try:
            with app.app_context():
                for _ in range(5):
                    open_viewing(db.session, token=token, user_agent=BROWSER)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert views_of(registration)[0] == 30  # 6 threads × 5 visits


def test_the_page_token_is_kept_out_of_the_logs():
    assert mask_secrets("GET /v/AbCdEfGhIjKlMnOpQrStUvWxYz012345 HTTP/1.1") == "GET /v/*** HTTP/1.1"
    assert mask_secrets("https://events.example.jp/v/tok_en?x=1") == "https://events.example.jp/v/***?x=1"
    assert mask_secrets("/api/v1/events /static/vendor/x.js") == "/api/v1/events /static/vendor/x.js"


# --- the mail -----------------------------------------------------------------------------

def test_the_link_is_mailed_once_when_the_period_opens(app, runner, client, lecture, smtp_server):
    event = lecture(opens=timedelta(hours=2))
    first = sign_up(event, "一番", "first@example.jp")
    sign_up(event, "電話のみ")  # no e-mail: the ticket page leads to the viewing page
    sign_up(event, "会場", "venue@example.jp", mode=RegistrationMode.IN_PERSON)
    gone = sign_up(event, "取消", "gone@example.jp")
    cancel(db.session, registration_id=gone.id)
    db.session.execute(sa.delete(OutboxMail))  # registration mails are not this test's subject
    db.session.commit()

    before = runner.invoke(args=["mail", "viewing"])
    assert before.exit_code == 0, before.output
    assert "events 0, mails queued 0" in before.output  # the period opens in two hours

    event.viewing_opens_at = now() - timedelta(minutes=1)
    db.session.commit()
    opened = runner.invoke(args=["mail", "viewing"])
    assert "events 1, mails queued 1, without e-mail 1" in opened.output
    assert "mails queued 0" in runner.invoke(args=["mail", "viewing"]).output  # cron again: nobody twice
    late = sign_up(event, "後から", "late@example.jp")  # registers while the period is open
    assert "mails queued 1" in runner.invoke(args=["mail", "viewing"]).output
    assert "mails queued 0" in runner.invoke(args=["mail", "viewing"]).output

    assert send_pending(db.session).sent == 2
    assert send_pending(db.session).sent == 0
    assert sorted(m["To"] for m in smtp_server.messages) == ["first@example.jp", "late@example.jp"]
    assert db.session.scalars(sa.select(OutboxMail.kind)).all() == [MailKind.VIEWING, MailKind.VIEWING]
    assert db.session.scalar(sa.select(Viewing.mailed_at).where(Viewing.registration_id == late.id)) is not None

    mail = next(m for m in smtp_server.messages if m["To"] == "first@example.jp")
    assert "オンデマンド配信のご案内" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "視聴期間" in body and RECORDING not in body  # the recording only on the personal page
    link = re.search(r"https?://\S+/v/[\w-]{20,}", body).group(0)
    assert link.startswith("https://events.example.jp/v/")  # written by cron: PUBLIC_BASE_URL
    assert link in mail.get_body(("html",)).get_content()
    answer = client.get(urlsplit(link).path, headers={"User-Agent": BROWSER})
    assert answer.status_code == 200 and RECORDING in answer.get_data(as_text=True)
    assert views_of(first)[0] == 1


def test_no_link_is_mailed_after_the_period_nor_for_a_cancelled_event(runner, lecture, make_series):
    over = lecture(opens=timedelta(days=-9), closes=timedelta(days=-2))
    sign_up(over, "終了", "over@example.jp")
    called_off = lecture(title="中止の回")
    sign_up(called_off, "中止", "off@example.jp")
    set_event_status(db.session, called_off, EventStatus.CANCELLED)
    db.session.execute(sa.delete(OutboxMail))
    db.session.commit()
    assert "events 0, mails queued 0" in runner.invoke(args=["mail", "viewing"]).output
    assert queue_viewing_links(db.session).mailed == 0


# --- the way in from the ticket page -------------------------------------------------------

def test_the_ticket_page_leads_to_the_same_viewing_page(client, lecture):
    registration = sign_up(lecture(), "電話のみ")  # no e-mail, so no mail with the link
    ticket = client.get(f"/r/{registration.manage_token}").get_data(as_text=True)
    assert "視聴ページを開く" in ticket and f"/r/{registration.manage_token}/watch" in ticket
    answer = client.get(f"/r/{registration.manage_token}/watch")
    assert answer.status_code == 302
    token = db.session.scalar(sa.select(Viewing.token).where(Viewing.registration_id == registration.id))
    assert urlsplit(answer.headers["Location"]).path == f"/v/{token}"
    assert client.get(f"/r/{registration.manage_token}/watch").headers["Location"] == answer.headers["Location"]
    assert token_from_ticket(db.session, manage_token=registration.manage_token) == token


def test_only_a_live_on_demand_registration_has_a_viewing_page(client, lecture):
    event = lecture()
    venue = sign_up(event, "会場", "venue@example.jp", mode=RegistrationMode.IN_PERSON)
    assert client.get(f"/r/{venue.manage_token}/watch").status_code == 404
    assert "視聴ページを開く" not in client.get(f"/r/{venue.manage_token}").get_data(as_text=True)
    assert client.get(f"/r/{'x' * 32}/watch").status_code == 404
    with pytest.raises(ViewingError) as refused:
        token_from_ticket(db.session, manage_token=venue.manage_token)
    assert refused.value.code == "not_on_demand"
