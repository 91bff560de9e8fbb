"""The demo programme: seed 001's fiscal-2025 events and plan, loaded idempotently."""
from datetime import datetime

import sqlalchemy as sa

from eventsapp.catalog.models import Event, EventFormat, EventStatus, Initiative, Series
from eventsapp.dates import TOKYO
from eventsapp.extensions import db


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
    assert row_counts() == counts
    assert first.output.split("admin login: ")[1] == second.output.split("admin login: ")[1]
    assert counts["series"] == 9 and counts["events"] == 22 and counts["initiatives"] == 32


def test_demo_reproduces_seed_001s_events(app, runner):
    runner.invoke(args=["demo"])
    events = db.session.scalars(sa.select(Event)).all()
    assert {e.fiscal_year for e in events} == {2025}
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
        sa.select(Event).join(Event.series).where(Series.name == "看取り症例検討会").order_by(Event.starts_at)
    ).all()
    assert [(e.area, e.starts_at.astimezone(TOKYO).date().isoformat()) for e in reviews] == [
        ("東部", "2025-09-24"), ("南部", "2025-10-23"), ("中部", "2026-02-13"), ("北部", "2026-02-20"),
    ]
    outreach = db.session.scalars(sa.select(Event).join(Event.series).where(Series.name == "出前講座")).all()
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
    page = client.get("/").text
    assert "開催済みのイベント（令和7年度）" in page
    assert "令和7年7月11日(金)18:30～20:20" in page
    assert "令和7年10月4日(土)14:00～16:00" in page
    assert "令和8年2月12日(木)18:30～20:30" in page
