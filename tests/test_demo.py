"""The demo programme: seed 001's fiscal-2025 events and plan, loaded idempotently, with
synthetic participants whose computed indicators are the report's figures
(docs/architecture.md, *The demo programme*)."""
import re
import time
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import Event, EventFormat, EventStatus, Initiative, Series
from eventsapp.checkin.models import CheckIn
from eventsapp.dates import TOKYO, now, to_tokyo
from eventsapp.demo import data as demo_data, participants as demo_people
from eventsapp.demo.programme import load_demo
from eventsapp.demo.upcoming import upcoming_rows
from eventsapp.extensions import db
from eventsapp.people.models import Organization, Person
from eventsapp.people.organizations import ORGANIZATION_TYPES
from eventsapp.people.professions import PROFESSIONS
from eventsapp.registration.models import Registration
from eventsapp.reports.summary import event_summaries
from eventsapp.surveys.indicators import indicator_rates
from eventsapp.surveys.models import Answer, Response

pytestmark = pytest.mark.slow  # every test loads the whole demo programme

FY2025_EVENTS = 22
FY2024_EVENTS = 21
# A day of fiscal 2025: the demo adds no upcoming events then (they would change the report), so
# the database holds the seed's programme and nothing else (tests/test_demo_upcoming.py has them).
IN_FY2025 = date(2025, 6, 1)


def seed_events(events):
    return [event for event in events if event.fiscal_year <= demo_data.FISCAL_YEAR]


def row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
        }


def event_at(series_name: str, start: datetime) -> Event:
    return db.session.scalar(
        sa.select(Event).join(Event.series).where(Series.name == series_name, Event.starts_at == start)
    )


