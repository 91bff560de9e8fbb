"""The demo programme: seed 001's fiscal-2025 events and plan, loaded idempotently, with
synthetic participants whose computed indicators are the report's figures
(docs/architecture.md, *The demo programme*)."""
import re
import time
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import Audience, Event, EventFormat, EventStatus, Initiative, Series
from eventsapp.checkin.models import CheckIn
from eventsapp.dates import TOKYO, format_schedule, now, to_tokyo
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
from eventsapp.surveys.models import Answer, Question, Response, Survey

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
    joint_answers_by_audience(events["tsumugu-2"])
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


def joint_answers_by_audience(event: Event) -> None:
    """The joint つむぐ会/市民公開講座: each respondent answered their own audience's items —
    the citizens (職種 市民) 人生会議の…, the professionals the collaboration items — and the
    citizens' item gives seed 001's 「約9割以上が人生会議の重要性を周囲に伝えたい」."""
    rows = db.session.execute(
        sa.select(Response.id, Response.audience, Question.audience, Person.profession)
        .join(Answer, Answer.response_id == Response.id).join(Question, Question.id == Answer.question_id)
        .join(Survey, Survey.id == Response.survey_id)
        .outerjoin(Registration, Registration.id == Response.registration_id)
        .outerjoin(Person, Person.id == Registration.person_id)
        .where(Survey.event_id == event.id)
    ).all()
    assert {asked for _, _, asked, _ in rows} == {None, Audience.PROFESSIONALS, Audience.CITIZENS}
    assert all(asked in (None, audience) for _, audience, asked, _ in rows)
    linked = {(response, audience, profession) for response, audience, _, profession in rows if profession}
    assert {audience for _, audience, profession in linked if profession == "市民"} == {Audience.CITIZENS}
    assert {audience for _, audience, profession in linked if profession != "市民"} == {Audience.PROFESSIONALS}
    rates = indicator_rates(db.session, [event.id])
    assert rates["acp_share"]["d"] >= 10 and rates["acp_share"]["pct"] >= 90
    citizens = db.session.scalar(sa.select(sa.func.count()).select_from(Response).join(Survey)
                                 .where(Survey.event_id == event.id, Response.audience == Audience.CITIZENS))
    assert rates["acp_share"]["d"] <= citizens < rates["satisfaction"]["d"]


def test_demo_activity_looks_like_a_real_year(app):
    load_demo(db.session)
    events = fy2025_by_key()
    summaries = event_summaries(db.session, [event.id for event in events.values()])
    formats = {event.id: event.format for event in events.values()}
    for event_id, summary in summaries.items():
        # 60-80 % answer; the rate counts only answers tied to an attendee, and a
        # fifth of the venue sheets are anonymous
        assert 45 <= summary["responses"]["pct"] <= 85, event_id
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
    # the events' answers: venue sheets and personal links (the offices' survey has its own)
    sources = set(db.session.scalars(sa.select(Response.source).join(Survey, Survey.id == Response.survey_id)
                                     .where(Survey.event_id.is_not(None))))
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


# --- the yearly document against seed 001 ---------------------------------------------------

def result_of(document: dict, plan_start: str) -> list[str]:
    (row,) = [row for row in document["rows"] if row["plan"].startswith(plan_start)]
    return row["result"].splitlines()


def event_lines(lines: list[str]) -> list[str]:
    """The cell without its survey lines (they start with a full-width space)."""
    return [line for line in lines if not line.startswith("　")]


SEED_REFERENCE = "は「在宅・病院・施設・消防の関係者が互いの専門性や支援の視点、認…」の欄を参照"
TSUMUGU_JOINT_TITLE = "「住み慣れた地域で私らしく生きるために～人生会議とアドバンス・ライフ・プランニングのすすめ～」"


