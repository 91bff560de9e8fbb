"""The plan's evaluation framework: each measure kind against hand counts, entered values with
their provenance, the five-year 評価シート with missing years, and its JSON, CSV and XLSX.

The events are test_yearly_report.py's `year_2025`, counted there by hand:
- つむぐ会 fiscal 2024: one event, 既知 came (1 participant, no survey answers).
- つむぐ会 fiscal 2025: 第1回 既知 + 初参加 + the walk-in 飛込 (欠席 never came) = 3;
  第2回 初参加 in person + 視聴 on demand = 2; 5 participants at 2 events. New to the series:
  初参加 and 飛込 at the 1st, 視聴 at the 2nd = 3/5 = 60.0 %; 既知 came in 2024, 初参加 came
  to the 1st. Answers (1st only): satisfaction very_satisfied, satisfied, neutral = 2/3 =
  66.7 %; collaboration yes, rather_no = 1/2 = 50.0 %; applicability yes, rather_yes = 2/2.
- 出前講座 fiscal 2025: one talk, the walk-ins 市民一 and 市民二 = 2 participants, both new,
  satisfaction 2/2.
- The year's programme: 7 participants, new to the programme 2 + 1 + 2 = 5/7 = 71.4 %.
"""
import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from test_yearly_report import attend, year_2025  # noqa: F401

from eventsapp.auth.models import AuditLog, Role, User
from eventsapp.catalog.models import Series
from eventsapp.evaluation.charts import trend_chart
from eventsapp.evaluation.measures import compute
from eventsapp.evaluation.models import EvaluationIndicator, EvaluationValue
from eventsapp.evaluation.service import (
    EvaluationError,
    IndicatorInput,
    delete_value,
    save_comment,
    save_indicator,
    save_value,
)
from eventsapp.evaluation.sheet import evaluation_sheet, value_text
from eventsapp.extensions import db
from tests_support import logged_in_client


def series_id(name: str) -> int:
    return db.session.scalar(sa.select(Series.id).where(Series.name == name))


TSUMUGU, DEMAE = "介護と医療をつむぐ会", "出前講座"


def measure(kind: str, year: int, **params) -> dict:
    return compute(db.session, kind, year, params)


def numbers(found: dict) -> tuple:
    return found["value"], found["n"], found["d"]


def indicator(name: str = "つむぐ会満足度", *, measure: str | None = None, params=None, unit: str = "%", **more):
    return save_indicator(db.session, IndicatorInput(goal="collaboration", scene="daily", name=name, unit=unit,
                                                     measure=measure, params=params or {}, **more))


# --- computed values, each measure kind against the hand counts -------------------------------

def test_participants_and_events_of_a_series(year_2025):
    tsumugu, demae = series_id(TSUMUGU), series_id(DEMAE)
    assert numbers(measure("series_participants", 2025, series_ids=[tsumugu])) == (5, None, None)  # 3 + 2
    assert numbers(measure("series_participants", 2024, series_ids=[tsumugu])) == (1, None, None)  # 既知
    assert numbers(measure("series_participants", 2025, series_ids=[tsumugu, demae])) == (7, None, None)  # 5 + 2
    assert numbers(measure("series_events", 2025, series_ids=[tsumugu])) == (2, None, None)
    assert numbers(measure("series_events", 2025, series_ids=[tsumugu, demae])) == (3, None, None)
    # No event of the series that year: no data, not zero (nothing was recorded then).
    empty = measure("series_participants", 2023, series_ids=[tsumugu])
    assert empty["value"] is None and "介護と医療をつむぐ会のイベントはありません" in empty["note"]
    assert measure("series_events", 2023, series_ids=[tsumugu])["value"] is None


def test_survey_indicators_of_a_series_are_pooled(year_2025):
    tsumugu, demae = series_id(TSUMUGU), series_id(DEMAE)
    assert numbers(measure("survey_indicator", 2025, series_ids=[tsumugu], key="satisfaction")) == (66.7, 2, 3)
    assert numbers(measure("survey_indicator", 2025, series_ids=[tsumugu], key="collaboration")) == (50.0, 1, 2)
    assert numbers(measure("survey_indicator", 2025, series_ids=[tsumugu], key="applicability")) == (100.0, 2, 2)
    # Pooled over two series: (2 + 2) / (3 + 2), not the mean of 66.7 % and 100 %.
    assert numbers(measure("survey_indicator", 2025, series_ids=[tsumugu, demae], key="satisfaction")) == (80.0, 4, 5)
    # The citizens' acp_share item exists but nobody answered it; 2024 had no answers at all.
    unanswered = measure("survey_indicator", 2025, series_ids=[demae], key="acp_share")
    assert numbers(unanswered) == (None, 0, 0) and "回答なし" in unanswered["note"]
    assert measure("survey_indicator", 2024, series_ids=[tsumugu], key="satisfaction")["value"] is None


