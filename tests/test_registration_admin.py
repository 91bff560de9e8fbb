"""Organizer screens for an event's registrations, and the attendance-list exports."""
import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import EventFormat
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import register
from tests_support import logged_in_client

STAFF = RegistrationSource.STAFF


def add(event, family_name, kana, email, **kw):
    person = PersonFields(family_name=family_name, family_kana=kana, email=email, **kw)
    return register(db.session, event_id=event.id, person=person, mode=kw.pop("mode", RegistrationMode.IN_PERSON),
                    source=STAFF).registration


def test_list_filter_admit_and_cancel(app, make_user, make_event):
    event = make_event(capacity=1)
    first = add(event, "髙橋", "たかはし", "taka@example.jp", profession="看護師")
    second = add(event, "山﨑", "やまさき", "yama@example.jp", profession="介護支援専門員")
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/events/{event.id}/registrations").text
    assert "髙橋" in page and "山﨑" in page and "キャンセル待ち" in page
    filtered = organizer.get(f"/admin/events/{event.id}/registrations?profession=看護師").text
    assert "髙橋" in filtered and "山﨑" not in filtered
    assert "髙橋" not in organizer.get(f"/admin/events/{event.id}/registrations?status=waitlisted").text

    organizer.post(f"/admin/registrations/{second.id}/admit", data={"event_id": event.id})
    organizer.post(f"/admin/registrations/{first.id}/cancel", data={"event_id": event.id})
    statuses = db.session.scalars(sa.select(Registration.status).order_by(Registration.id)).all()
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED]
    again = organizer.post(f"/admin/registrations/{first.id}/cancel", data={"event_id": event.id}, follow_redirects=True)
    assert "すでにキャンセルされています" in again.text


def test_add_by_hand(app, make_user, make_event):
    event = make_event()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    form = {"family_name": "佐藤", "family_kana": "さとう", "phone": "04-7150-1234", "mode": "in_person"}
    assert organizer.post(f"/admin/events/{event.id}/registrations/new", data=form).status_code == 302
    refused = organizer.post(f"/admin/events/{event.id}/registrations/new", data={**form, "family_kana": "佐藤"})
    assert refused.status_code == 422 and "ひらがなまたはカタカナ" in refused.text
    source = db.session.scalar(sa.select(Registration.source))
    assert source == STAFF


def test_exports_keep_japanese_characters_guard_formulas_and_are_logged(app, make_user, make_event):
    event = make_event()
    add(event, "髙橋", "たかはし", "taka@example.jp", organization="=HYPERLINK(\"http://x\")")
    add(event, "山﨑", "やまさき", "yama@example.jp", profession="その他", profession_other="@福祉用具")
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)

    response = organizer.get(f"/admin/events/{event.id}/registrations.csv")
    assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert text.startswith("受付番号,氏名,ふりがな,") and "\r\n" in text
    assert "髙橋" in text and "山﨑" in text
    assert "'=HYPERLINK" in text and ",'@福祉用具," in text

    xlsx = organizer.get(f"/admin/events/{event.id}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == event.title and values[4][1] == "氏名"  # the event above the table
    assert [row[1] for row in values[5:]] == ["髙橋", "山﨑"]
    assert values[5][4] == "'=HYPERLINK(\"http://x\")"

    exports = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "export_attendance")).all()
    assert [e.detail["format"] for e in exports] == ["csv", "xlsx"] and exports[0].user_id is not None


def test_the_attendance_list_is_written_in_japanese_on_an_english_screen(app, make_user, make_event):
    """Labels, not codes, and in Japanese whatever the screen's language: the list's 参加形態
    reads back through the attendance import (docs/architecture.md, CSV formats)."""
    event = make_event(format=EventFormat.HYBRID)
    add(event, "髙橋", "たかはし", "taka@example.jp")
    register(db.session, event_id=event.id, mode=RegistrationMode.ON_DEMAND, source=STAFF,
             person=PersonFields(family_name="山﨑", family_kana="やまさき", email="yama@example.jp"))
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert "In person" in organizer.get(f"/admin/events/{event.id}/registrations", query_string={"lang": "en"}).text
    rows = list(csv.reader(io.StringIO(organizer.get(f"/admin/events/{event.id}/registrations.csv").data
                                       .decode("utf-8-sig"))))
    assert [row[7:10] for row in rows] == [["参加形態", "状態", "経路"], ["参集", "申込", ""], ["オンデマンド", "申込", ""]]
    sheet = load_workbook(io.BytesIO(organizer.get(f"/admin/events/{event.id}/registrations.xlsx").data)).active  # rows 1–3: the event; 5: the header
    assert [[cell.value for cell in row][7:9] for row in sheet.iter_rows(min_row=6)] == [
        ["参集", "申込"], ["オンデマンド", "申込"]]


def test_reception_cannot_export(app, make_user, make_event):
    event = make_event()
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    assert reception.get(f"/admin/events/{event.id}/registrations.csv").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.action == "export_attendance")) == 0
