"""Who came, on the organizer's registration list (roster/): the 受付 and 当日参加 columns, the
受付 filter combined with the others, the exports' appended columns, and the organizer's undo
of a check-in from the list. One hand-counted event on both engines:

  no. person  mode       status          check-in (JST)                 method   当日参加
  1   中村    in person  cancelled       —                              —
  2   髙橋    in person  registered      2025-07-11 18:42               QR
  3   山﨑    in person  registered      2025-07-11 18:47               番号
  4   佐藤    in person  registered      —                              —
  5   渡辺    in person  registered      2025-07-11 18:55               検索
  6   田中    in person  waitlisted      —                              —        (capacity 4: full)
  7   鈴木    on demand  registered      —                              —
  8   伊藤    in person  registered      2025-07-12 09:05 (the next day) 当日      ○
"""
import io
from datetime import date, datetime, time
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import EventFormat
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.checkin.service import Scan, admit_walk_in, check_in
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import (
    Channel,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
)
from eventsapp.registration.service import cancel, register
from eventsapp.roster.listing import Attendance, RosterFilter, list_registrations
from eventsapp.roster.sheets import ROSTER_HEADER, roster_rows
from tests_support import logged_in_client

DAY = date(2025, 7, 11)
PEOPLE = {  # family name: (furigana, profession, mode)
    "中村": ("なかむら", "看護師", RegistrationMode.IN_PERSON),
    "髙橋": ("たかはし", "看護師", RegistrationMode.IN_PERSON),
    "山﨑": ("やまさき", "介護支援専門員", RegistrationMode.IN_PERSON),
    "佐藤": ("さとう", "看護師", RegistrationMode.IN_PERSON),
    "渡辺": ("わたなべ", "医師", RegistrationMode.IN_PERSON),
    "田中": ("たなか", "看護師", RegistrationMode.IN_PERSON),
    "鈴木": ("すずき", "薬剤師", RegistrationMode.ON_DEMAND),
}
SCANS = {"髙橋": (CheckInMethod.QR, time(18, 42)), "山﨑": (CheckInMethod.NUMBER, time(18, 47)),
         "渡辺": (CheckInMethod.SEARCH, time(18, 55))}


def jst(day: date, at: time) -> datetime:
    return tokyo_datetime(day, at)


@pytest.fixture
def door_day(make_event, make_user):
    """The event of the module docstring; returns (event, {family name: registration id})."""
    event = make_event(capacity=4, format=EventFormat.HYBRID)
    organizer = make_user("back-office", Role.ORGANIZER)
    ids = {}
    for n, (name, (kana, profession, mode)) in enumerate(PEOPLE.items(), start=1):
        person = PersonFields(family_name=name, given_name="花子", family_kana=kana, given_kana="はなこ",
                              email=f"p{n}@example.jp", profession=profession, organization="みなと訪問看護")
        ids[name] = register(db.session, event_id=event.id, person=person, mode=mode, source=RegistrationSource.STAFF,
                             channel=Channel.LINE).registration.id
        if name == "中村":
            cancel(db.session, registration_id=ids[name])  # frees the seat before the others come
    for n, (name, (method, at)) in enumerate(SCANS.items()):
        moment = jst(DAY, at)
        check_in(db.session, event_id=event.id, staff=organizer, at=moment,
                 scan=Scan(registration_id=ids[name], nonce=f"roster-{n:04d}", method=method, scanned_at=moment))
    walk_in = admit_walk_in(db.session, event_id=event.id, staff=organizer, at=jst(DAY, time(19, 0)),
                            person=PersonFields(family_name="伊藤", given_name="花子", family_kana="いとう",
                                                phone="04-7150-0008"))
    ids["伊藤"] = walk_in.registration.id
    db.session.execute(sa.update(CheckIn).where(CheckIn.registration_id == ids["伊藤"])
                       .values(created_at=jst(date(2025, 7, 12), time(9, 5))))
    db.session.commit()
    return event, ids


class RosterTable(HTMLParser):
    """The cells' text of each row of the page's table.roster body."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = self.in_cell = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "roster") in attrs:
            self.in_body = False
        elif tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.in_cell = True
            self.rows[-1].append("")
        elif tag in ("summary", "form"):
            self.in_cell = False  # the buttons' words are not the row's data

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "td":
            self.in_cell = False

    def handle_data(self, data):
        if self.in_body and self.in_cell:
            self.rows[-1][-1] += data.strip()


def listed(client, event, **query) -> dict[str, list[str]]:
    """The list page's rows by family name: [受付番号, 氏名…, 職種, 所属, 参加形態, 状態, 経路, 受付, 当日参加]."""
    response = client.get(f"/admin/events/{event.id}/registrations", query_string=query)
    assert response.status_code == 200
    rows = RosterTable(response.text).rows
    return {row[1][:2]: row[:9] for row in rows if len(row) > 1}


