"""The public list and event pages kept in memory (eventsapp/pagecache.py): ETag, 304,
Cache-Control for anonymous visitors and staff, one page per language, and never stale — after
an edit, a registration, a cancellation, a rename, from another process, or when the clock
reaches a window's opening or closing or an event's end. Views served from memory are counted."""
import time
from datetime import date, time as dt_time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventStatus, Goal, Series
from eventsapp.catalog.service import save_series, set_event_status, shown_until, update_event
from eventsapp.dataversion import DataVersion
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from eventsapp.pagecache import cache_control, page_cache
from eventsapp.pageviews.models import EventPageView
from eventsapp.pageviews.service import count_event_page_view
from eventsapp.pageviews.tally import tally_of
from eventsapp.registration.availability import public_states
from eventsapp.registration.service import takes_a_seat
from tests_support import QueryCounter

BROWSER = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
FORM = {"family_name": "山田", "given_kana": "はなこ", "family_kana": "やまだ", "given_name": "花子",
        "mode": "in_person", "consent": "y"}
PUBLIC = "public, max-age=10, stale-while-revalidate=30"  # the defaults, for a page the clock leaves alone


def in_days(days: int):
    return (now() + timedelta(days=days)).date()


def visitor_of(app):
    """A new visitor without a cookie, announcing itself as a crawler: its views are not counted,
    so a page served from memory sends no statement at all (views: see the last tests)."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BOT
    return client


def counted(app, call):
    """(the app's own statements, data-version reads) that call() sends, and its answer."""
    reader = page_cache(app).reader
    reads = reader.reads if reader else 0
    with QueryCounter(db.engine) as counter:
        answer = call()
    return counter.count, page_cache(app).reader.reads - reads, answer


def version() -> int:
    return db.session.scalar(sa.select(DataVersion.version))


def view_counts() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EventPageView.views)))


