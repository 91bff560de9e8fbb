"""flask report fiscal-year: JSON as the API writes it, CSV as Excel in Japan opens it
(BOM, CRLF, formulas neutralised) and XLSX with the same numbers."""
import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from eventsapp.checkin.service import admit_walk_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.summary import fiscal_year_report
from eventsapp.surveys.models import ResponseSource
from eventsapp.surveys.service import submit_response

TRAP = "=HYPERLINK(\"http://evil.example\")"


@pytest.fixture
def year(app, make_event):
    """Two events of fiscal 2025, one of them titled like a formula."""
    first = make_event(title=TRAP)
    second = make_event(day=date(2025, 10, 4))
    for number, event in enumerate((first, first, second)):
        register(db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                 person=PersonFields(family_name="参加", given_name=str(number), email=f"c{number}@example.jp"))
    admit_walk_in(db.session, event_id=first.id, person=PersonFields(family_name="飛込", phone="0311112222"), staff=None,
                  at=first.starts_at)
    submit_response(db.session, event_id=first.id, answers={"satisfaction": "satisfied"}, source=ResponseSource.PAPER)
    return first, second


def invoke(runner, *args):
    return runner.invoke(args=["report", "fiscal-year", *args])


def test_json_is_the_api_answer(year, runner):
    result = invoke(runner, "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["fiscal_year"], body["label"]) == (2025, "令和7年度")
    assert [row["title"] for row in body["events"]] == [TRAP, "ICTを活用した多職種連携について"]
    assert body["events"][0]["starts_at"] == "2025-07-11T18:30:00+09:00"
    assert body["total"] == fiscal_year_report(db.session, 2025)["total"]
    assert body["total"]["attended"] == {"in_person": 1, "walk_in": 1, "on_demand": 0, "total": 1}
    assert body["total"]["registered"]["in_person"] == 3


def test_csv_has_bom_crlf_and_no_live_formula(year, runner, tmp_path):
    target = tmp_path / "fy2025.csv"
    result = invoke(runner, "2025", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[:3] == ["区分", "名称", "開催日時"] and "参加計" in header and "満足度（%）" in header
    event_row = rows[1]
    assert event_row[1] == "'" + TRAP
    assert event_row[2] == "令和7年7月11日(金)18:30～20:20"
    # the city's labels of the event's goal and scene (make_event: collaboration, daily), not the codes
    assert (event_row[header.index("中期目標")], event_row[header.index("場面")]) == ("④多職種連携", "日常の療養支援")
    assert event_row[header.index("参加計")] == "1" and event_row[header.index("うち当日参加")] == "1"
    assert event_row[header.index("満足度（%）")] == "100.0"
    total = rows[-1]
    assert total[:2] == ["合計", "令和7年度"]
    assert total[header.index("開催数")] == "2" and total[header.index("申込計")] == "3"
    assert [row[0] for row in rows[1:]].count("イベント") == 2


def test_xlsx_reads_back_with_the_numbers_of_the_json(year, runner, tmp_path):
    target = tmp_path / "fy2025.xlsx"
    assert invoke(runner, "2025", "--format", "xlsx", "--output", str(target)).exit_code == 0
    sheet = load_workbook(target).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    report = fiscal_year_report(db.session, 2025)
    for row, event in zip(rows[1:3], report["events"], strict=True):
        assert row[header.index("参加計")] == event["attended"]["total"]
        assert row[header.index("申込（参集）")] == event["registered"]["in_person"]
        assert row[header.index("出席率（分子）")] == event["attendance_rate"]["n"]
        assert row[header.index("出席率（分母）")] == event["attendance_rate"]["d"]
        assert row[header.index("出席率（%）")] == event["attendance_rate"]["pct"]
        assert row[header.index("満足度（分母）")] == event["indicators"]["satisfaction"]["d"]
    assert rows[1][1] == "'" + TRAP
    total = rows[-1]
    assert total[header.index("実人数")] == report["total"]["distinct_persons"]
    assert total[header.index("新規参加者（シリーズ）（分子）")] == report["total"]["new_participants"]["series"]["n"]


def test_bad_arguments_are_refused(app, runner):
    assert invoke(runner, "1999").exit_code == 2
    assert invoke(runner, "2025", "--format", "pdf").exit_code == 2
    refused = invoke(runner, "2025", "--format", "xlsx")
    assert refused.exit_code == 2 and "--output" in refused.output