def test_new_share_of_a_series_and_of_the_programme(year_2025):
    tsumugu = series_id(TSUMUGU)
    assert numbers(measure("new_share", 2025, series_ids=[tsumugu], scope="series")) == (60.0, 3, 5)
    assert numbers(measure("new_share", 2024, series_ids=[tsumugu], scope="series")) == (100.0, 1, 1)
    # New to the whole programme, the year's every event: 5 of 7.
    assert numbers(measure("new_share", 2025)) == (71.4, 5, 7)
    assert measure("new_share", 2023)["value"] is None


def test_a_joint_event_counts_once_across_the_chosen_series(year_2025, make_event, make_series):
    koukai = make_series("市民公開講座", goals=["awareness"])
    joint = make_event(series=koukai, joint_series_ids=[series_id(TSUMUGU)], day=date(2025, 11, 8),
                       start=time(14), end=time(16), title="合同の講座")
    attend(joint, "合同一")
    attend(joint, "既知")  # came to つむぐ会 in 2024 and 2025: not new to it
    tsumugu = series_id(TSUMUGU)
    assert numbers(measure("series_participants", 2025, series_ids=[tsumugu])) == (7, None, None)  # 5 + 2
    assert numbers(measure("series_participants", 2025, series_ids=[koukai.id])) == (2, None, None)
    assert numbers(measure("series_participants", 2025, series_ids=[tsumugu, koukai.id])) == (7, None, None)
    assert numbers(measure("series_events", 2025, series_ids=[tsumugu, koukai.id])) == (3, None, None)
    # Against つむぐ会, 合同一 is new and 既知 is not: 3 + 1 of 5 + 2.
    assert numbers(measure("new_share", 2025, series_ids=[tsumugu], scope="series")) == (57.1, 4, 7)
    # Against 市民公開講座 both are new to it.
    assert numbers(measure("new_share", 2025, series_ids=[koukai.id], scope="series")) == (100.0, 2, 2)


def test_views_and_office_shares_measured_by_the_capabilities_that_own_them(year_2025):
    """on_demand_views (viewing/), event_page_views (pageviews/), organization_survey_indicator
    (surveys/org_results.py), counted by hand."""
    from eventsapp.catalog.models import Event
    from eventsapp.pageviews.service import count_event_page_view
    from eventsapp.registration.models import Registration, RegistrationMode
    from eventsapp.viewing.models import Viewing

    second = db.session.scalar(sa.select(Event).where(Event.title == "住み慣れた地域で私らしく生きるために"))
    on_demand = db.session.scalar(sa.select(Registration).where(Registration.event_id == second.id,
                                                                Registration.mode == RegistrationMode.ON_DEMAND))
    db.session.add(Viewing(registration_id=on_demand.id, token="hand-counted-viewing-token", views=3))
    db.session.commit()
    # the 視聴 registrant opened the page 3 times: 3 views by 1 viewer; none in fiscal 2024
    assert numbers(measure("on_demand_views", 2025)) == (3, 1, None)
    # nothing recorded is no data, not 0 (a year before the viewing pages existed)
    assert numbers(measure("on_demand_views", 2025, series_ids=[series_id("出前講座")])) == (None, None, None)
    assert "記録はありません" in measure("on_demand_views", 2024)["note"]

    tokyo = ZoneInfo("Asia/Tokyo")
    for moment in (datetime(2025, 3, 31, 23, 59, tzinfo=tokyo),  # the last day of fiscal 2024
                   datetime(2025, 4, 1, 0, 0, tzinfo=tokyo), datetime(2025, 9, 1, 12, 0, tzinfo=tokyo),
                   datetime(2026, 3, 31, 23, 0, tzinfo=tokyo)):
        assert count_event_page_view(db.session, event_id=second.id, moment=moment)
    talk = db.session.scalar(sa.select(Event).where(Event.title == "人生会議ともしバナゲーム"))
    assert count_event_page_view(db.session, event_id=talk.id, moment=datetime(2025, 8, 1, 9, 0, tzinfo=tokyo))
    # fiscal 2025: 3 views of the つむぐ会's page + 1 of the 出前講座's = 4; the 3/31 view is 2024's
    assert numbers(measure("event_page_views", 2025)) == (4, None, None)
    assert numbers(measure("event_page_views", 2025, series_ids=[series_id("出前講座")])) == (1, None, None)
    assert numbers(measure("event_page_views", 2024)) == (1, None, None)
    assert numbers(measure("event_page_views", 2023)) == (None, None, None)

    # No survey of organizations that year: no data, with the reason, not 0 %
    offices = measure("organization_survey_indicator", 2025, survey_key="office_collaboration")
    assert numbers(offices) == (None, None, None) and "回答がありません" in offices["note"]


