"""The yearly report in the city's table, the fiscal-year dashboard and their exports.

A hand-built fiscal 2025: つむぐ会 held twice (the second hybrid, with an on-demand viewer)
after a fiscal-2024 つむぐ会 that one person attended, and one 出前講座. Every expected
string below is counted on paper from the registrations, check-ins and answers written here.
"""
import io
from datetime import date, time

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import Audience, EventFormat, Initiative
from eventsapp.catalog.service import save_initiative
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, admit_walk_in, check_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.yearly import table_rows, yearly_table
from tests_support import logged_in_client, queries

TSUMUGU_LINES = [
    "介護と医療をつむぐ会の開催:2回 延べ5名 新規参加者 3名(60.0%) 満足度 66.7%(2/3)"
    " 気軽に連携できるようになった 50.0%(1/2) 今後の支援に活かせる 100.0%(2/2)",
    "第1回:令和7年7月11日(金)18:30～20:20 3名参加 「ICTを活用した多職種連携について」",
    "　新規参加者 2名(66.7%) 満足度 66.7%(2/3) 気軽に連携できるようになった 50.0%(1/2) 今後の支援に活かせる 100.0%(2/2)",
    "第2回:令和7年10月4日(土)14:00～16:00 2名参加(1名(参集)+1名(録画視聴申込)) 「住み慣れた地域で私らしく生きるために」",
    "　新規参加者 1名(50.0%)",
]
DEMAE_LINES = [
    "令和7年8月27日(水)10:00～11:30 2名参加 「人生会議ともしバナゲーム」",
    "　新規参加者 2名(100.0%) 満足度 100.0%(2/2)",
]


def person(name: str) -> PersonFields:
    return PersonFields(family_name=name, given_name="花子", family_kana="てすと", email=f"{name}@example.jp",
                        profession="介護支援専門員")


def attend(event, name: str, mode=RegistrationMode.IN_PERSON, *, came: bool = True):
    registration = register(db.session, event_id=event.id, person=person(name), mode=mode,
                            source=RegistrationSource.STAFF).registration
    if came:
        check_in(db.session, event_id=event.id, staff=None,
                 scan=Scan(registration_id=registration.id, method=CheckInMethod.NUMBER), at=event.starts_at)
    return registration


def answer(client, headers, event, answers: dict) -> None:
    response = client.post(f"/api/v1/events/{event.id}/responses", json={"answers": answers}, headers=headers)
    assert response.status_code == 201, response.json


@pytest.fixture
def year_2025(app, client, make_event, make_series, bearer):
    """Two series, three fiscal-2025 events, one fiscal-2024 event, three initiatives."""
    tsumugu = make_series()
    demae = make_series("出前講座", Audience.CITIZENS, goals=["awareness"])
    history = make_event(series=tsumugu, day=date(2024, 11, 1), title="昨年度のつむぐ会")
    first = make_event(series=tsumugu)  # 2025-07-11 18:30–20:20
    second = make_event(series=tsumugu, day=date(2025, 10, 4), start=time(14), end=time(16),
                        title="住み慣れた地域で私らしく生きるために", format=EventFormat.HYBRID)
    talk = make_event(series=demae, day=date(2025, 8, 27), start=time(10), end=time(11, 30),
                      title="人生会議ともしバナゲーム", goals=["awareness"])

    attend(history, "既知")  # attended fiscal 2024: not new at the つむぐ会 of 2025
    attend(first, "既知")
    attend(first, "初参加")
    attend(first, "欠席", came=False)  # registered, never came: not a participant
    admit_walk_in(db.session, event_id=first.id, person=person("飛込"), staff=None, at=first.starts_at)
    attend(second, "初参加")  # came to the first: not new at the second
    attend(second, "視聴", RegistrationMode.ON_DEMAND, came=False)  # on demand: a participant, new
    for name in ("市民一", "市民二"):
        admit_walk_in(db.session, event_id=talk.id, person=person(name), staff=None, at=talk.starts_at)

    headers = bearer(Role.ORGANIZER)
    answer(client, headers, first, {"satisfaction": "very_satisfied", "collaboration": "yes", "applicability": "yes"})
    answer(client, headers, first, {"satisfaction": "satisfied", "collaboration": "rather_no",
                                    "applicability": "rather_yes"})
    answer(client, headers, first, {"satisfaction": "neutral"})  # the two items left blank
    answer(client, headers, talk, {"satisfaction": "very_satisfied"})
    answer(client, headers, talk, {"satisfaction": "satisfied"})

    plan = {}
    for position, (scene, goals, target, text, note, events) in enumerate([
        ("daily", ["collaboration"], "専門職", "介護と医療をつむぐ会を年2回開催する。", "グループワークを行った。",
         [first, second]),
        ("daily", ["awareness"], "本人・家族", "出前講座を開催する。", "", [talk]),
        ("end_of_life", [], "専門家", "看取りの手引きを改訂する。", "令和7年10月に改訂。", []),
    ], start=1):
        initiative = save_initiative(db.session, fiscal_year=2025, scene=scene, goals=goals, target=target,
                                     plan=text, result_note=note, position=position)
        initiative.events = events
        db.session.commit()
        plan[position] = initiative.id
    return plan