# --- headers ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/events/{id}"])
def test_an_anonymous_page_is_kept_with_an_etag_and_answered_304(app, make_event, path):
    event = make_event(day=in_days(20), capacity=30)
    path = path.format(id=event.id)
    visitor = visitor_of(app)
    first = visitor.get(path, headers={"User-Agent": BOT})
    assert first.status_code == 200 and first.headers["Cache-Control"] == PUBLIC
    assert "Cookie" in first.headers["Vary"] and "Set-Cookie" not in first.headers
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 26  # a strong tag: a hash of the body

    statements, reads, again = counted(app, lambda: visitor.get(path, headers={"User-Agent": BOT}))
    assert (statements, reads) == (0, 1)  # from memory: only the data version is read
    assert again.data == first.data and again.headers["ETag"] == etag

    statements, reads, not_modified = counted(
        app, lambda: visitor.get(path, headers={"User-Agent": BOT, "If-None-Match": etag}))
    assert (not_modified.status_code, not_modified.data, statements, reads) == (304, b"", 0, 1)
    assert not_modified.headers["ETag"] == etag and not_modified.headers["Cache-Control"] == PUBLIC
    weak = visitor.get(path, headers={"User-Agent": BOT, "If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304  # If-None-Match compares weakly
    other = visitor.get(path, headers={"User-Agent": BOT, "If-None-Match": '"other"'})
    assert other.status_code == 200 and other.data == first.data


def test_a_kept_answer_carries_the_same_headers_as_a_rendered_one(app, make_event):
    event = make_event(day=in_days(20), capacity=30)
    path, visitor = f"/events/{event.id}", visitor_of(app)

    def headers(response):
        return sorted(response.headers.items())

    page_cache(app).pages.clear()
    etag = visitor.get(path).headers["ETag"]
    page_cache(app).pages.clear()
    rendered_304 = counted(app, lambda: visitor.get(path, headers={"If-None-Match": etag}))
    rendered_200 = counted(app, lambda: visitor.get(path))
    kept_304 = counted(app, lambda: visitor.get(path, headers={"If-None-Match": etag}))
    kept_200 = counted(app, lambda: visitor.get(path))
    assert rendered_304[0] > 0 and rendered_200[0] > 0 and kept_304[0] == kept_200[0] == 0
    assert headers(rendered_304[2]) == headers(kept_304[2])
    assert headers(rendered_200[2]) == headers(kept_200[2])
    names = {name for name, _ in headers(kept_200[2])}
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} <= names
    assert "Content-Type" not in dict(headers(kept_304[2]))
    head = visitor.head(path)
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag


def test_a_kept_page_passes_nothing_the_input_guard_refuses(app, make_event):
    make_event(day=in_days(20))
    visitor = visitor_of(app)
    visitor.get("/")  # kept
    assert visitor.get("/?series=%00").status_code == 400  # another query string: never kept
    assert visitor.get("/", data={"note": "\x00"}).status_code == 400  # a GET with a body: rendered


def test_max_age_never_reaches_past_the_moment_the_page_changes():
    config = {"PUBLIC_PAGE_MAX_AGE": 10, "PUBLIC_PAGE_STALE_WHILE_REVALIDATE": 30}
    moment = now()
    assert cache_control(config, None, moment, shared=True) == PUBLIC
    assert cache_control(config, moment + timedelta(seconds=25), moment, shared=True) == \
        "public, max-age=10, stale-while-revalidate=15"  # 10 + 15 = the 25 s left
    assert cache_control(config, moment + timedelta(seconds=4.5), moment, shared=True) == \
        "public, max-age=4, stale-while-revalidate=0"
    assert cache_control(config, moment + timedelta(hours=2), moment, shared=False) == "private, no-cache"


def test_each_language_has_its_own_page_and_etag(app, make_event):
    make_event(day=in_days(20))
    japanese = visitor_of(app).get("/")
    visitor = visitor_of(app)
    chosen = visitor.get("/?lang=en")
    assert "Upcoming events" in chosen.text and "Set-Cookie" in chosen.headers
    assert chosen.headers["Cache-Control"] == "private, no-cache"  # it sets the visitor's cookie
    marked = visitor.get("/")  # Flask-Login marks the session not fresh: one more cookie
    assert "Set-Cookie" in marked.headers and marked.headers["Cache-Control"] == "private, no-cache"
    english = visitor.get("/")  # the session says en: kept apart from the Japanese page
    assert 'lang="en"' in english.text and "Upcoming events" in english.text
    assert english.headers["ETag"] != japanese.headers["ETag"]
    assert english.headers["Cache-Control"] == PUBLIC and "Set-Cookie" not in english.headers
    statements, reads, again = counted(app, lambda: visitor.get("/"))
    assert (statements, reads, again.data) == (0, 1, english.data)
    newcomer = visitor_of(app).get("/")  # no session: Japanese, no cookie given
    assert 'lang="ja"' in newcomer.text and newcomer.headers["ETag"] == japanese.headers["ETag"]
    assert "Set-Cookie" not in newcomer.headers


def test_staff_pages_are_private_and_never_kept_or_shown_to_others(app, make_event, login):
    event = make_event(day=in_days(20))
    anonymous = visitor_of(app)
    for path in ("/", f"/events/{event.id}"):
        assert "ログアウト" not in anonymous.get(path).text  # kept now
    staff = login(Role.ORGANIZER)
    for path in ("/", f"/events/{event.id}"):
        page = staff.get(path)
        assert "ログアウト" in page.text and "csrf_token" in page.text
        assert page.headers["Cache-Control"] == "private, no-store" and "ETag" not in page.headers
        assert "ログアウト" not in anonymous.get(path).text


def test_a_flash_message_is_shown_not_a_kept_page(app, make_event):
    make_event(day=in_days(20))
    visitor_of(app).get("/")  # kept
    visitor = visitor_of(app)
    with visitor.session_transaction() as session:
        session["_flashes"] = [("message", "お申込みを受け付けました（テスト）")]
    assert "お申込みを受け付けました（テスト）" in visitor.get("/").text
    assert "お申込みを受け付けました（テスト）" not in visitor_of(app).get("/").text


# --- until when the clock leaves a page as it is ------------------------------------------------

def test_each_state_says_until_when_the_clock_leaves_it(app, make_event):
    opens, closes = now() + timedelta(days=3), now() + timedelta(days=10)
    before_open = make_event(day=in_days(20), registration_opens_at=opens)
    with_closing = make_event(day=in_days(20), capacity=1, registration_closes_at=closes)
    without_closing = make_event(day=in_days(20))
    closed = make_event(day=in_days(20), registration_opens_at=now() - timedelta(days=9),
                        registration_closes_at=now() - timedelta(days=1))
    cancelled = make_event(day=in_days(20))
    set_event_status(db.session, cancelled, EventStatus.CANCELLED)
    states = public_states(db.session, [before_open, with_closing, without_closing, closed, cancelled])
    assert states[before_open.id].until == opens  # 受付前 until the window opens
    assert states[with_closing.id].until == closes  # 受付中 (one seat left) until it closes
    assert states[without_closing.id].until == without_closing.ends_at  # …or until the event's end
    assert states[closed.id].until is None and states[cancelled.id].until is None  # only data changes them


def test_a_page_is_shown_until_the_first_moment_ahead():
    def at(day, hour=0, minute=0):
        return tokyo_datetime(day, dt_time(hour, minute))

    after = at(date(2025, 7, 1), 9)
    event = SimpleNamespace(ends_at=at(date(2025, 7, 11), 20, 20))
    ended = SimpleNamespace(ends_at=at(date(2025, 6, 1), 12))  # in the past: not a moment ahead
    assert shown_until([event, ended], [None, at(date(2025, 7, 5), 10)], after) == at(date(2025, 7, 5), 10)
    assert shown_until([event, ended], [None], after) == at(date(2025, 7, 11), 20, 20)
    # No event ahead: the next fiscal year (the list's default year) begins on 1 April in Tokyo.
    assert shown_until([ended], [], at(date(2026, 3, 31), 23)) == at(date(2026, 4, 1))


# --- never stale ----------------------------------------------------------------------------

def assert_changed(app, visitor, path, before, *, shows: str):
    """The next GET renders again (the app's queries run), shows the change, with another ETag."""
    statements, _reads, after = counted(app, lambda: visitor.get(path))
    assert statements > 0, "rendered again"
    assert shows in after.text, shows
    assert after.headers["ETag"] != before.headers["ETag"]
    return after


def test_an_edited_event_renamed_series_and_tag_are_shown_at_once(app, make_event, make_series):
    event = make_event(day=in_days(20), title="最初の題")
    visitor, paths = visitor_of(app), ("/", f"/events/{event.id}")
    pages = {path: visitor.get(path) for path in paths}
    for path in paths:
        assert counted(app, lambda path=path: visitor.get(path))[0] == 0  # kept
    update_event(db.session, event, changes={"title": "新しい題"})
    pages = {path: assert_changed(app, visitor, path, pages[path], shows="新しい題") for path in paths}
    series = db.session.get(Series, event.series_id)
    save_series(db.session, name="つむぐ会（改称）", audience=series.audience, goals=["collaboration"],
                scenes=["daily"], series=series)
    pages = {path: assert_changed(app, visitor, path, pages[path], shows="つむぐ会（改称）") for path in paths}
    db.session.scalar(sa.select(Goal).where(Goal.code == "collaboration")).label = "④多職種連携（改）"
    db.session.commit()
    page = assert_changed(app, visitor, f"/events/{event.id}", pages[f"/events/{event.id}"], shows="④多職種連携（改）")
    set_event_status(db.session, event, EventStatus.CANCELLED)
    assert_changed(app, visitor, f"/events/{event.id}", page, shows="このイベントは中止になりました。")


def test_registrations_until_full_and_a_cancellation_are_shown_at_once(app, make_event):
    event = make_event(day=in_days(20), capacity=2, waitlist=False)
    visitor, page, form = visitor_of(app), f"/events/{event.id}", visitor_of(app)
    before = {path: visitor.get(path) for path in ("/", page)}
    assert "残りわずか（あと2席）" in before[page].text
    tickets = []
    for n, shows in ((1, "残りわずか（あと1席）"), (2, "満員")):
        answer = form.post(f"{page}/register", data={**FORM, "email": f"hanako{n}@example.jp"})
        assert answer.status_code == 302
        tickets.append(answer.headers["Location"])
        before = {path: assert_changed(app, visitor, path, before[path], shows=shows) for path in before}
    assert "定員に達したため、申込を締め切りました。" in before[page].text
    assert form.post(f"{tickets[0]}/cancel").status_code in (200, 302)
    for path in before:
        after = assert_changed(app, visitor, path, before[path], shows="残りわずか（あと1席）")
        assert "満員" not in after.text.split('aria-labelledby="past"')[0]


def test_the_clock_opens_and_closes_windows_and_ends_events_on_kept_pages(app, make_event):
    """Nothing in the data changes: the kept pages end by the events' own times (a real wait of
    about three seconds: the moments are a few seconds ahead)."""
    moment = now() + timedelta(seconds=3)
    opening = make_event(day=in_days(20), title="これから受付", registration_opens_at=moment)
    closing = make_event(day=in_days(21), title="まもなく締切", registration_opens_at=now() - timedelta(days=1),
                         registration_closes_at=moment)
    ending = make_event(title="まもなく終了", starts_at=now() - timedelta(hours=1), ends_at=moment)
    visitor, page = visitor_of(app), f"/events/{opening.id}"
    before = {path: visitor.get(path) for path in ("/", page, f"/events/{closing.id}", f"/events/{ending.id}")}
    for path in before:
        assert counted(app, lambda path=path: visitor.get(path))[0] == 0  # kept
    upcoming = before["/"].text.split('aria-labelledby="past"')[0]
    assert "これから受付" in upcoming and "まもなく締切" in upcoming and "まもなく終了" in upcoming
    assert "申込受付は" in before[page].text and "参加を申し込む" not in before[page].text
    assert now() < moment, "the machine was too slow to see the pages before the moment"
    time.sleep((moment - now()).total_seconds() + 0.05)
    listing = assert_changed(app, visitor, "/", before["/"], shows="これから受付")
    upcoming, past = listing.text.split('aria-labelledby="past"')
    assert "まもなく終了" not in upcoming and "まもなく終了" in past
    assert "参加を申し込む" in assert_changed(app, visitor, page, before[page], shows="受付中").text
    assert_changed(app, visitor, f"/events/{closing.id}", before[f"/events/{closing.id}"], shows="申込受付は終了しました。")
    assert_changed(app, visitor, f"/events/{ending.id}", before[f"/events/{ending.id}"], shows="このイベントは終了しました。")


@pytest.fixture
def other_process(migrated_app):
    """A second application on the same database, as gunicorn's other worker process is, with
    the production host check."""
    other = create_app({**{k: migrated_app.config[k] for k in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "WTF_CSRF_ENABLED", "RATELIMIT_ENABLED",
        "SERVER_NAME", "PUBLIC_BASE_URL", "PAGE_VIEWS_FLUSH_SECONDS")}, "TRUSTED_HOSTS": ["events.example.jp"]})
    yield other
    with other.app_context():
        db.engine.dispose()
    if page_cache(other).reader is not None:
        page_cache(other).reader.engine.dispose()


