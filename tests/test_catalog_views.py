"""Public pages, the calendar feeds, outreach requests and the organizer's event form."""
from datetime import date, datetime

import sqlalchemy as sa
from icalendar import Calendar

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Event, EventStatus, Goal, OutreachRequest, OutreachStatus
from eventsapp.dates import TOKYO
from eventsapp.extensions import db
from tests_support import GOALS, SCENES, logged_in_client


def test_public_list_shows_published_events_with_wareki_dates(client, make_event):
    make_event()
    make_event(title="下書きのイベント", day=date(2025, 8, 1), published=False)
    page = client.get("/").text
    assert "ICTを活用した多職種連携について" in page
    assert "令和7年7月11日(金)18:30～20:20" in page
    assert "開催済みのイベント（令和7年度）" in page
    assert "下書きのイベント" not in page


def test_a_year_outside_the_supported_range_shows_the_default_year(client, make_event):
    make_event()  # fiscal 2025, the only past year
    for fy in ("1999", "2101", "99999", "0"):
        page = client.get(f"/?fy={fy}").text
        assert "開催済みのイベント（令和7年度）" in page, fy


def test_public_list_filters_by_series_and_audience(client, make_event, make_series):
    lecture = make_series("市民公開講座", audience="citizens")
    make_event()
    make_event(series=lecture, title="人生会議のすすめ", day=date(2025, 10, 4))
    citizens = client.get("/?audience=citizens").text
    assert "人生会議のすすめ" in citizens and "ICTを活用した" not in citizens
    by_series = client.get(f"/?series={lecture.id}").text
    assert "人生会議のすすめ" in by_series and "ICTを活用した" not in by_series
    assert client.get("/?series=abc&audience=aliens&fy=x").status_code == 200


def test_event_page_and_drafts_are_not_public(client, make_event):
    event = make_event(description="講師：三浦靖彦氏\n<script>alert(1)</script>")
    page = client.get(f"/events/{event.id}").text
    assert "令和7年7月11日(金)18:30～20:20" in page and "市役所 第1会議室" in page and "④多職種連携" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page  # free text escaped
    draft = make_event(title="下書き", published=False)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get("/events/99999").status_code == 404


def test_event_calendar_round_trip(client, make_event):
    event = make_event()
    first = client.get(f"/events/{event.id}/calendar.ics")
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    calendar = Calendar.from_ical(first.data)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == datetime(2025, 7, 11, 18, 30, tzinfo=TOKYO)
    assert entry.decoded("dtend") == datetime(2025, 7, 11, 20, 20, tzinfo=TOKYO)
    assert str(entry["dtstart"].params["TZID"]) == "Asia/Tokyo"
    assert "ICTを活用した多職種連携について" in str(entry["summary"])
    assert str(entry["location"]) == "市役所 第1会議室"
    assert calendar.walk("VTIMEZONE")
    again = Calendar.from_ical(client.get(f"/events/{event.id}/calendar.ics").data)
    assert again.walk("VEVENT")[0]["uid"] == entry["uid"]  # stable: re-imports update


def test_feed_of_all_published_events(client, make_event):
    shown = make_event()
    make_event(title="下書き", published=False, day=date(2025, 8, 1))
    cancelled = make_event(title="中止の会", day=date(2025, 9, 1))
    cancelled.status = EventStatus.CANCELLED
    db.session.commit()
    entries = Calendar.from_ical(client.get("/calendar.ics").data).walk("VEVENT")
    assert [str(e["uid"]).split("@")[0] for e in entries] == [f"event-{shown.id}"]