def test_demo_twice_gives_the_same_rows(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin login: admin / " in first.output
    counts = row_counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "series +0, events +0, initiatives +0" in second.output
    assert "persons +0, registrations +0, checkins +0, responses +0" in second.output
    assert row_counts() == counts
    assert first.output.split("admin login: ")[1] == second.output.split("admin login: ")[1]
    upcoming = len(upcoming_rows(to_tokyo(now()).date()))  # the command loads them around today
    assert counts["series"] == 9 and counts["events"] == FY2025_EVENTS + FY2024_EVENTS + upcoming
    assert counts["initiatives"] == 32
    assert counts["persons"] > 400 and counts["registrations"] > 1000 and counts["answers"] > 1000


def test_demo_reproduces_seed_001s_events(app, runner):
    runner.invoke(args=["demo"])
    events = db.session.scalars(sa.select(Event)).all()
    assert sorted(e.fiscal_year for e in seed_events(events)) == [2024] * FY2024_EVENTS + [2025] * FY2025_EVENTS
    assert {e.status for e in events} == {EventStatus.PUBLISHED}

    first = event_at("介護と医療をつむぐ会", datetime(2025, 7, 11, 18, 30, tzinfo=TOKYO))
    assert first.title == "ICTを活用した多職種連携について"
    assert first.ends_at == datetime(2025, 7, 11, 20, 20, tzinfo=TOKYO)

    joint = event_at("介護と医療をつむぐ会", datetime(2025, 10, 4, 14, 0, tzinfo=TOKYO))
    assert [s.name for s in joint.joint_series] == ["市民公開講座"]
    assert joint.format == EventFormat.HYBRID
    assert {"awareness", "acp"} <= {g.code for g in joint.goals}

    fourth = event_at("介護と医療をつむぐ会", datetime(2026, 2, 12, 18, 30, tzinfo=TOKYO))
    assert "災害時対応" in fourth.title and "disaster" in {s.code for s in fourth.scenes}

    reviews = db.session.scalars(
        sa.select(Event).join(Event.series)
        .where(Series.name == "看取り症例検討会", Event.fiscal_year == 2025).order_by(Event.starts_at)
    ).all()
    assert [(e.area, e.starts_at.astimezone(TOKYO).date().isoformat()) for e in reviews] == [
        ("東部", "2025-09-24"), ("南部", "2025-10-23"), ("中部", "2026-02-13"), ("北部", "2026-02-20"),
    ]
    outreach = db.session.scalars(
        sa.select(Event).join(Event.series).where(Series.name == "出前講座", Event.fiscal_year == 2025)
    ).all()
    assert len(outreach) == 6


def test_demo_plan_links_initiatives_to_events(app, runner):
    runner.invoke(args=["demo"])
    tsumugu = db.session.scalars(
        sa.select(Initiative).where(Initiative.plan.contains("新規参加者が増え"))
    ).one()
    assert len(tsumugu.events) == 4 and tsumugu.scene.code == "daily"
    outreach = db.session.scalars(sa.select(Initiative).where(Initiative.plan.contains("出前講座を開催する"))).one()
    assert len(outreach.events) == 6


def test_public_list_shows_the_demo_year(app, runner, client):
    runner.invoke(args=["demo"])
    page = client.get("/", query_string={"fy": "2025"}).text  # today's event may already be past
    assert "開催済みのイベント（令和7年度）" in page
    assert "令和7年7月11日(金)18:30～20:20" in page
    assert "令和7年10月4日(土)14:00～16:00" in page
    assert "令和8年2月12日(木)18:30～20:30" in page


# --- the synthetic participants ------------------------------------------------------------

def fy2025_by_key() -> dict[str, Event]:
    """The FY2025 events by their demo_data key (series and start identify an event)."""
    found = {}
    for row in demo_data.EVENTS:
        start = demo_people.event_start(row)
        found[row["key"]] = event_at(row["series"], start)
    return found


def attended(summary: dict) -> tuple[int, int, int]:
    parts = summary["attended"]
    return parts["in_person"], parts["on_demand"], parts["total"]


def test_demo_gives_the_reports_figures(app):
    started = time.perf_counter()
    load_demo(db.session)
    print(f"load_demo on {db.engine.dialect.name}: {time.perf_counter() - started:.2f} s")
    events = fy2025_by_key()
    summaries = event_summaries(db.session, [event.id for event in events.values()])
    by_key = {key: summaries[event.id] for key, event in events.items()}

    # つむぐ会: 45 (new 13/45 = 28.9 %, "29 %"), 65 + 17 = 82 (new 31/82 = 37.8 %, "38 %"), 67, 74.
    assert attended(by_key["tsumugu-1"]) == (45, 0, 45)
    assert by_key["tsumugu-1"]["new_participants"]["series"] == {"n": 13, "d": 45, "pct": 28.9}
    assert attended(by_key["tsumugu-2"]) == (65, 17, 82)
    assert by_key["tsumugu-2"]["new_participants"]["series"] == {"n": 31, "d": 82, "pct": 37.8}
    assert attended(by_key["tsumugu-3"]) == (67, 0, 67)
    assert attended(by_key["tsumugu-4"]) == (74, 0, 74)
    # 出前講座: six talks, 129 people in all, pooled satisfaction over 90 %.
    demae = [f"demae-{n}" for n in range(1, 7)]
    assert [by_key[key]["attended"]["total"] for key in demae] == [18, 24, 21, 27, 16, 23]
    assert sum(by_key[key]["attended"]["total"] for key in demae) == 129
    satisfaction = indicator_rates(db.session, [events[key].id for key in demae])["satisfaction"]
    assert satisfaction["d"] > 0 and satisfaction["n"] / satisfaction["d"] > 0.9
    # The end-of-life training, the four case reviews, the system training, the extra meeting.
    assert attended(by_key["mitori-care-1"]) == (23, 0, 23)
    assert [by_key[f"mitori-case-{area}"]["attended"]["total"] for area in ("east", "south", "central", "north")] \
        == [21, 20, 13, 11]
    assert [by_key["ict-1"]["attended"]["total"], by_key["ict-2"]["attended"]["total"]] == [16, 6]
    assert attended(by_key["renkei-extra-1"]) == (6, 0, 6)
    # Every other event: demo_data's count, or the synthetic one where the report has none.
    for row in demo_data.EVENTS:
        in_person = row["attended"]["in_person"] or demo_data.SYNTHETIC_ATTENDED[row["key"]]
        assert attended(by_key[row["key"]])[:2] == (in_person, row["attended"]["on_demand"] or 0), row["key"]


def test_demo_activity_looks_like_a_real_year(app):
    load_demo(db.session)
    events = fy2025_by_key()
    summaries = event_summaries(db.session, [event.id for event in events.values()])
    formats = {event.id: event.format for event in events.values()}
    for event_id, summary in summaries.items():
        assert 55 <= summary["responses"]["pct"] <= 85, event_id
        assert summary["attended"]["on_demand"] == 0 or formats[event_id] == EventFormat.HYBRID
    assert summaries[events["ict-1"].id]["waitlisted"] == 2
    assert sum(s["cancelled"] for s in summaries.values()) > 10
    assert sum(s["attended"]["walk_in"] for s in summaries.values()) > 20
    assert summaries[events["tsumugu-2"].id]["registered"]["on_demand"] == 17

    rows = db.session.execute(
        sa.select(Registration.source, Registration.channel, CheckIn.method, CheckIn.scanned_at, Event.starts_at,
                  Event.fiscal_year)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
    ).all()
    for source, _channel, method, scanned_at, starts_at, fiscal_year in rows:
        if fiscal_year == 2024:  # imported from the past paper lists
            assert source == "import" and method in ("import", None) and scanned_at is None
        elif method is not None:
            assert -timedelta(minutes=20) <= scanned_at - starts_at <= timedelta(minutes=15)
            assert (method == "walk_in") == (source == "walk_in")
    assert {row.channel for row in rows} >= {"line", "mail", "flyer", "homepage", "signage", "other"}
    sources = set(db.session.scalars(sa.select(Response.source)))
    assert sources == {demo_people.SHEET_SOURCE, "link"}


def test_demo_is_deterministic_and_holds_no_personal_data(app):
    plan = demo_people.build_plan()
    assert plan == demo_people.build_plan()
    load_demo(db.session, today=IN_FY2025)
    wanted = sorted((person.email, person.profession) for person in plan.persons)
    assert sorted(db.session.execute(sa.select(Person.email, Person.profession))) == wanted
    planned = sorted((event.key, row.status, row.source, row.checkin or "")
                     for event in plan.events for row in event.registrations)
    assert len(planned) == db.session.scalar(sa.select(sa.func.count()).select_from(Registration))

    persons = db.session.scalars(sa.select(Person)).all()
    assert all(re.fullmatch(r"demo\.\d+@example\.jp", p.email) and p.email_key == p.email for p in persons)
    assert all(p.phone == "" and p.phone_key == "" for p in persons)
    assert all(re.fullmatch(r"[ァ-ヶー]+", p.family_kana + p.given_kana) and p.kana_key for p in persons)
    assert {p.profession for p in persons} <= set(PROFESSIONS)
    texts = set(db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))))
    assert texts and texts <= {text for group in demo_people.COMMENTS.values() for text in group}
    organizations = db.session.scalars(sa.select(Organization)).all()
    assert {o.type for o in organizations} <= set(ORGANIZATION_TYPES)
    assert len([o for o in organizations if o.opened_on and o.opened_on.year == 2025]) == 3