def test_a_change_made_in_another_process_is_seen_by_the_next_request(app, make_event, other_process):
    event = make_event(day=in_days(20), title="元の題")
    visitor = other_process.test_client()
    before = visitor.get(f"/events/{event.id}")
    assert "元の題" in before.text and visitor.get(f"/events/{event.id}").data == before.data
    update_event(db.session, event, changes={"title": "別のプロセスで変えた題"})  # this process, not the other
    after = visitor.get(f"/events/{event.id}")
    assert "別のプロセスで変えた題" in after.text and after.headers["ETag"] != before.headers["ETag"]
    refused = visitor.get(f"/events/{event.id}", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "別のプロセス" not in refused.text  # the host check comes first


# --- what raises the data version, and what does not ------------------------------------------

def bumps(statement: str) -> bool:
    before = version()
    db.session.execute(sa.text(statement))
    db.session.commit()
    return version() > before


def test_every_column_the_public_pages_may_show_raises_the_data_version(app, make_event, make_series, client):
    partner = make_series("多職種研修会")  # professionals too: the form asks nothing first
    event = make_event(day=in_days(20), joint_series_ids=[partner.id], capacity=10)
    assert client.post(f"/events/{event.id}/register", data={**FORM, "email": "a@example.jp"}).status_code == 302
    watched = {table: [c.name for c in db.metadata.tables[table].columns if c.name != "id"]
               for table in ("events", "series", "goals", "scenes", "event_joint_series", "event_goals", "event_scenes")}
    # Registrations: the columns of the capacity rule, and the event a seat counts for.
    watched["registrations"] = sorted({c.name for c in sa.sql.visitors.iterate(takes_a_seat())
                                       if isinstance(c, sa.Column)} | {"event_id"})
    assert watched["registrations"] == ["event_id", "mode", "status"]
    for table, columns in watched.items():
        for column in columns:
            assert bumps(f"UPDATE {table} SET {column} = {column}"), f"{table}.{column}"
    # Not a change: SQLite's row lock (locking.py), a registration's other columns, a counted view.
    assert not bumps("UPDATE events SET id = id")
    assert not bumps("UPDATE registrations SET ticket_token = ticket_token")
    before = version()
    count_event_page_view(db.session, event_id=event.id)
    assert version() == before


def test_versions_only_grow_and_a_new_row_gets_a_new_number(app, make_event):
    event = make_event(day=in_days(20))
    first = version()
    db.session.execute(sa.delete(DataVersion))  # as a restored backup without the row would be
    db.session.commit()
    update_event(db.session, event, changes={"title": "変更"})
    assert version() > first


# --- views counted ------------------------------------------------------------------------------

def test_views_served_from_memory_are_counted_and_bots_are_not(app, make_event):
    event = make_event(day=in_days(20))
    path, visitor = f"/events/{event.id}", visitor_of(app)
    first = visitor.get(path, headers={"User-Agent": BROWSER})  # rendered
    statements, reads, _ = counted(app, lambda: visitor.get(path, headers={"User-Agent": BROWSER}))
    assert (statements, reads) == (1, 1)  # kept: no query of the page, one upsert of the view (flushed at once)
    visitor.get(path, headers={"User-Agent": BROWSER, "If-None-Match": first.headers["ETag"]})  # 304, seen again
    visitor.get(path, headers={"User-Agent": BOT})
    visitor.get(path, headers={"User-Agent": BROWSER, "Sec-Purpose": "prefetch"})
    visitor.head(path, headers={"User-Agent": BROWSER})
    assert view_counts() == [3]


def test_views_are_written_in_batches(app, make_event):
    event = make_event(day=in_days(20))
    other = make_event(day=in_days(21), title="別のイベント")
    visitor, tally = visitor_of(app), tally_of(app)
    ids, paths = (event.id, other.id), (f"/events/{event.id}", f"/events/{other.id}")
    app.config["PAGE_VIEWS_FLUSH_SECONDS"] = 3600
    try:
        for path in (paths[0], paths[0], paths[1], paths[0]):
            visitor.get(path, headers={"User-Agent": BROWSER})
        assert counted(app, lambda: visitor.get(paths[0], headers={"User-Agent": BROWSER}))[:2] == (0, 1)
        assert view_counts() == []  # nothing written yet
        with QueryCounter(db.engine) as counter:
            tally.flush()
        assert counter.count == 1  # one upsert statement for both counters
    finally:
        app.config["PAGE_VIEWS_FLUSH_SECONDS"] = 0
        tally.flush()
    rows = dict(db.session.execute(sa.select(EventPageView.event_id, EventPageView.views)).all())
    assert rows == {ids[0]: 4, ids[1]: 1}


def test_an_answer_that_sets_a_cookie_is_never_public_nor_kept(app, make_event, other_process):
    make_event(day=in_days(20))
    other_process.after_request(lambda response: response.set_cookie("notice", "1") or response)
    visitor = other_process.test_client()
    for _ in range(2):
        answer = visitor.get("/")
        assert answer.headers["Cache-Control"] == "private, no-cache" and "ETag" in answer.headers
    assert page_cache(other_process).pages == {}