def test_the_list_shows_when_and_how_each_person_came(app, make_user, door_day):
    event, ids = door_day
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    rows = listed(organizer, event)
    assert list(rows) == ["中村", "髙橋", "山﨑", "佐藤", "渡辺", "田中", "鈴木", "伊藤"]  # order of registration
    came = {name: (row[7], row[8]) for name, row in rows.items()}
    assert came == {
        "中村": ("未受付", ""), "髙橋": ("18:42QR", ""), "山﨑": ("18:47番号", ""), "佐藤": ("未受付", ""),
        "渡辺": ("18:55検索", ""), "田中": ("未受付", ""), "鈴木": ("未受付", ""),
        # checked in on another day than the event's: the date is written too, in 和暦 with weekday
        "伊藤": ("令和7年7月12日(土) 09:05当日", "当日参加"),
    }
    english = organizer.get(f"/admin/events/{event.id}/registrations?lang=en").text
    assert "Walk-in" in english and ">Number<" in english and ">Search<" in english


@pytest.mark.parametrize("query, expected", [
    ({"attendance": "checked_in"}, ["髙橋", "山﨑", "渡辺", "伊藤"]),
    ({"attendance": "not_checked_in"}, ["中村", "佐藤", "田中", "鈴木"]),
    ({"attendance": "walk_in"}, ["伊藤"]),
    ({"attendance": "not_checked_in", "status": "registered"}, ["佐藤", "鈴木"]),
    ({"attendance": "not_checked_in", "status": "registered", "mode": "in_person"}, ["佐藤"]),
    ({"attendance": "checked_in", "profession": "看護師"}, ["髙橋"]),
    ({"attendance": "checked_in", "mode": "on_demand"}, []),
    ({"attendance": "walk_in", "channel": "line"}, []),  # a walk-in came through no channel
    ({"attendance": "nonsense"}, ["中村", "髙橋", "山﨑", "佐藤", "渡辺", "田中", "鈴木", "伊藤"]),  # no filter
])
def test_the_attendance_filter_combines_with_the_others(app, make_user, door_day, query, expected):
    event, _ = door_day
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert list(listed(organizer, event, **query)) == expected


def test_the_service_filter_by_itself(door_day):
    event, ids = door_day
    entries = list_registrations(db.session, event_id=event.id, only=RosterFilter(attendance=Attendance.WALK_IN))
    assert [(e.registration.id, e.walk_in, e.check_in_method) for e in entries] == [
        (ids["伊藤"], True, CheckInMethod.WALK_IN)]


