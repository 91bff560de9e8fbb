"""The demo's 評価シート: seed 000's indicators with the baselines of its 現状分析 as entered
values (their years and sources), and fiscal 2025's column computed from seed 001's events."""
import pytest
from test_demo import fy2025_by_key

from eventsapp.auth.models import Role
from eventsapp.demo import evaluation_plan
from eventsapp.demo.programme import load_demo
from eventsapp.evaluation.sheet import evaluation_sheet
from eventsapp.extensions import db
from eventsapp.reports.summary import event_summaries
from tests_support import logged_in_client

pytestmark = pytest.mark.slow  # loads the whole demo programme


def by_name(year: int) -> dict[str, dict]:
    return {row["name"]: {v["fiscal_year"]: v for v in row["values"]} | {"row": row}
            for row in evaluation_sheet(db.session, year)["indicators"]}


def figure(value: dict) -> tuple:
    return value["value"], value["n"], value["d"], value["kind"]


def test_the_demo_sheet_shows_seed_000s_baselines_and_fiscal_2025s_computed_values(app, make_user):
    load_demo(db.session)
    sheet = by_name(2025)
    assert set(sheet) == {row["name"] for row in evaluation_plan.INDICATORS}  # every indicator of the plan, once

    # Seed 000's 現状分析, entered for 令和5年度 with their source.
    assert figure(sheet["主観的幸福感（8点以上の割合）"][2023]) == (39.6, None, None, "entered")
    assert figure(sheet["要介護1～5認定者の介護保険サービス利用率"][2023]) == (64.2, None, None, "entered")
    assert figure(sheet["要介護高齢者の在宅療養率（要介護3以上）"][2023]) == (49.1, None, None, "entered")
    assert figure(sheet["つむぐ会満足度"][2023]) == (94, None, None, "entered")
    assert figure(sheet["「多職種での連携が図れている」と回答した居宅介護支援事業所の割合"][2023]) == (79.2, 19, 24, "entered")
    assert figure(sheet["ACPを取り入れている居宅介護支援事業所の割合"][2023]) == (70.8, 17, 24, "entered")
    assert figure(sheet["在宅療養認知度（要介護認定を受けている65歳以上で「内容を知っていた」）"][2023])[0] == 48.6
    assert figure(sheet["人生会議の認知度（要介護認定を受けている65歳以上の人生会議普及率）"][2023])[0] == 36.7
    assert figure(sheet["出前講座満足度"][2023]) == (97.2, None, None, "entered")
    assert sheet["主観的幸福感（8点以上の割合）"][2023]["note"].startswith("高齢者支援計画（第9期）現状分析")
    # 令和2年度's figures sit in the sheets that reach back to 2020.
    earlier = by_name(2024)
    assert figure(earlier["主観的幸福感（8点以上の割合）"][2020]) == (37.6, None, None, "entered")
    assert figure(earlier["要介護1～5認定者の介護保険サービス利用率"][2020])[0] == 60.2
    assert figure(earlier["要介護高齢者の在宅療養率（要介護3以上）"][2020])[0] == 45.7
    assert figure(earlier["出前講座開催回数"][2020]) == (2, None, None, "entered")

    # Fiscal 2025 fills itself from the events: seed 001's figures.
    assert figure(sheet["つむぐ会参加者数"][2025]) == (268, None, None, "computed")  # 45 + 82 + 67 + 74
    assert figure(sheet["出前講座開催回数"][2025]) == (6, None, None, "computed")  # six talks
    satisfaction = sheet["出前講座満足度"][2025]
    assert satisfaction["kind"] == "computed" and satisfaction["value"] > 90  # 「満足度は90%以上」
    # The つむぐ会's new share pools its four events against the series: 13/45 and 31/82 as the
    # report states, with the 3rd and 4th as their own summaries count them.
    events = fy2025_by_key()
    summaries = event_summaries(db.session, [events[f"tsumugu-{n}"].id for n in (1, 2, 3, 4)])
    new = [summaries[events[f"tsumugu-{n}"].id]["new_participants"]["series"]["n"] for n in (1, 2, 3, 4)]
    assert new[:2] == [13, 31]
    assert figure(sheet["つむぐ会新規参加者の割合"][2025])[1:] == (sum(new), 268, "computed")
    # The demo records no visit of a viewing page: no data, said so; the external figures wait for entry.
    assert sheet["オンデマンド配信閲覧数"][2025]["value"] is None
    assert "記録はありません" in sheet["オンデマンド配信閲覧数"][2025]["note"]
    assert sheet["ホームページアクセス数"][2025]["note"] == "未入力"

    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get("/admin/evaluation/2025")
    assert page.status_code == 200 and "268人" in page.text and "79.2%（19/24）" in page.text
    document = organizer.get("/api/v1/reports/evaluation/2025").json
    assert len(document["indicators"]) == len(evaluation_plan.INDICATORS)


def test_loading_the_demo_again_adds_no_indicator_or_value(app, runner):
    first = runner.invoke(args=["demo"])
    assert f"indicators +{len(evaluation_plan.INDICATORS)}" in first.output, first.output
    second = runner.invoke(args=["demo"])
    assert "indicators +0" in second.output, second.output