# --- entered values and their provenance -------------------------------------------------------

def test_an_entered_value_keeps_its_source_day_and_who_entered_it(app, make_user):
    user = make_user("kanri", Role.ORGANIZER)
    user.display_name = "介護支援課 山田"
    offices = indicator("「連携が取れている」居宅介護支援事業所の割合")
    # n/d only: the value is their rate, 19/24 = 79.17 → 79.2.
    save_value(db.session, offices, 2023, value="", n=19, d=24, taken_on=date(2023, 11, 30),
               source_note="居宅介護支援事業所アンケート", user=user)
    stored = db.session.scalar(sa.select(EvaluationValue))
    assert (float(stored.value), stored.n, stored.d, stored.taken_on, stored.entered_by_id) == (
        79.2, 19, 24, date(2023, 11, 30), user.id)
    value = evaluation_sheet(db.session, 2025)["indicators"][0]["values"][2]
    assert value == value | {"fiscal_year": 2023, "value": 79.2, "n": 19, "d": 24, "kind": "entered",
                             "note": "居宅介護支援事業所アンケート（把握日 令和5年11月30日(木)、入力 介護支援課 山田）"}
    # Corrected later: the same row, the new figure and the new day.
    save_value(db.session, offices, 2023, value="80", n=None, d=None, taken_on=date(2024, 1, 10),
               source_note="再集計", user=user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationValue)) == 1
    assert evaluation_sheet(db.session, 2025)["indicators"][0]["values"][2]["value"] == 80


def test_an_entered_value_takes_precedence_over_the_computed_one(year_2025):
    rated = indicator(measure="survey_indicator", params={"series_ids": [series_id(TSUMUGU)], "key": "satisfaction"})
    save_value(db.session, rated, 2025, value="94", n=None, d=None, taken_on=date(2026, 3, 31),
               source_note="紙のアンケートの手集計", user=None)
    this_year = evaluation_sheet(db.session, 2025)["indicators"][0]["values"][-1]
    assert (this_year["value"], this_year["kind"]) == (94, "entered")
    assert delete_value(db.session, rated, 2025) is True
    this_year = evaluation_sheet(db.session, 2025)["indicators"][0]["values"][-1]
    assert (this_year["value"], this_year["n"], this_year["d"], this_year["kind"]) == (66.7, 2, 3, "computed")


@pytest.mark.parametrize("typed, code", [
    ({"value": "", "n": None, "d": None}, "value_required"),
    ({"value": "abc", "n": None, "d": None}, "value_invalid"),
    ({"value": "NaN", "n": None, "d": None}, "value_invalid"),
    ({"value": "1e20", "n": None, "d": None}, "value_invalid"),
    ({"value": "", "n": 5, "d": None}, "denominator_required"),
    ({"value": "", "n": 25, "d": 24}, "counts_invalid"),
    ({"value": "", "n": 1, "d": 0}, "counts_invalid"),
    ({"value": "10", "n": None, "d": None, "source_note": "  "}, "source_required"),
    ({"value": "10", "n": None, "d": None, "taken_on": None}, "taken_on_required"),
    ({"value": "10", "n": None, "d": None, "taken_on": date(1990, 1, 1)}, "year_out_of_range"),
])
def test_bad_entered_values_are_refused(app, typed, code):
    target = indicator()
    with pytest.raises(EvaluationError) as refused:
        save_value(db.session, target, 2025, **({"taken_on": date(2025, 6, 1), "source_note": "出典"} | typed), user=None)
    assert refused.value.code == code
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationValue)) == 0


