"""One yearly document in every form: the page, CSV, XLSX, the JSON API and
`flask report yearly` hold the same front matter and the same rows. The year is
test_yearly_report.py's `year_2025`; the front matter is typed in here."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from test_yearly_report import TSUMUGU_LINES, year_2025  # noqa: F401

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.reports.front_matter import save_front_matter
from eventsapp.reports.yearly import table_rows, yearly_table
from tests_support import logged_in_client

TITLE = "令和7年度 流山市在宅医療介護連携推進事業実績報告"
TEXTS = {"positioning": "高齢者支援計画(第9期:R6-R8年度)", "target": "要介護・要支援認定者",
         "philosophy": "住み慣れた地域で自分らしく。", "long_term_goal": "24時間365日の連携システム。"}
DEFINITION = "病院・在宅・施設・消防の関係者間で連携を深めることができる。"
FRONT_LINES = [
    ["位置づけ", "", TEXTS["positioning"]], ["対象", "", TEXTS["target"]], ["理念", "", TEXTS["philosophy"]],
    ["長期目標", "", TEXTS["long_term_goal"]], ["中期目標", "④多職種連携", DEFINITION],
]


@pytest.fixture
def document_year(year_2025, app, monkeypatch):
    monkeypatch.setitem(app.config, "MUNICIPALITY_NAME", "流山市")
    save_front_matter(db.session, 2025, texts=TEXTS, definitions={"collaboration": DEFINITION, "unknown": "x"})
    return year_2025


def expected_rows() -> list[list[str]]:
    return table_rows(yearly_table(db.session, 2025))


def test_the_api_the_command_and_the_xlsx_hold_the_same_rows_and_front_matter(document_year, app, client, bearer,
                                                                              runner, tmp_path):
    answer = client.get("/api/v1/reports/yearly/2025", headers=bearer(Role.ADMIN))
    assert answer.status_code == 200
    body = answer.json
    assert set(body) == {"fiscal_year", "label", "front_matter", "rows"}
    assert (body["fiscal_year"], body["label"]) == (2025, "令和7年度")
    matter = body["front_matter"]
    assert matter["title"] == TITLE and {k: matter[k] for k in TEXTS} == TEXTS
    assert [(g["code"], g["definition"]) for g in matter["goals"]] == [
        ("awareness", ""), ("acp", ""), ("sharing", ""), ("collaboration", DEFINITION)]
    assert [set(row) for row in body["rows"]] == [{"scene", "goal", "target", "initiative_id", "plan", "result"}] * 3
    api_rows = [[r["scene"], r["goal"], r["target"], r["plan"], r["result"]] for r in body["rows"]]
    assert api_rows == expected_rows()
    assert body["rows"][0]["result"] == "\n".join([*TSUMUGU_LINES, "グループワークを行った。"])
    assert body["rows"][0]["initiative_id"] == document_year[1]

    printed = runner.invoke(args=["report", "yearly", "2025", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == body

    target = tmp_path / "yearly.xlsx"
    assert runner.invoke(args=["report", "yearly", "2025", "--format", "xlsx", "--output", str(target)]).exit_code == 0
    sheet = load_workbook(target).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0] == TITLE
    assert [[value or "" for value in row[:3]] for row in cells[1:6]] == FRONT_LINES
    assert cells[6] == [None] * 5 and cells[7] == ["場面", "中期目標", "対象", "令和7年度計画", "令和7年度実績"]
    assert cells[8:] == api_rows
    assert sheet.print_title_rows == "$8:$8"


def test_the_csv_and_the_page_carry_the_front_matter(document_year, app, make_user, runner, tmp_path):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    text = organizer.get("/admin/reports/2025/yearly.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [TITLE] and rows[1:6] == FRONT_LINES and rows[6] == []
    assert rows[8:] == expected_rows()
    target = tmp_path / "yearly.csv"
    assert runner.invoke(args=["report", "yearly", "2025", "--format", "csv", "--output", str(target)]).exit_code == 0
    assert target.read_bytes().decode("utf-8-sig") == text

    page = organizer.get("/admin/reports/2025/yearly").text
    assert f'<h1 class="yearly-title">{TITLE}</h1>' in page
    for value in [*TEXTS.values(), DEFINITION]:
        assert value in page
    assert page.index(TEXTS["philosophy"]) < page.index(TSUMUGU_LINES[1])


def test_the_front_matter_is_edited_on_its_screen(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.get("/admin/reports/2025/front-matter").status_code == 200
    saved = organizer.post("/admin/reports/2025/front-matter",
                           data={**TEXTS, "goal-collaboration": DEFINITION, "goal-awareness": "  "})
    assert saved.status_code == 302
    page = organizer.get("/admin/reports/2025/yearly").text
    assert TEXTS["long_term_goal"] in page and DEFINITION in page
    refused = organizer.post("/admin/reports/2025/front-matter", data={**TEXTS, "philosophy": "長" * 2001})
    assert refused.status_code == 422 and "2000文字以内で入力してください。" in refused.text
    assert "長" * 2001 in refused.text  # what was typed is kept on the form
    assert TEXTS["philosophy"] in organizer.get("/admin/reports/2025/yearly").text  # nothing stored
    assert organizer.get("/admin/reports/12/front-matter").status_code == 404


def test_the_yearly_api_refuses_a_bad_year_and_the_wrong_role(app, client, bearer):
    admin = bearer(Role.ADMIN)
    refused = client.get("/api/v1/reports/yearly/1999", headers=admin)
    assert refused.status_code in (404, 422) and "error" in refused.json
    assert client.get("/api/v1/reports/yearly/2025").status_code == 401
    assert client.get("/api/v1/reports/yearly/2025", headers=bearer(Role.RECEPTION)).status_code == 403
    empty = client.get("/api/v1/reports/yearly/2031", headers=admin).json
    assert empty["rows"] == [] and empty["front_matter"]["title"] == "令和13年度 在宅医療介護連携推進事業実績報告"