def rows_by_plan(blocks):
    return {row.plan: row for block in blocks for goal in block.goals for row in goal.initiatives}


def test_the_result_cell_is_written_in_the_city_style(year_2025):
    blocks = yearly_table(db.session, 2025)
    assert [(b.label, [(g.label, len(g.initiatives)) for g in b.goals]) for b in blocks] == [
        ("日常の療養支援", [("④多職種連携", 1), ("①市民啓発", 1)]),
        ("看取り", [("その他", 1)]),
    ]
    rows = rows_by_plan(blocks)
    tsumugu = rows["介護と医療をつむぐ会を年2回開催する。"]
    assert tsumugu.computed == TSUMUGU_LINES
    # seed 001's order: the event lines first, then the organizer's notes
    assert tsumugu.result_text == "\n".join([*TSUMUGU_LINES, "グループワークを行った。"])
    assert rows["出前講座を開催する。"].computed == DEMAE_LINES
    assert rows["看取りの手引きを改訂する。"].result_text == "令和7年10月に改訂。"


def test_the_table_costs_the_same_queries_however_many_initiatives(year_2025, make_event):
    def table_queries() -> int:
        return queries(lambda: yearly_table(db.session, 2025))

    before = table_queries()
    extra = make_event(day=date(2025, 12, 12), start=time(15), end=time(17), title="支援の風の入れ方")
    for position in range(4, 9):
        initiative = save_initiative(db.session, fiscal_year=2025, scene="admission", goals=["sharing"],
                                     target="専門家", plan=f"取組{position}", position=position)
        initiative.events = [extra]
    db.session.commit()
    assert table_queries() == before


