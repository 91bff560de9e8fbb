"""Event-page views: a daily counter per public event page, per fiscal year (Tokyo days),
bots and prefetches left out, and nothing about the visitor stored: no cookie, no address,
no user agent, no time of day."""
import threading
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.pageviews.models import EventPageView
from eventsapp.pageviews.service import count_event_page_view, event_page_views, event_page_views_by_event
from eventsapp.pageviews.visitors import is_person

BROWSER = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")
LINE_APP = BROWSER + " Line/14.9.0"  # LINE's in-app browser: a person
ADDRESS = "203.0.113.77"


def rows() -> list[tuple]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        sa.select(EventPageView.event_id, EventPageView.day, EventPageView.views).order_by(EventPageView.event_id))]


def show(client, event, agent: str = BROWSER, **headers):
    return client.get(f"/events/{event.id}", headers={"User-Agent": agent, **headers},
                      environ_base={"REMOTE_ADDR": ADDRESS})


@pytest.mark.parametrize("agent, person", [
    (BROWSER, True),
    (LINE_APP, True),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1", True),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", False),
    ("facebookexternalhit/1.1;line-poker/1.0", False),  # LINE's link preview
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", False),
    ("curl/8.5.0", False),
    ("python-requests/2.32.3", False),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36", False),
    ("", False),
    ("   ", False),
])
def test_who_counts_as_a_person(agent, person):
    assert is_person(agent) is person


def test_a_prefetch_is_not_a_view():
    assert is_person(BROWSER, purpose="prefetch") is False
    assert is_person(BROWSER, purpose="prefetch;prerender") is False
    assert is_person(BROWSER, purpose="") is True


def test_each_view_of_an_event_page_adds_one_to_the_days_counter(client, make_event):
    first, second = make_event(title="一つ目"), make_event(title="二つ目")
    for _ in range(3):
        assert show(client, first).status_code == 200
    assert show(client, second, LINE_APP).status_code == 200
    [(id_a, day_a, views_a), (id_b, day_b, views_b)] = rows()
    assert (id_a, views_a, id_b, views_b) == (first.id, 3, second.id, 1)
    assert day_a == day_b  # today, in Tokyo


def test_bots_prefetches_head_requests_and_hidden_pages_count_nothing(client, make_event):
    event = make_event()
    draft = make_event(title="下書き", published=False)
    assert show(client, event, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").status_code == 200
    assert show(client, event, "").status_code == 200
    assert show(client, event, BROWSER, **{"Sec-Purpose": "prefetch"}).status_code == 200
    assert show(client, event, BROWSER, Purpose="prefetch").status_code == 200
    assert client.head(f"/events/{event.id}", headers={"User-Agent": BROWSER}).status_code == 200
    assert show(client, draft).status_code == 404
    assert client.get("/", headers={"User-Agent": BROWSER}).status_code == 200  # the list is not an event page
    assert rows() == []


def test_counting_stores_no_personal_data(client, make_event):
    event = make_event()
    answer = show(client, event)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers  # no cookie, no session to recognise anyone by
    # The table can hold nothing but the event, the day and a number.
    columns = {column["name"] for column in sa.inspect(db.engine).get_columns("event_page_views")}
    assert columns == {"event_id", "day", "views"}
    [(event_id, day, views)] = rows()
    assert (event_id, views) == (event.id, 1) and isinstance(day, date) and not isinstance(day, datetime)
    # Nor does any other table that the view wrote to: the visitor's address and agent appear nowhere.
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                text = " ".join(str(value) for value in row)
                assert ADDRESS not in text and "Pixel 8" not in text, table.name


def test_views_are_counted_per_tokyo_day_and_fiscal_year(app, make_event):
    event = make_event()
    # 2026-03-31 23:30 in Tokyo is still fiscal 2025; ten minutes past midnight is fiscal 2026
    # (both are 2026-03-31 in UTC, so a UTC day would put them in the same year).
    last_evening = tokyo_datetime(date(2026, 3, 31), time(23, 30))
    new_year = tokyo_datetime(date(2026, 4, 1), time(0, 10))
    first_day = tokyo_datetime(date(2025, 4, 1), time(9, 0))
    for moment in (last_evening, last_evening, new_year, first_day):
        assert count_event_page_view(db.session, event_id=event.id, moment=moment) is True
    assert sorted((day, views) for _, day, views in rows()) == [
        (date(2025, 4, 1), 1), (date(2026, 3, 31), 2), (date(2026, 4, 1), 1)]
    assert event_page_views(db.session, fiscal_year=2025) == 3  # 2025-04-01 + twice on 2026-03-31
    assert event_page_views(db.session, fiscal_year=2026) == 1
    assert event_page_views(db.session, fiscal_year=2024) == 0
    other = make_event(title="別のイベント")
    count_event_page_view(db.session, event_id=other.id, moment=first_day)
    assert event_page_views_by_event(db.session, fiscal_year=2025) == {event.id: 3, other.id: 1}
    assert event_page_views(db.session, fiscal_year=2025) == 4


def test_a_counter_that_cannot_be_written_costs_the_view_not_the_page(app, make_event, caplog):
    assert count_event_page_view(db.session, event_id=987654) is False  # no such event: refused by its key
    assert rows() == []
    assert "not counted" in caplog.text


def test_a_cancelled_event_page_still_counts(client, make_event):
    event = make_event()
    set_event_status(db.session, event, EventStatus.CANCELLED)
    assert show(client, event).status_code == 200  # the page says 中止; people still look at it
    assert [views for _, _, views in rows()] == [1]


def test_concurrent_views_all_count(app, make_event):
    path = f"/events/{make_event().id}"
    errors = []

    def view():
        try:
            client = app.test_client()
            for _ in range(5):
                assert client.get(path, headers={"User-Agent": BROWSER}).status_code == 200
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=view) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [views for _, _, views in rows()] == [30]  # 6 visitors × 5 views, one row
