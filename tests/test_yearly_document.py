"""The yearly report as the city's document: each event written once with
references elsewhere, the city's order, committees without survey lines, custom indicator
names, and a joint event written with each series' own new share.

The fiscal year is test_yearly_report.py's `year_2025` (two つむぐ会, one 出前講座, counted
there by hand); every expected line below is counted on paper from it or from the rows
written here."""
from datetime import date, time

import sqlalchemy as sa
from test_yearly_report import TSUMUGU_LINES, answer, attend, rows_by_plan, year_2025  # noqa: F401

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Audience, Event, Initiative, Series
from eventsapp.catalog.report_settings import save_result_layout, save_series_report_style
from eventsapp.catalog.service import save_initiative
from eventsapp.extensions import db
from eventsapp.reports.yearly import yearly_table
from eventsapp.surveys.editing import OptionInput, QuestionInput, ensure_event_survey, save_question
from eventsapp.surveys.models import IndicatorLabel, QuestionKind

FIRST = "第1回:令和7年7月11日(金)18:30～20:20 3名参加 「ICTを活用した多職種連携について」"
FIRST_RATES = TSUMUGU_LINES[2]
SECOND = "第2回:令和7年10月4日(土)14:00～16:00 2名参加(1名(参集)+1名(録画視聴申込)) 「住み慣れた地域で私らしく生きるために」"
SECOND_RATES = "　新規参加者 1名(50.0%)"
PLAN = "介護と医療をつむぐ会を年2回開催する。"


def tsumugu_events() -> list[Event]:
    return list(db.session.scalars(
        sa.select(Event).join(Series, Series.id == Event.series_id)
        .where(Series.name == "介護と医療をつむぐ会", Event.fiscal_year == 2025).order_by(Event.starts_at)
    ))


def link(plan: str, position: int, events, scene: str = "daily") -> Initiative:
    initiative = save_initiative(db.session, fiscal_year=2025, scene=scene, goals=["collaboration"],
                                 target="専門職", plan=plan, position=position)
    initiative.events = list(events)
    db.session.commit()
    return initiative


def rows():
    return rows_by_plan(yearly_table(db.session, 2025))


def test_an_event_linked_to_three_initiatives_is_written_once_and_referred_to_twice(year_2025):
    events = tsumugu_events()
    link("つむぐ会の新規参加者を増やす。", 4, events)
    link("つむぐ会の内容を発信する。", 5, events, scene="common")
    found = rows()
    assert found[PLAN].computed == TSUMUGU_LINES  # the whole block, once
    reference = f"介護と医療をつむぐ会（第1回～第2回）は「{PLAN}」の欄を参照"
    assert found["つむぐ会の新規参加者を増やす。"].computed == [reference]
    assert found["つむぐ会の内容を発信する。"].computed == [reference]


def test_the_organizer_moves_an_event_to_its_main_initiative(year_2025):
    first, second = tsumugu_events()
    fourth = link("つむぐ会の新規参加者を増やす。", 4, [first, second])
    save_result_layout(db.session, fourth, note="", prose_first=False, main_event_ids=[second.id])
    found = rows()
    # One event left at the plan's first line: no heading, its own numbers, a reference.
    assert found[PLAN].computed == [
        FIRST, FIRST_RATES,
        "介護と医療をつむぐ会（第2回「住み慣れた地域で私らしく生きるために」）は「つむぐ会の新規参加者を増やす。」の欄を参照",
    ]
    assert found["つむぐ会の新規参加者を増やす。"].computed == [
        SECOND, SECOND_RATES, f"介護と医療をつむぐ会（第1回「ICTを活用した多職種連携について」）は「{PLAN}」の欄を参照",
    ]
    # Unmarked again: back to the first linked in plan order.
    save_result_layout(db.session, fourth, note="", prose_first=False, main_event_ids=[])
    assert db.session.get(Event, second.id).main_initiative_id is None
    assert rows()[PLAN].computed == TSUMUGU_LINES