def test_the_screen_shows_numbers_then_prose_and_escapes_the_prose(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    initiative_id = year_2025[1]
    page = organizer.get(f"/admin/initiatives/{initiative_id}/result-note")
    assert page.status_code == 200
    assert "第1回:令和7年7月11日(金)18:30～20:20 3名参加" in page.text

    saved = organizer.post(f"/admin/initiatives/{initiative_id}/result-note",
                           data={"result_note": "  <script>alert(1)</script> 講師:三浦氏  "})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/admin/reports/2025/yearly#initiative-{initiative_id}")
    assert db.session.get(Initiative, initiative_id).result_note == "<script>alert(1)</script> 講師:三浦氏"

    html = organizer.get("/admin/reports/2025/yearly").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 講師:三浦氏" in html
    assert "<script>alert(1)" not in html
    assert html.index(TSUMUGU_LINES[1]) < html.index("講師:三浦氏")
    for line in [*TSUMUGU_LINES, *DEMAE_LINES]:
        assert f"<li>{line}</li>" in html
    assert "令和7年10月に改訂。" in html and "看取り" in html


def test_the_prose_is_refused_when_too_long_or_for_an_unknown_initiative(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    initiative_id = year_2025[1]
    refused = organizer.post(f"/admin/initiatives/{initiative_id}/result-note", data={"result_note": "長" * 4001})
    assert refused.status_code == 422
    assert "4000文字以内で入力してください。" in refused.text
    refused = organizer.post(f"/admin/initiatives/{initiative_id}/result-note", data={"result_note": "a\x07b"})
    assert refused.status_code == 422
    assert "制御文字" in refused.text
    nul = organizer.post(f"/admin/initiatives/{initiative_id}/result-note", data={"result_note": "a\x00b"})
    assert nul.status_code == 400 and "使用できない文字" in nul.text  # eventsapp/inputguard.py, before the view
    assert db.session.get(Initiative, initiative_id).result_note == "グループワークを行った。"
    assert organizer.get("/admin/initiatives/999999/result-note").status_code == 404


def test_the_csv_export_is_excel_ready_guarded_and_logged(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    db.session.get(Initiative, year_2025[3]).result_note = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    response = organizer.get("/admin/reports/2025/yearly.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset parameter
    body = response.data
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    # the document's title first (no municipality configured here, no front matter kept)
    assert text.startswith("令和7年度 在宅医療介護連携推進事業実績報告\r\n場面,中期目標,対象,令和7年度計画,令和7年度実績\r\n")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert TSUMUGU_LINES[1] in text and DEMAE_LINES[1] in text
    # the record lines end in CRLF; line breaks inside the 実績 cell stay inside its quotes
    assert text.count("\r\n") == 5
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export_report"))
    assert log.target == "fiscal_year:2025" and log.detail == {"format": "csv", "rows": 3}


def test_the_xlsx_export_holds_the_numbers_of_the_screen(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    response = organizer.get("/admin/reports/2025/yearly.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "令和7年度 在宅医療介護連携推進事業実績報告"
    assert [cell.value for cell in sheet[2]] == ["場面", "中期目標", "対象", "令和7年度計画", "令和7年度実績"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert cells == table_rows(yearly_table(db.session, 2025))
    assert cells[0][4] == "\n".join([*TSUMUGU_LINES, "グループワークを行った。"])
    assert sheet["E3"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$2:$2"
    screen = organizer.get("/admin/reports/2025/yearly").text
    for line in cells[1][4].splitlines():
        assert line in screen
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                             .where(AuditLog.action == "export_report")) == 1


def test_the_dashboard_lists_the_year_with_charts_and_totals(year_2025, app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    html = organizer.get("/admin/reports/2025").text
    assert "令和7年度" in html
    assert "令和7年7月11日(金)18:30～20:20" in html
    assert "昨年度のつむぐ会" not in html  # fiscal 2024
    assert html.count('role="img"') == 3 and "<script" not in html and 'style="' not in html
    assert "66.7%</span> <span class=\"nd\">(2/3)" in html  # satisfaction of the first つむぐ会
    assert "介護支援専門員" in html  # the mix of professions
    assert organizer.get("/admin/reports/").status_code == 302


def test_a_year_without_events_is_empty_and_a_bad_year_is_refused(app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    empty = organizer.get("/admin/reports/2031")
    assert empty.status_code == 200 and "この年度のイベントはありません。" in empty.text
    assert "この年度の取組はありません。" in organizer.get("/admin/reports/2031/yearly").text
    refused = organizer.get("/admin/reports/12")
    assert refused.status_code == 404 and "年度の指定が正しくありません。" in refused.text
    csv = organizer.get("/admin/reports/2031/yearly.csv")
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig") == (
        "令和13年度 在宅医療介護連携推進事業実績報告\r\n場面,中期目標,対象,令和13年度計画,令和13年度実績\r\n")


def test_reception_staff_are_refused(year_2025, app, make_user):
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    for url in ("/admin/reports/2025", "/admin/reports/2025/yearly", "/admin/reports/2025/yearly.csv",
                "/admin/reports/2025/yearly.xlsx", f"/admin/initiatives/{year_2025[1]}/result-note"):
        assert reception.get(url).status_code == 403, url
    assert reception.post(f"/admin/initiatives/{year_2025[1]}/result-note",
                          data={"result_note": "書き換え"}).status_code == 403
    assert db.session.get(Initiative, year_2025[1]).result_note == "グループワークを行った。"
