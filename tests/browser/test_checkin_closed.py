"""Outside the door's hours (eventsapp/checkin/window.py) the scanner page says when the door
opens, or that it has closed, in place of the scanner: no camera, no script, no queue."""
from contextlib import contextmanager
from datetime import date, time

import pytest
from sqlalchemy import select
from test_checkin_scanner import keys_in_store, put_in_store
from test_registration_flow import violations

from checkin_door import (  # noqa: F401
    RECEPTION,
    RECEPTION_PASSWORD,
    checkin_of,
    door_context,
    enter_number,
    make_door,
    no_console_errors,
)
from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from server import log_in

pytestmark = pytest.mark.browser


def published_event(live_app, title: str, day: date, start: time, end: time) -> int:
    with live_app.app_context():
        series = db.session.scalar(select(Series).where(Series.name == "市民公開講座"))
        event = save_event(db.session, EventInput(
            title=title, series_id=series.id, format=EventFormat.IN_PERSON, capacity=10,
            starts_at=tokyo_datetime(day, start), ends_at=tokyo_datetime(day, end), venue="市民会館",
            goals=["collaboration"], scenes=["daily"],
        ))
        set_event_status(db.session, event, EventStatus.PUBLISHED)
        return event.id


@pytest.fixture(scope="module")
def reception(live_app):
    make_door(live_app, "受付テスト 時間外")  # creates the reception account


@pytest.mark.parametrize(("title", "day", "start", "end", "sentence"), [
    # 令和5年7月14日(金) 18:30–20:20: reception's door closed 24 h after the end (fiscal 2023,
    # outside the demo's years, so that the other pages' counts stay the demo's)
    ("時間外テスト 終わった会", date(2023, 7, 14), time(18, 30), time(20, 20),
     "このイベントの受付は 令和5年7月15日(土) 20:20 に終了しました。"),
    # 令和12年1月15日(火) 13:30: the door opens 24 h before
    ("時間外テスト 先の会", date(2030, 1, 15), time(13, 30), time(15, 0),
     "受付はまだ始まっていません。令和12年1月14日(月) 13:30 から受付できます。"),
], ids=["closed", "not-yet"])
def test_the_scanner_page_shows_the_sentence_instead_of_the_scanner(browser, door_context, base_url, live_app,
                                                                    reception, title, day, start, end, sentence):
    event_id = published_event(live_app, title, day, start, end)
    page = door_context(browser).new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        assert title not in page.content()  # the door list offers only open doors
        response = page.goto(f"{base_url}/checkin/events/{event_id}")
        assert response.status == 403
        assert page.get_by_role("heading", name=title).is_visible()
        assert page.get_by_text(sentence).is_visible()
        assert page.locator("video").count() == 0 and page.get_by_label("受付番号", exact=True).count() == 0
        assert page.evaluate("document.querySelectorAll('script[src*=scanner]').length") == 0
    assert violations(page) == []


@contextmanager
def scanner_open_then_door_closed(page, base_url: str, live_app, door):
    """Reception opens the scanner of a running event; then its door closes (1.5 h ago)."""
    log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
    page.goto(f"{base_url}{door.scanner}")
    page.locator("#checkin[data-ready=true]").wait_for()
    live_app.config["CHECKIN_CLOSES_AFTER"] = -3
    try:
        yield
    finally:
        live_app.config["CHECKIN_CLOSES_AFTER"] = 24


def test_a_scan_after_the_door_closed_shows_the_sentence_not_a_login_problem(browser, door_context, base_url,
                                                                             live_app, reception):
    door = make_door(live_app, "受付テスト 閉まる扉")  # under way, ends in 1.5 h
    page = door_context(browser).new_page()
    with no_console_errors(page), scanner_open_then_door_closed(page, base_url, live_app, door):
        enter_number(page, door.tickets[0].number)
        result = page.locator("#result")
        result.locator(".result-note", has_text="に終了しました。").wait_for()
        assert "result-refused" in result.get_attribute("class")
        assert "ログイン" not in page.locator("#net-status").inner_text()


def test_a_queued_scan_refused_because_the_door_closed_is_held_with_the_sentence(browser, door_context, base_url,
                                                                                live_app, reception):
    door = make_door(live_app, "受付テスト 閉まった後の送信")
    ticket = door.tickets[1]
    page = door_context(browser).new_page()
    with no_console_errors(page), scanner_open_then_door_closed(page, base_url, live_app, door):
        # scanned offline just now, after the door closed; sent when the network is back
        put_in_store(page, "queue", {
            "nonce": "closed-door-0001", "url": f"/api/v1/events/{door.event_id}/checkins",
            "event_id": door.event_id, "label": ticket.name, "queued_at": now().isoformat(),
            "body": {"registration_id": ticket.number, "method": "number", "nonce": "closed-door-0001",
                     "scanned_at": now().isoformat(timespec="seconds")},
        })
        page.evaluate("window.dispatchEvent(new Event('online'))")
        held = page.locator("[data-held-list] li")
        held.filter(has_text="に終了しました。").wait_for()
        assert ticket.name in held.inner_text()
        page.locator("#net-status", has_text="送信できなかった受付が 1 件あります").wait_for()
        assert keys_in_store(page, "queue") == ["closed-door-0001"]  # kept on the phone, not lost
    assert checkin_of(live_app, ticket.number) is None