def test_bad_indicators_are_refused(year_2025):
    tsumugu = series_id(TSUMUGU)
    cases = [
        (dict(name=" "), "name_required"),
        (dict(interval_years=3), "base_year_required"),
        (dict(interval_years=11), "interval_out_of_range"),
        (dict(measure="no_such_measure"), "unknown_measure"),
        (dict(measure="series_participants"), "series_required"),
        (dict(measure="series_participants", params={"series_ids": [tsumugu, 9999]}), "unknown_series"),
        (dict(measure="survey_indicator", params={"series_ids": [tsumugu], "key": "nps"}), "unknown_key"),
        (dict(measure="new_share", params={"scope": "series"}), "one_series_for_scope"),
        (dict(measure="organization_survey_indicator", params={"survey_key": "Robert'); DROP"}), "survey_key_invalid"),
    ]
    for changes, code in cases:
        data = IndicatorInput(goal="collaboration", scene="daily", name="指標")
        for key, value in changes.items():
            setattr(data, key, value)
        with pytest.raises(EvaluationError) as refused:
            save_indicator(db.session, data)
        assert refused.value.code == code, changes
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationIndicator)) == 0


# --- the five-year sheet -----------------------------------------------------------------------

def test_the_five_year_sheet_shows_missing_years_and_the_years_not_evaluated(year_2025):
    yearly = indicator("救急情報カードの配布数", unit="枚")
    for year, value in ((2021, "1200"), (2023, "1350"), (2025, "1500")):
        save_value(db.session, yearly, year, value=value, n=None, d=None, taken_on=date(year + 1, 3, 31),
                   source_note="社会福祉課に問い合わせ", user=None)
    every_third = indicator("主観的幸福感", interval_years=3, base_year=2020, position=2)
    save_value(db.session, every_third, 2023, value="39.6", n=None, d=None, taken_on=date(2024, 3, 31),
               source_note="高齢者支援計画", user=None)
    counted = indicator("つむぐ会参加者数", unit="人", position=3, measure="series_participants",
                        params={"series_ids": [series_id(TSUMUGU)]})
    save_comment(db.session, counted, 2025, text="第2回は録画視聴を含む。", user=None)
    sheet = evaluation_sheet(db.session, 2025)
    assert (sheet["fiscal_year"], sheet["label"], sheet["years"]) == (2025, "令和7年度", [2021, 2022, 2023, 2024, 2025])
    rows = {row["name"]: row for row in sheet["indicators"]}
    assert [(v["value"], v["note"]) for v in rows["救急情報カードの配布数"]["values"]] == [
        (1200, "社会福祉課に問い合わせ（把握日 令和4年3月31日(木)）"), (None, "未入力"),
        (1350, "社会福祉課に問い合わせ（把握日 令和6年3月31日(日)）"), (None, "未入力"),
        (1500, "社会福祉課に問い合わせ（把握日 令和8年3月31日(火)）")]
    assert rows["主観的幸福感"]["timing"] == "3年に1回（令和2年度から）"
    assert [(v["value"], v["note"]) for v in rows["主観的幸福感"]["values"]] == [
        (None, "この年度は評価時期ではありません"), (None, "この年度は評価時期ではありません"),
        (39.6, "高齢者支援計画（把握日 令和6年3月31日(日)）"), (None, "この年度は評価時期ではありません"),
        (None, "この年度は評価時期ではありません")]
    assert [(v["fiscal_year"], v["value"], v["kind"]) for v in rows["つむぐ会参加者数"]["values"]] == [
        (2021, None, "computed"), (2022, None, "computed"), (2023, None, "computed"), (2024, 1, "computed"),
        (2025, 5, "computed")]
    assert rows["つむぐ会参加者数"]["values"][-1]["comment"] == "第2回は録画視聴を含む。"
    assert rows["救急情報カードの配布数"]["timing"] == "毎年度末"
    assert value_text(rows["救急情報カードの配布数"]["values"][-1], "枚") == "1,500枚"
    # The sheet of fiscal 2022 shows 2018–2022: the 2025 figure is not in it.
    earlier = {row["name"]: row for row in evaluation_sheet(db.session, 2022)["indicators"]}
    assert [v["value"] for v in earlier["救急情報カードの配布数"]["values"]] == [None, None, None, 1200, None]