def test_exports_append_the_three_columns_and_keep_the_others(app, make_user, door_day):
    event, ids = door_day
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    organizer.get("/admin/?lang=en")  # an English screen still exports the city's Japanese words
    text = organizer.get(f"/admin/events/{event.id}/registrations.csv").data.decode("utf-8-sig")
    lines = [line.split(",") for line in text.rstrip("\r\n").split("\r\n")]
    assert lines[0] == ["受付番号", "氏名", "ふりがな", "職種", "所属", "メールアドレス", "電話番号", "参加形態", "状態",
                        "経路", "申込日時", "受付時刻", "受付方法", "当日参加"]
    by_name = {line[1][:2]: line for line in lines[1:]}
    assert by_name["髙橋"][:10] == [str(ids["髙橋"]), "髙橋 花子", "タカハシ ハナコ", "看護師", "みなと訪問看護",
                                   "p2@example.jp", "", "参集", "申込", "LINE"]
    assert [by_name[name][11:] for name in ("髙橋", "山﨑", "佐藤", "渡辺", "田中", "伊藤")] == [
        ["2025-07-11 18:42", "QR", ""], ["2025-07-11 18:47", "番号", ""], ["", "", ""],
        ["2025-07-11 18:55", "検索", ""], ["", "", ""], ["2025-07-12 09:05", "当日", "○"]]
    assert by_name["伊藤"][7:10] == ["参集", "申込", ""]

    filtered = organizer.get(f"/admin/events/{event.id}/registrations.xlsx?attendance=checked_in")
    sheet = load_workbook(io.BytesIO(filtered.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert values[0] == list(ROSTER_HEADER)
    assert [(row[1], row[11], row[12], row[13]) for row in values[1:]] == [
        ("髙橋 花子", "2025-07-11 18:42", "QR", None), ("山﨑 花子", "2025-07-11 18:47", "番号", None),
        ("渡辺 花子", "2025-07-11 18:55", "検索", None), ("伊藤 花子", "2025-07-12 09:05", "当日", "○")]
    logged = db.session.execute(sa.select(AuditLog.detail).where(AuditLog.action == "export_attendance")
                                .order_by(AuditLog.id)).scalars().all()
    assert [(d["format"], d["rows"]) for d in logged] == [("csv", 8), ("xlsx", 4)]


def test_the_sheet_heads_the_table_with_the_event_and_is_set_up_for_a4(app, make_user, door_day):
    event, _ = door_day
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    sheet = load_workbook(io.BytesIO(organizer.get(f"/admin/events/{event.id}/registrations.xlsx").data)).active
    assert [sheet.cell(row=r, column=1).value for r in (1, 2, 3)] == [
        "ICTを活用した多職種連携について", "令和7年7月11日(金)18:30～20:20", "会場：市役所 第1会議室"]
    assert sheet.print_title_rows == "$5:$5"
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # heights from the wrapped text: 申込日時 (16 characters in a column 11 wide) takes two lines
    assert sheet.row_dimensions[6].height == 2 * 15.5 + 3


def test_roster_rows_are_japanese_whatever_the_locale(app, door_day):
    event, _ = door_day
    with force_locale("en"):
        rows = roster_rows(list_registrations(db.session, event_id=event.id))
    assert [row[12] for row in rows if row[12]] == ["QR", "番号", "検索", "当日"]


def test_an_organizer_undoes_an_old_check_in_from_the_list_after_a_confirmation(app, make_user, door_day):
    event, ids = door_day
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/events/{event.id}/registrations?attendance=checked_in").text
    assert page.count("本当に受付を取り消す") == 4  # one confirmation per checked-in row, inside <details>
    path = f"/admin/events/{event.id}/registrations/{ids['髙橋']}/undo-checkin"
    response = organizer.post(path, data={"attendance": "checked_in", "profession": "看護師"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/admin/events/{event.id}/registrations?profession=%E7%9C%8B%E8%AD%B7%E5%B8%AB&attendance=checked_in")
    assert db.session.scalar(sa.select(CheckIn).where(CheckIn.registration_id == ids["髙橋"])) is None
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "undo_checkin"))
    assert log.target == f"registration:{ids['髙橋']}" and log.detail["method"] == "qr"
    assert datetime.fromisoformat(log.detail["checked_in_at"]) == jst(DAY, time(18, 42))
    again = organizer.post(path, follow_redirects=True)
    assert "この申込は受付されていません。" in again.text
    assert listed(organizer, event)["髙橋"][7] == "未受付"


def test_reception_reaches_neither_the_list_nor_its_undo(app, make_user, door_day):
    event, ids = door_day
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    assert reception.get(f"/admin/events/{event.id}/registrations").status_code == 403
    undo = reception.post(f"/admin/events/{event.id}/registrations/{ids['髙橋']}/undo-checkin")
    assert undo.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 4
    anonymous = app.test_client().post(f"/admin/events/{event.id}/registrations/{ids['髙橋']}/undo-checkin")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_undo_from_the_list_of_an_unknown_event_or_another_events_registration(app, make_user, door_day, make_event):
    event, ids = door_day
    other = make_event(title="別の会")
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.post(f"/admin/events/999999/registrations/{ids['髙橋']}/undo-checkin").status_code == 404
    wrong = organizer.post(f"/admin/events/{other.id}/registrations/{ids['髙橋']}/undo-checkin", follow_redirects=True)
    assert "この申込は受付されていません。" in wrong.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 4


def test_the_event_is_filled_as_the_docstring_says(door_day):
    event, ids = door_day
    statuses = dict(db.session.execute(sa.select(Registration.id, Registration.status)).all())
    assert [name for name, i in ids.items() if statuses[i] != RegistrationStatus.REGISTERED] == ["中村", "田中"]
    assert (statuses[ids["中村"]], statuses[ids["田中"]]) == (RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED)