def test_the_event_lines_come_first_unless_the_prose_is_put_first(year_2025):
    initiative = db.session.get(Initiative, year_2025[1])
    assert rows()[PLAN].result_text == "\n".join([*TSUMUGU_LINES, "グループワークを行った。"])
    save_result_layout(db.session, initiative, note="年間テーマ:多職種連携", prose_first=True, main_event_ids=[])
    assert rows()[PLAN].result_text == "\n".join(["年間テーマ:多職種連携", *TSUMUGU_LINES])
    assert rows()[PLAN].result_lines[0] == "年間テーマ:多職種連携"


def test_a_committee_meeting_has_members_an_agenda_and_no_survey_lines(year_2025, app, client, make_series,
                                                                       make_event, bearer):
    council = make_series("在宅医療介護連携会議", scenes=["disaster"])
    save_series_report_style(db.session, council, indicators=[], new_share=False, participant_label="委員")
    meeting = make_event(series=council, day=date(2025, 12, 23), start=time(10, 30), end=time(12),
                         title="地域BCP／災害時対応研修", scenes=["disaster"])
    attend(meeting, "委員一")
    attend(meeting, "委員二")
    answer(client, bearer(Role.ADMIN), meeting, {"satisfaction": "very_satisfied"})  # asked, never printed
    link("災害時の取組を検討する。", 4, [meeting], scene="disaster")
    assert rows()["災害時の取組を検討する。"].computed == [
        "令和7年12月23日(火)10:30～12:00 委員2名参加 議題:地域BCP／災害時対応研修",
    ]


def test_a_custom_indicator_is_written_with_its_name(year_2025, app, client, bearer):
    first, _ = tsumugu_events()
    save_question(db.session, ensure_event_survey(db.session, first), QuestionInput(
        key="sheet_use", text="連携シートを使っていますか。", kind=QuestionKind.LIKERT, indicator="sheet_use",
        options=[OptionInput(code="yes", label="使っている", positive=True),
                 OptionInput(code="no", label="使っていない", positive=False)]))
    headers = bearer(Role.ADMIN)
    answer(client, headers, first, {"sheet_use": "yes"})
    answer(client, headers, first, {"sheet_use": "no"})
    answer(client, headers, first, {"sheet_use": "yes"})  # 2 of 3 positive: 66.7%
    tsumugu = db.session.scalar(sa.select(Series).where(Series.name == "介護と医療をつむぐ会"))
    save_series_report_style(db.session, tsumugu, indicators=["satisfaction", "sheet_use"], new_share=True,
                             participant_label="参加者")
    assert "sheet_use 66.7%(2/3)" in rows()[PLAN].computed[2]  # no name yet: the key
    db.session.add(IndicatorLabel(key="sheet_use", label="連携シートを活用している"))
    db.session.commit()
    # 満足度: the three earlier answers of year_2025 plus three with no satisfaction answer.
    assert rows()[PLAN].computed[2] == "　新規参加者 2名(66.7%) 満足度 66.7%(2/3) 連携シートを活用している 66.7%(2/3)"


def test_a_joint_event_shows_each_series_own_new_share(app, make_series, make_event):
    tsumugu = make_series()
    lecture = make_series("市民公開講座", Audience.CITIZENS, goals=["awareness"])
    past_lecture = make_event(series=lecture, day=date(2024, 10, 19), start=time(14), end=time(16), title="昨年度の講座")
    first = make_event(series=tsumugu)
    joint = make_event(series=tsumugu, joint_series_ids=[lecture.id], day=date(2025, 10, 4), start=time(14),
                       end=time(16), title="合同講座")
    attend(past_lecture, "市民")  # came to the lecture last year: not new to it, new to つむぐ会
    attend(first, "専門職")
    attend(joint, "市民")
    attend(joint, "初参加")
    link("つむぐ会を開催する。", 1, [first, joint])
    link("市民公開講座を開催する。", 2, [joint])
    found = rows()
    assert found["つむぐ会を開催する。"].computed == [
        "介護と医療をつむぐ会の開催:2回 延べ3名 新規参加者 3名(100.0%)",
        "第1回:令和7年7月11日(金)18:30～20:20 1名参加 「ICTを活用した多職種連携について」",
        "　新規参加者 1名(100.0%)",
        "第2回:令和7年10月4日(土)14:00～16:00 2名参加 「合同講座」(市民公開講座と合同開催)",
        "　新規参加者 2名(100.0%)",  # both new to つむぐ会
    ]
    assert found["市民公開講座を開催する。"].computed == [
        "令和7年10月4日(土)14:00～16:00 2名参加 「合同講座」(第2回介護と医療をつむぐ会と合同開催)",
        "　新規参加者 1名(50.0%)",  # 市民 came to last year's lecture
    ]