def test_the_demo_yearly_document_reads_as_seed_001(app):
    """Seed 001's 実績 column, event line by event line: its dates, counts, titles and
    wording (第N回, (市民公開講座と同時開催), 委員6名参加 議題:…), each event written once
    with references where the seed repeats it, and its order of notes and lines."""
    from eventsapp.reports.yearly_document import yearly_document

    load_demo(db.session)
    document = yearly_document(db.session, 2025)
    assert document["front_matter"]["philosophy"].startswith("医療や介護が必要になっても住み慣れた地域で")
    assert [g["definition"] for g in document["front_matter"]["goals"]][3] == "病院・在宅・施設・消防の関係者間で連携を深めることができる。"

    tsumugu = result_of(document, "在宅・病院・施設・消防の関係者が")
    assert event_lines(tsumugu) == [
        "介護と医療をつむぐ会の開催:4回 延べ268名" + tsumugu[0].split("延べ268名")[1],  # 45 + 82 + 67 + 74
        "第1回:令和7年7月11日(金)18:30～20:20 45名参加 「ICTを活用した多職種連携について」",
        f"第2回:令和7年10月4日(土)14:00～16:00 82名参加(65名(参集)+17名(録画視聴申込)) {TSUMUGU_JOINT_TITLE}(市民公開講座と同時開催)",
        "第3回:令和7年12月12日(金)15:00～17:00 67名参加 「支援の風の入れ方～離れる・あきらめる勇気も必要な支援～」",
        "第4回:令和8年2月12日(木)18:30～20:30 74名参加 「災害時対応～在宅療養者への支援～」",
    ]
    assert tsumugu[2].startswith("　新規参加者 13名(28.9%)")  # seed: 第1回29%
    assert tsumugu[4].startswith("　新規参加者 31名(37.8%)")  # seed: 第2回38%
    # the つむぐ会 block once: the two other つむぐ会 lines of the plan refer to it
    assert result_of(document, "介護と医療をつむぐ会を年4回開催する") == [f"介護と医療をつむぐ会（第1回～第4回）{SEED_REFERENCE}"]
    assert result_of(document, "介護と医療をつむぐ会において、病院関係者") == [
        f"介護と医療をつむぐ会（第1回～第4回）{SEED_REFERENCE}",
        "今年度は第3回を日中開催としたこともあり、普段夜間は参加できないような新規参加の方も多かった。"]

    lecture = result_of(document, "市民公開講座の開催(第2回介護と医療をつむぐ会と合同開催)")
    assert lecture[0] == (f"令和7年10月4日(土)14:00～16:00 82名参加(65名(参集)+17名(録画視聴申込)) {TSUMUGU_JOINT_TITLE}"
                          "(第2回介護と医療をつむぐ会と同時開催)")
    # seed 001: 講座後、約9割以上の方が人生会議の重要性を周囲に伝えたいと回答 (the citizens' item)
    acp = re.fullmatch(r"　新規参加者 \d+名\([\d.]+%\) 満足度 [\d.]+%\(\d+/\d+\)"
                       r" 人生会議の重要性を周囲に伝えたい ([\d.]+)%\(\d+/\d+\)", lecture[1])
    assert acp and float(acp.group(1)) >= 90, lecture[1]
    assert lecture[2] == "※1 講師:三浦靖彦氏、中村恵氏"  # lines first, then the notes

    demae = event_lines(result_of(document, "市民の依頼に基づいて"))
    assert demae[0].startswith("出前講座の開催:6回 延べ129名")
    assert [line.split(" ")[1] for line in demae[1:7]] == ["18名参加", "24名参加", "21名参加", "27名参加", "16名参加",
                                                           "23名参加"]
    satisfaction = re.search(r"満足度 ([\d.]+)%", demae[0]).group(1)
    assert float(satisfaction) > 90  # seed: 参加者の9割以上が「満足」

    assert event_lines(result_of(document, "情報共有システムの機能拡充"))[1:] == [
        "情報共有システム研修会の開催:2回 延べ22名" + result_of(document, "情報共有システムの機能拡充")[1].split("延べ22名")[1],
        "第1回:令和7年9月10日(水)14:00～15:30 16名参加 「ケアプランデータ連携とデモ機操作体験（第1回）」",
        "第2回:令和7年9月17日(水)14:00～15:30 6名参加 「ケアプランデータ連携とデモ機操作体験（第2回）」",
    ]
    assert result_of(document, "高齢者住まい看取りケア研修会")[0] == "令和7年7月2日(水)10:00～12:00 23名参加 「VR体験で学ぶ看取りケア」"
    assert event_lines(result_of(document, "在宅療養・看取り推進のための症例検討会"))[1:5] == [
        "第1回(東部):令和7年9月24日(水)18:00～19:30 21名参加 「看取り症例検討会（東部）」",
        "第2回(南部):令和7年10月23日(木)18:00～19:30 20名参加 「看取り症例検討会（南部）」",
        "第3回(中部):令和8年2月13日(金)16:30～17:50 13名参加 「看取り症例検討会（中部）」",
        "第4回(北部):令和8年2月20日(金)18:00～19:20 11名参加 「看取り症例検討会（北部）」",
    ]
    # meetings: the notes first as the seed writes them, no survey or new-participant lines
    assert result_of(document, "病院相談員連絡会に参加し")[:3] == [
        "年間テーマ:権利擁護", "病院相談員連絡会の開催:3回 延べ47名",
        "第1回:令和7年7月10日(木)10:00～11:30 12名参加 「ACPについて／ディスカッション～所属機関内・地域での情報共有に向けて～」"]
    assert result_of(document, "認知症初期集中支援チームで支援を行い") == [
        "ケース対応件数:4件(モニタリング1件)", "令和8年3月11日(水)15:00～16:00 委員9名参加 議題:支援ケースの振り返り"]
    assert result_of(document, "災害時における要配慮者の安否確認") == [
        "災害時における取組の検討を行うため、在宅医療介護連携会議・臨時会を開催。",
        "令和7年12月23日(火)10:30～12:00 委員6名参加 議題:地域BCP／災害時対応研修",
        f"介護と医療をつむぐ会（第4回「災害時対応～在宅療養者への支援～」）{SEED_REFERENCE}",
    ]
    # every fiscal-2025 event's line is written once; the joint one once per series
    text = "\n".join(row["result"] for row in document["rows"])
    for row in demo_data.EVENTS:
        day = datetime.fromisoformat(f"{row['day']}T{row['start']}").replace(tzinfo=TOKYO)
        stamp = format_schedule(day, day)[:-5]  # 令和7年7月11日(金)18:30～
        assert text.count(stamp) == (2 if row["joint_series"] else 1), row["key"]
