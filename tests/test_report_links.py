"""The reports lead somewhere: the 年度報告 menu opens the latest fiscal year that has held events,
the pages link to the years that have events, and the dashboard's and the yearly report's event
rows link to each event's 集計表. Both engines."""
import re
from datetime import date, datetime, timedelta, timezone

from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventStatus
from eventsapp.catalog.service import save_initiative, set_event_status
from eventsapp.dates import fiscal_year_label, fiscal_year_of
from eventsapp.extensions import db
from tests_support import logged_in_client


def around(moment: datetime) -> dict:
    return {"starts_at": moment, "ends_at": moment + timedelta(hours=2)}


def year_nav(html: str) -> list[str]:
    nav = re.search(r'<nav class="years"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r">(令和[^<]+年度)<", nav)


def test_the_menu_opens_the_latest_year_with_a_held_event(app, make_user, make_event):
    now = datetime.now(timezone.utc)
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.get("/admin/reports/").headers["Location"].endswith(f"/admin/reports/{fiscal_year_of(now)}")

    held = now - timedelta(days=400)  # more than a year ago: an earlier fiscal year than now's
    make_event(title="開催済みの会", **around(held))
    make_event(title="これからの会", **around(now + timedelta(days=40)))  # published, not held yet
    make_event(title="下書きの会", published=False, **around(now - timedelta(hours=1)))
    cancelled = make_event(title="中止の会", **around(now - timedelta(hours=1)))
    set_event_status(db.session, cancelled, EventStatus.CANCELLED)
    response = organizer.get("/admin/reports/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/reports/{fiscal_year_of(held)}")
    assert fiscal_year_of(held) < fiscal_year_of(now)


def test_the_pages_link_to_the_years_that_have_events(app, make_user, make_event):
    make_event(title="令和5年度の会", day=date(2023, 7, 1))
    make_event(title="令和7年度の会", day=date(2025, 7, 11))
    make_event(title="令和6年度の下書き", day=date(2024, 7, 1), published=False)
    cancelled = make_event(title="令和4年度の中止", day=date(2022, 7, 1))
    set_event_status(db.session, cancelled, EventStatus.CANCELLED)
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    for path in ("/admin/reports/2025", "/admin/reports/2025/yearly"):
        assert year_nav(organizer.get(path).text) == ["令和5年度", "令和7年度"], path
    # a year without events, opened by its address, is listed while it is shown
    assert year_nav(organizer.get("/admin/reports/2024/yearly").text) == ["令和5年度", "令和6年度", "令和7年度"]
    assert fiscal_year_label(2024) == "令和6年度"


def test_event_rows_link_to_the_summary(app, make_user, make_event):
    plan = save_initiative(db.session, fiscal_year=2025, scene="daily", goals=["collaboration"], target="専門職",
                           plan="つむぐ会を年4回開催")
    later = make_event(title="第2回", day=date(2025, 10, 4), initiative_ids=[plan.id])
    first = make_event(title="第1回", day=date(2025, 7, 11), initiative_ids=[plan.id])
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)

    dashboard = organizer.get("/admin/reports/2025").text
    for event in (first, later):
        assert f'<a href="/admin/events/{event.id}/summary">{event.title}</a>' in dashboard

    yearly = organizer.get("/admin/reports/2025/yearly").text
    links = re.findall(r'<a href="/admin/events/(\d+)/summary">([^<]+)<span class="visually-hidden">([^<]+)</span>',
                       yearly)
    assert links == [(str(first.id), "令和7年7月11日(金)", "第1回"), (str(later.id), "令和7年10月4日(土)", "第2回")]
    assert organizer.get(f"/admin/events/{first.id}/summary").status_code == 200