def test_the_trend_chart_leaves_a_gap_for_a_missing_year():
    values = [{"value": v, "kind": k} for v, k in ((10, "entered"), (None, "computed"), (20, "computed"),
                                                   (40, "computed"), (None, "computed"))]
    chart = trend_chart(values, unit="人", texts=["10人", "—", "20人", "40人", "—"],
                        short_years=["R3", "R4", "R5", "R6", "R7"])
    assert chart.top_label == "40人"  # the largest, 40, is already a round top (reports/charts.py nice_ceiling)
    assert [(p.title, p.filled) for p in chart.points] == [("R3: 10人", False), ("R5: 20人", True), ("R6: 40人", True)]
    assert len(chart.segments) == 1 and chart.segments[0].count(",") == 2  # R5–R6 joined, R3 alone
    assert [label for _, label in chart.ticks] == ["R3", "R4", "R5", "R6", "R7"]


# --- the same sheet as JSON, CSV and XLSX ------------------------------------------------------

def filled_sheet(user_name: str = "記入者") -> None:
    tsumugu = series_id(TSUMUGU)
    rated = indicator(measure="survey_indicator", params={"series_ids": [tsumugu], "key": "satisfaction"},
                      target="90%以上", expected="職域を相互理解し、連携ができる", source="=つむぐ会アンケート")
    save_value(db.session, rated, 2023, value="94", n=None, d=None, taken_on=date(2024, 3, 31),
               source_note="計画の現状分析", user=None)
    save_comment(db.session, rated, 2025, text="目標に届かず。\n第3回以降も確認する。", user=None)
    offices = indicator("居宅介護支援事業所の連携", position=2)
    save_value(db.session, offices, 2024, value="", n=17, d=24, taken_on=date(2024, 12, 1),
               source_note="事業所アンケート", user=None)


def test_json_csv_and_xlsx_hold_the_same_sheet(year_2025, app, make_user):
    filled_sheet()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    document = organizer.get("/api/v1/reports/evaluation/2025").json
    assert set(document) == {"fiscal_year", "label", "indicators"}
    assert set(document["indicators"][0]) == {"id", "goal", "scene", "expected", "name", "source", "timing", "unit",
                                              "target", "values"}
    assert set(document["indicators"][0]["values"][0]) == {"fiscal_year", "value", "n", "d", "kind", "note", "comment"}
    from_json = [
        [str(row["id"]), row["goal"], row["scene"], row["name"], row["expected"], row["source"], row["timing"],
         row["unit"], row["target"] or "", str(v["fiscal_year"]), "", "" if v["value"] is None else str(v["value"]),
         "" if v["n"] is None else str(v["n"]), "" if v["d"] is None else str(v["d"]),
         {"computed": "集計", "entered": "入力"}[v["kind"]], v["note"], v["comment"]]
        for row in document["indicators"] for v in row["values"]
    ]
    # The source typed as "=つむぐ会アンケート" is a formula to a spreadsheet: neutralised in both files.
    for line in from_json:
        line[5] = "'" + line[5] if line[5].startswith("=") else line[5]

    csv_response = organizer.get("/admin/evaluation/2025.csv")
    assert csv_response.status_code == 200 and csv_response.data.startswith(b"\xef\xbb\xbf")
    csv_rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert csv_rows[0][:4] == ["指標番号", "中期目標", "場面", "評価指標"]
    assert len(csv_rows) == 1 + 2 * 5
    for line in csv_rows[1:]:
        line[10] = ""  # the 和暦 of the year, which JSON does not repeat
    assert csv_rows[1:] == from_json

    book = load_workbook(io.BytesIO(organizer.get("/admin/evaluation/2025.xlsx").data))
    data = [["" if cell is None else str(cell) for cell in row] for row in book["データ"].iter_rows(values_only=True)]
    assert data[0] == csv_rows[0]
    assert [line[:10] + [""] + line[11:] for line in data[1:]] == from_json
    assert data[1][10] == "令和3年度"
    # The printed sheet: one row per indicator, each year's value as the page writes it.
    printed = list(book["評価シート"].iter_rows(values_only=True))
    assert printed[0][0] == "令和7年度 評価シート"
    assert printed[2][6:12] == ("令和3年度", "令和4年度", "令和5年度", "令和6年度", "令和7年度", "評価（令和7年度）")
    satisfaction, offices = printed[3], printed[4]
    assert satisfaction[6:12] == ("—", "—", "94%\n入力", "—", "66.7%（2/3）\n集計", "目標に届かず。\n第3回以降も確認する。")
    assert offices[6:11] == ("—", "—", "—", "70.8%（17/24）\n入力", "—")
    assert book["評価シート"].page_setup.orientation == "landscape"
    logged = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "export_report")).all()
    assert [(row.target, row.detail["format"]) for row in logged] == [("evaluation:2025", "csv"), ("evaluation:2025", "xlsx")]