def test_the_organizer_sets_the_order_and_the_main_events_on_the_screen(year_2025, app, make_user):
    from tests_support import logged_in_client

    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    first, second = tsumugu_events()
    initiative_id = year_2025[1]
    page = organizer.get(f"/admin/initiatives/{initiative_id}/result-note")
    assert page.status_code == 200 and "この欄に実績を書くイベント" in page.text
    saved = organizer.post(f"/admin/initiatives/{initiative_id}/result-note",
                           data={"result_note": "まとめ", "prose_first": "y", "main_event_ids": [str(second.id)]})
    assert saved.status_code == 302
    initiative = db.session.get(Initiative, initiative_id)
    assert initiative.prose_first and initiative.result_note == "まとめ"
    assert db.session.get(Event, second.id).main_initiative_id == initiative_id
    assert db.session.get(Event, first.id).main_initiative_id is None
    html = organizer.get("/admin/reports/2025/yearly").text
    assert html.index("まとめ") < html.index(FIRST)
    # an event not linked to the initiative is refused with a message, nothing stored
    other = link("ほかの取組", 9, [])
    refused = organizer.post(f"/admin/initiatives/{other.id}/result-note",
                             data={"result_note": "x", "main_event_ids": [str(first.id)]})
    assert refused.status_code == 422 and "選択肢にない値です。" in refused.text
    assert db.session.get(Initiative, other.id).result_note == ""


def test_indicator_names_are_set_on_their_screen(year_2025, app, make_user):
    from tests_support import logged_in_client

    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    first, _ = tsumugu_events()
    save_question(db.session, ensure_event_survey(db.session, first), QuestionInput(
        key="sheet_use", text="連携シートを使っていますか。", kind=QuestionKind.LIKERT, indicator="sheet_use",
        options=[OptionInput(code="yes", label="使っている", positive=True), OptionInput(code="no", label="いない")]))
    page = organizer.get("/admin/surveys/indicators")
    assert page.status_code == 200 and 'name="name-sheet_use"' in page.text
    assert organizer.post("/admin/surveys/indicators", data={"name-sheet_use": "連携シート活用"}).status_code == 302
    assert db.session.get(IndicatorLabel, "sheet_use").label == "連携シート活用"
    summary = organizer.get(f"/admin/events/{first.id}/summary").text
    assert "連携シート活用" in summary and ">sheet_use<" not in summary
    too_long = organizer.post("/admin/surveys/indicators", data={"name-sheet_use": "長" * 101})
    assert too_long.status_code == 422 and db.session.get(IndicatorLabel, "sheet_use").label == "連携シート活用"
    organizer.post("/admin/surveys/indicators", data={"name-sheet_use": ""})  # blank: back to the key
    assert db.session.get(IndicatorLabel, "sheet_use") is None


def test_a_series_style_is_set_on_its_screen(year_2025, app, make_user):
    from tests_support import logged_in_client

    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    tsumugu = db.session.scalar(sa.select(Series).where(Series.name == "介護と医療をつむぐ会"))
    assert organizer.get("/admin/reports/series-styles").status_code == 200
    saved = organizer.post(f"/admin/reports/series/{tsumugu.id}/style",
                           data={"indicators": ["satisfaction"], "participant_label": "委員"})
    assert saved.status_code == 302
    db.session.refresh(tsumugu)
    assert (tsumugu.yearly_indicators, tsumugu.report_new_share, tsumugu.participant_label) == (
        ("satisfaction",), False, "委員")
    assert rows()[PLAN].computed[1:3] == [
        "第1回:令和7年7月11日(金)18:30～20:20 委員3名参加 議題:ICTを活用した多職種連携について", "　満足度 66.7%(2/3)"]
    refused = organizer.post(f"/admin/reports/series/{tsumugu.id}/style",
                             data={"default": "y", "participant_label": "来賓"})
    assert refused.status_code == 422 and "選択肢にない値です。" in refused.text
    db.session.refresh(tsumugu)
    assert tsumugu.participant_label == "委員"
