"""The event summary's spreadsheet (集計表): the event block on top (series, 第N回, 和暦 date,
venue), printed A4 portrait one page wide; and the 第N回 rule (catalog/service.py
number_in_series), the one the yearly report numbers its lines by."""
import csv
import io
from datetime import date, time

from openpyxl import load_workbook

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Audience, EventStatus
from eventsapp.catalog.service import number_in_series, set_event_status
from eventsapp.extensions import db
from tests_support import logged_in_client


def test_the_number_counts_the_series_events_of_the_fiscal_year(app, make_event, make_series):
    lecture = make_series("市民公開講座", Audience.CITIZENS)
    first = make_event(day=date(2025, 7, 11))
    draft = make_event(day=date(2025, 8, 1), published=False)
    cancelled = make_event(day=date(2025, 9, 1))
    set_event_status(db.session, cancelled, EventStatus.CANCELLED)
    # Held under the lecture series, jointly with this one: it counts in both.
    joint = make_event(day=date(2025, 10, 4), series=lecture, joint_series_ids=[first.series_id])
    third = make_event(day=date(2026, 3, 31), start=time(10), end=time(12))  # the last day of fiscal 2025
    next_year = make_event(day=date(2026, 4, 1))
    # つむぐ会 in fiscal 2025: first, joint, third (the draft and the cancelled one left out).
    assert number_in_series(db.session, first) == 1
    assert number_in_series(db.session, third) == 3
    assert number_in_series(db.session, draft) is None and number_in_series(db.session, cancelled) is None
    # The joint event's primary series is the lecture, which holds no other event that year.
    assert number_in_series(db.session, joint) is None
    assert number_in_series(db.session, next_year) is None  # alone in fiscal 2026


def test_a_joint_event_is_numbered_in_its_primary_series(app, make_event, make_series):
    lecture = make_series("市民公開講座", Audience.CITIZENS)
    first = make_event(day=date(2025, 7, 11))
    joint = make_event(day=date(2025, 10, 4), joint_series_ids=[lecture.id])
    assert [number_in_series(db.session, e) for e in (first, joint)] == [1, 2]


def test_the_xlsx_has_the_event_block_on_top_and_prints_one_page_wide(app, make_event, make_user):
    make_event(day=date(2025, 7, 11))
    event = make_event(day=date(2025, 10, 4), venue="文化会館 大ホール", title="=人生会議のすすめ")
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    response = organizer.get(f"/admin/events/{event.id}/summary.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert [row[:2] for row in rows[:5]] == [
        ("シリーズ", "介護と医療をつむぐ会"), ("回", "第2回"), ("イベント", "'=人生会議のすすめ"),
        ("開催日時", "令和7年10月4日(土)18:30～20:20"), ("会場", "文化会館 大ホール"),
    ]
    assert rows[5] == (None, None, None, None)
    assert rows[6] == ("項目", "人数・分子", "分母", "%")
    assert rows[7][0] == "申込（参集）"
    assert "B1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$7:$7"  # the header repeats, not the block
    # Every cell of the % column shows one decimal (a whole 28.0 read "28" beside "93.8").
    assert {sheet.cell(row, 4).number_format for row in range(8, sheet.max_row + 1)} == {"0.0"}
    assert {sheet.cell(row, 3).number_format for row in range(8, sheet.max_row + 1)} == {"General"}

    text = organizer.get(f"/admin/events/{event.id}/summary.csv").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == ["項目", "人数・分子", "分母", "%"]
    assert lines[1:6] == [["シリーズ", "介護と医療をつむぐ会", "", ""], ["回", "第2回", "", ""],
                          ["イベント", "'=人生会議のすすめ", "", ""], ["開催日時", "令和7年10月4日(土)18:30～20:20", "", ""],
                          ["会場", "文化会館 大ホール", "", ""]]
    assert lines[6][0] == "申込（参集）"


def test_an_event_alone_in_its_series_has_no_number_line(app, make_event, make_user):
    event = make_event(venue="")
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    sheet = load_workbook(io.BytesIO(organizer.get(f"/admin/events/{event.id}/summary.xlsx").data)).active
    labels = [row[0] for row in sheet.iter_rows(values_only=True)][:4]
    assert labels == ["シリーズ", "イベント", "開催日時", None]  # no 回, no 会場