def test_the_api_refuses_a_year_out_of_range(app, client, bearer):
    response = client.get("/api/v1/reports/evaluation/1800", headers=bearer(Role.ORGANIZER))
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_fiscal_year"
    assert client.get("/api/v1/reports/evaluation/2025", headers=bearer(Role.RECEPTION)).status_code == 403


# --- the screens -------------------------------------------------------------------------------

def test_an_organizer_adds_an_indicator_enters_a_value_and_writes_the_evaluation(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    form = {"goal": "collaboration", "scene": "daily", "name": "つむぐ会参加者数", "expected": "参加者数が増加する",
            "source": "つむぐ会実績", "interval_years": "1", "unit": "人", "measure": "series_participants",
            "series_ids": [str(series_id(TSUMUGU))], "scope": "series", "key": "", "organization_type": ""}
    refused = organizer.post("/admin/evaluation/indicators/new", data=form | {"series_ids": []})
    assert refused.status_code == 422 and "シリーズを一つ以上選んでください。" in refused.text
    assert organizer.post("/admin/evaluation/indicators/new", data=form).status_code == 302
    saved = db.session.scalar(sa.select(EvaluationIndicator))
    assert (saved.measure, saved.measure_params) == ("series_participants", {"series_ids": [series_id(TSUMUGU)]})

    page = organizer.get("/admin/evaluation/2025")
    assert page.status_code == 200
    assert "つむぐ会参加者数" in page.text and "5人" in page.text and "<svg class=\"trend\"" in page.text

    year_page = f"/admin/evaluation/2023/indicators/{saved.id}"
    assert organizer.get(year_page).status_code == 200
    bad = organizer.post(f"{year_page}/value", data={"value": "40", "n": "", "d": "", "taken_on": "2024-03-31",
                                                     "source_note": ""})
    assert bad.status_code == 422 and "入力してください" in bad.text
    assert organizer.post(f"{year_page}/value", data={"value": "40", "taken_on": "2024-03-31",
                                                      "source_note": "紙の名簿"}).status_code == 302
    stored = db.session.scalar(sa.select(EvaluationValue))
    assert stored.entered_by_id == db.session.scalar(sa.select(User.id).where(User.username == "walk-organizer"))
    assert organizer.post(f"/admin/evaluation/2025/indicators/{saved.id}/comment",
                          data={"text": "<b>増加</b>"}).status_code == 302
    page = organizer.get("/admin/evaluation/2025")
    assert "40人" in page.text and "&lt;b&gt;増加&lt;/b&gt;" in page.text  # escaped

    # Deleting asks first; the POST deletes the value, then the indicator with everything of it.
    assert "削除します" in organizer.get(f"{year_page}/value/delete").text
    assert organizer.post(f"{year_page}/value/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationValue)) == 0
    assert "元に戻せません" in organizer.get(f"/admin/evaluation/indicators/{saved.id}/delete").text
    assert organizer.post(f"/admin/evaluation/indicators/{saved.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationIndicator)) == 0


def test_unknown_indicators_and_years_get_a_japanese_404(app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.get("/admin/evaluation/indicators/999/edit").status_code == 404
    assert organizer.get("/admin/evaluation/2025/indicators/999").status_code == 404
    missing_year = organizer.get("/admin/evaluation/1800")
    assert missing_year.status_code == 404 and "年度の指定が正しくありません。" in missing_year.text
    empty = organizer.get("/admin/evaluation/2025")
    assert empty.status_code == 200 and "評価指標はまだありません" in empty.text