def test_outreach_request_becomes_an_event_in_two_clicks(app, client, make_user, make_series):
    outreach_series = make_series("出前講座", audience="citizens", goals=["awareness", "acp"], scenes=["daily"])
    bad = client.post("/outreach", data={"group_name": "さくら台自治会", "contact_name": "田中", "wished_dates": "7月"})
    assert bad.status_code == 422 and "電話番号かメールアドレス" in bad.text
    response = client.post(
        "/outreach",
        data={"group_name": "さくら台自治会", "contact_name": "田中", "phone": "04-7150-0000",
              "wished_dates": "7月10日(木)午前", "expected_count": "25", "theme": "人生会議"},
    )
    assert response.status_code == 302
    request = db.session.scalar(sa.select(OutreachRequest))
    assert request.status == OutreachStatus.NEW

    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert "さくら台自治会" in organizer.get("/admin/outreach").text
    # Click 1: the prefilled form.
    form_page = organizer.get(f"/admin/events/new?outreach={request.id}").text
    assert "出前講座（さくら台自治会）" in form_page and 'value="25"' in form_page
    # Click 2: save (the organizer adds the agreed date).
    saved = organizer.post(
        f"/admin/events/new?outreach={request.id}",
        data={"title": "出前講座（さくら台自治会）", "series_id": outreach_series.id, "day": "2026-07-10",
              "start_time": "10:00", "end_time": "11:30", "format": "in_person", "capacity": "25",
              "goals": ["awareness", "acp"], "scenes": ["daily"]},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    request = db.session.get(OutreachRequest, request.id)
    assert request.status == OutreachStatus.SCHEDULED and request.event.series_id == outreach_series.id


def test_organizer_creates_a_tagged_event_and_publishes_it(app, make_user, make_series):
    series = make_series()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert "④多職種連携" in organizer.get(f"/admin/events/new?series={series.id}").text
    response = organizer.post(
        "/admin/events/new",
        data={"title": "災害時対応～在宅療養者への支援～", "series_id": series.id, "day": "2026-02-12",
              "start_time": "18:30", "end_time": "20:30", "format": "in_person", "venue": "文化会館",
              "area": "東部", "goals": ["collaboration"], "scenes": ["daily", "disaster"], "waitlist": "y"},
    )
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert [s.code for s in event.scenes] == ["daily", "disaster"] and event.fiscal_year == 2025
    assert event.status == EventStatus.DRAFT
    organizer.post(f"/admin/events/{event.id}/publish")
    assert "災害時対応" in organizer.get("/").text
    confirm = organizer.get(f"/admin/events/{event.id}/cancel")
    assert "中止しますか" in confirm.text
    organizer.post(f"/admin/events/{event.id}/cancel")
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED


def test_event_form_shows_refusals_at_the_field_and_stores_nothing(app, make_user, make_series):
    series = make_series()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    base = {"title": "研修会", "series_id": series.id, "day": "2025-07-11", "start_time": "18:30",
            "end_time": "20:20", "format": "in_person"}
    cases = [
        ({"end_time": "17:00"}, "終了日時は開始日時より後にしてください。"),
        ({"goals": ["nope"]}, "不明な中期目標のコードです。"),
        ({"capacity": "-3"}, "0以上の整数で入力してください。"),
        ({"day": "2025-02-30"}, "無効な日付型です。"),  # WTForms' own Japanese catalogue
        ({"title": "長" * 201}, "200文字以内で入力してください。"),
        ({"registration_opens_at": "2025-08-01T09:00"}, "申込受付は開催日時より前に始まるようにしてください。"),
        ({"day": "1376-07-11"}, "2000年から2100年までの日付を指定してください。"),  # was a 500 (fiscal_year check)
        ({"registration_opens_at": "1999-12-31T09:00"}, "2000年から2100年までの日付を指定してください。"),
    ]
    for change, message in cases:
        response = organizer.post("/admin/events/new", data={**base, **change})
        assert response.status_code == 422, change
        assert message in response.text, change
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_english_is_available(client):
    assert "Upcoming events" in client.get("/?lang=en").text
    assert "これからのイベント" in client.get("/?lang=ja").text


def test_admin_renames_goals_and_scenes_but_codes_stay(app, make_user):
    admin = logged_in_client(app, make_user, Role.ADMIN)
    form = {f"goal-{code}": label for code, label in GOALS.items()} | {f"scene-{c}": label for c, label in SCENES.items()}
    refused = admin.post("/admin/tags", data={**form, "goal-acp": "  "})
    assert refused.status_code == 422 and "1〜100文字" in refused.text
    assert admin.post("/admin/tags", data={**form, "goal-acp": "②人生会議の推進"}).status_code == 302
    assert db.session.scalar(sa.select(Goal.label).where(Goal.code == "acp")) == "②人生会議の推進"


def test_declining_an_outreach_request_twice_is_refused_politely(app, make_user):
    request = OutreachRequest(group_name="若葉会", contact_name="鈴木", phone="1", wished_dates="8月")
    db.session.add(request)
    db.session.commit()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    organizer.post(f"/admin/outreach/{request.id}/decline")
    second = organizer.post(f"/admin/outreach/{request.id}/decline", follow_redirects=True)
    assert "すでに対応済み" in second.text
    assert db.session.get(OutreachRequest, request.id).status == OutreachStatus.DECLINED
