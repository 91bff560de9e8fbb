"""GET /api/v1/events/{id}/summary and GET /api/v1/reports/fiscal-year/{year}: the keys of
docs/architecture.md (*The summary*), the numbers of the engine, Tokyo times, and Japanese errors
for bad input."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Audience, EventFormat
from eventsapp.checkin.service import admit_walk_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Organization
from eventsapp.registration.models import Channel, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.summary import event_summaries, fiscal_year_report

SUMMARY_KEYS = {"event_id", "registered", "waitlisted", "cancelled", "attended", "on_demand_views", "attendance_rate",
                "new_participants", "new_organizations", "indicators", "responses"}
POOLED_KEYS = (SUMMARY_KEYS - {"event_id"}) | {"events", "distinct_persons"}
RATE_KEYS = {"n", "d", "pct"}


@pytest.fixture
def held(app, make_event, make_series, client, bearer, make_user):
    """An event with two registrations (one checked in) and a walk-in, and two sheets."""
    headers = bearer(Role.ORGANIZER)
    event = make_event(joint_series_ids=[make_series("市民公開講座", Audience.CITIZENS).id], area="東部")
    for number in (1, 2):
        response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={
            "family_name": "参加", "given_name": str(number), "family_kana": "さんか", "email": f"p{number}@example.jp"})
        assert response.status_code == 201
        if number == 1:
            scan = {"ticket": response.json["ticket"], "nonce": "nonce-api-0001"}
            assert client.post(f"/api/v1/events/{event.id}/checkins", headers=headers, json=scan).status_code == 201
    admit_walk_in(db.session, event_id=event.id, person=PersonFields(family_name="飛込", phone="0311112222"),
                  staff=make_user("paper-list", Role.ORGANIZER))  # a past event: back-filled by an organizer
    for answers in ({"satisfaction": "satisfied", "collaboration": "no"}, {"satisfaction": "neutral"}):
        response = client.post(f"/api/v1/events/{event.id}/responses", headers=headers, json={"answers": answers})
        assert response.status_code == 201, response.json
    return event, headers


def test_the_summary_has_the_keys_and_numbers_of_the_engine(held, client):
    event, headers = held
    response = client.get(f"/api/v1/events/{event.id}/summary", headers=headers)
    assert response.status_code == 200
    body = response.json
    assert set(body) == SUMMARY_KEYS
    assert set(body["registered"]) == {"in_person", "on_demand", "total"}
    assert set(body["attended"]) == {"in_person", "walk_in", "on_demand", "total"}
    assert set(body["new_participants"]) == {"series", "programme"}
    for rate in (body["attendance_rate"], body["new_organizations"], body["responses"],
                 *body["new_participants"].values(), *body["indicators"].values()):
        assert set(rate) == RATE_KEYS
    assert body == event_summaries(db.session, [event.id])[event.id]
    # by hand: 2 registered, 1 came; + a walk-in → 2 attended; sheets: satisfied, neutral
    assert body["registered"] == {"in_person": 2, "on_demand": 0, "total": 2}
    assert body["attended"] == {"in_person": 2, "walk_in": 1, "on_demand": 0, "total": 2}
    assert body["on_demand_views"] == {"viewers": 0, "views": 0}
    assert body["attendance_rate"] == {"n": 1, "d": 2, "pct": 50.0}
    # a joint event with a citizens' series: its survey also asks the citizens' acp_share
    assert body["indicators"] == {"acp_share": {"n": 0, "d": 0, "pct": None},
                                  "applicability": {"n": 0, "d": 0, "pct": None},
                                  "collaboration": {"n": 0, "d": 1, "pct": 0.0},
                                  "satisfaction": {"n": 1, "d": 2, "pct": 50.0}}
    # both sheets anonymous: they count for the indicators, not the rate of attendees
    assert body["responses"] == {"n": 0, "d": 2, "pct": 0.0}


def test_an_unknown_event_is_a_404_in_japanese(app, client, bearer):
    response = client.get("/api/v1/events/999999/summary", headers=bearer())
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_event"
    assert "イベント" in response.json["error"]["message"]


def test_the_fiscal_year_report(held, client, make_event):
    event, headers = held
    make_event(day=date(2026, 4, 1))  # fiscal 2026: not in 2025
    response = client.get("/api/v1/reports/fiscal-year/2025", headers=headers)
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"fiscal_year", "label", "events", "by_series", "by_goal", "by_scene", "total"}
    assert (body["fiscal_year"], body["label"]) == (2025, "令和7年度")
    [row] = body["events"]
    extra = {"title", "series", "series_id", "joint_series_ids", "starts_at", "ends_at", "goals", "scenes", "area"}
    assert set(row) == SUMMARY_KEYS | extra
    assert row["starts_at"] == "2025-07-11T18:30:00+09:00" and row["ends_at"] == "2025-07-11T20:20:00+09:00"
    assert (row["series"], row["goals"], row["scenes"], row["area"]) == ("介護と医療をつむぐ会", ["collaboration"], ["daily"], "東部")
    assert len(row["joint_series_ids"]) == 1
    assert set(body["total"]) == POOLED_KEYS
    assert all(set(r) == POOLED_KEYS | {"series_id", "name"} for r in body["by_series"])
    assert all(set(r) == POOLED_KEYS | {"code", "label"} for r in body["by_goal"] + body["by_scene"])
    assert sorted(r["name"] for r in body["by_series"]) == ["介護と医療をつむぐ会", "市民公開講座"]  # joint: under both
    assert body["total"]["attended"]["total"] == 2 and body["total"]["distinct_persons"] == 2
    expected = fiscal_year_report(db.session, 2025)
    assert body["total"] == expected["total"] and body["by_goal"] == expected["by_goal"]


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/reports/fiscal-year/1999", 422),
    ("/api/v1/reports/fiscal-year/2101", 422),
    ("/api/v1/reports/fiscal-year/20255", 422),
    ("/api/v1/reports/fiscal-year/abc", 404),
    ("/api/v1/reports/fiscal-year/-1", 404),
    ("/api/v1/events/abc/summary", 404),
])
def test_bad_years_are_refused_in_japanese(app, client, bearer, path, status):
    response = client.get(path, headers=bearer())
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}
    assert any("\u3040" <= ch <= "\u9fff" for ch in response.json["error"]["message"])


@pytest.mark.parametrize("path", ["/api/v1/events/1/summary", "/api/v1/reports/fiscal-year/2025"])
def test_reception_may_not_read_the_reports(app, client, bearer, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(Role.RECEPTION)).status_code == 403


def test_the_openapi_document_describes_both_endpoints(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/events/{event_id}/summary" in paths
    assert "/api/v1/reports/fiscal-year/{year}" in paths


# --- the organizers' summary page and its exports ----------------------------------------

TRAP = "=SUM(A1:A9)の研修"


@pytest.fixture
def mixed(app, make_event):
    """Three on-demand viewers (no check-in needed to count) of a hybrid event with a
    formula-like title: two nurses of a hospital (LINE), one care manager (no channel)."""
    event = make_event(title=TRAP, format=EventFormat.HYBRID)
    people = [("看護師", "東病院", Channel.LINE), ("看護師", "東病院", Channel.LINE), ("介護支援専門員", "", None)]
    for number, (profession, organization, channel) in enumerate(people):
        register(db.session, event_id=event.id, mode=RegistrationMode.ON_DEMAND, channel=channel,
                 source=RegistrationSource.STAFF,
                 person=PersonFields(family_name="視聴", given_name=str(number), email=f"v{number}@example.jp",
                                     profession=profession, organization=organization))
    hospital = db.session.scalar(db.select(Organization).where(Organization.name == "東病院"))
    hospital.type = "病院"
    db.session.commit()
    return event


def test_the_summary_page_shows_counts_and_breakdowns(mixed, login):
    client = login(Role.ORGANIZER)
    page = client.get(f"/admin/events/{mixed.id}/summary")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-key="attended.total"><strong>3</strong>' in html
    assert "3/3" in html and "100.0%" in html  # new to the series: all three
    assert "看護師</th><td class=\"num\">2" in html and "介護支援専門員</th><td class=\"num\">1" in html
    assert "病院</th><td class=\"num\">2" in html and "LINE</th><td class=\"num\">2" in html
    assert "css/reports.css" in html
    assert "=SUM(A1:A9)の研修" in html
    listing = client.get(f"/admin/events/{mixed.id}/registrations").get_data(as_text=True)
    assert f"/admin/events/{mixed.id}/summary" in listing
    assert client.get("/admin/events/999999/summary").status_code == 404


def test_the_summary_exports_match_the_json(mixed, login):
    client = login(Role.ORGANIZER)
    summary = event_summaries(db.session, [mixed.id])[mixed.id]
    data = client.get(f"/admin/events/{mixed.id}/summary.csv").data
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n") > 5
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))}
    assert rows["イベント"][0] == "'" + TRAP  # a formula no more
    assert rows["参加計"][0] == "3" and rows["申込（オンデマンド）"][0] == "3"
    assert rows["新規参加者（シリーズ）"] == ["3", "3", "100.0"]
    assert rows["満足度"] == ["0", "0", ""]
    assert rows["職種：看護師"][0] == "2" and rows["申込経路：未記入"][0] == "1"

    response = client.get(f"/admin/events/{mixed.id}/summary.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert cells["参加計"][0] == summary["attended"]["total"]
    assert list(cells["新規の所属機関"]) == [summary["new_organizations"][k] for k in ("n", "d", "pct")]
    assert list(cells["アンケート回収率"]) == [0, 3, 0.0]
    assert cells["イベント"][0] == "'" + TRAP
