"""Erasure of personal data: purge by inactivity and erasure on request leave every number of
past reports identical, and the person's own export."""
import json
from datetime import date, time

import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.checkin.service import Scan, check_in
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.people.privacy import purge, purge_candidates
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.indicators import fiscal_year_report
from eventsapp.surveys.models import Answer, Question, ResponseSource, Survey
from eventsapp.surveys.service import submit_response


def attend(event, family_name: str, kana: str, email: str, comment: str):
    fields = PersonFields(family_name=family_name, given_name="太郎", family_kana=kana, email=email,
                          phone="0471234567", organization="中央病院")
    registration = register(db.session, event_id=event.id, person=fields, mode=RegistrationMode.IN_PERSON,
                            source=RegistrationSource.STAFF).registration
    check_in(db.session, event_id=event.id, scan=Scan(ticket=registration.ticket_token, nonce=f"n-{registration.id:06d}"),
             staff=None)
    satisfaction = db.session.scalar(
        sa.select(Question).join(Survey).where(Survey.event_id == event.id, Question.indicator == "satisfaction"))
    submit_response(db.session, event_id=event.id, source=ResponseSource.PAPER, registration_id=registration.id,
                    answers={"satisfaction": satisfaction.options[0].code, "comments": comment})
    return registration


def reports() -> str:
    return json.dumps([fiscal_year_report(db.session, 2024), fiscal_year_report(db.session, 2025)],
                      default=str, sort_keys=True)


def test_purge_erases_only_the_inactive_and_keeps_every_report_number(app, runner, make_event):
    old = make_event(title="昨年度の会", day=date(2024, 7, 10))
    new = make_event(title="今年度の会", day=date(2025, 7, 11))
    gone = attend(old, "古田", "ふるた", "furuta@example.jp", "古田のコメント")
    attend(old, "続木", "つづき", "tsuzuki@example.jp", "続木の昨年の感想")
    attend(new, "続木", "つづき", "tsuzuki@example.jp", "続木の今年の感想")
    attend(new, "新井", "あらい", "arai@example.jp", "新井のコメント")
    gone_person_id = gone.person_id
    db.session.add(OutboxMail(to_address="furuta@example.jp", subject="s", body_text="古田様", body_html="",
                              kind="confirmation", registration_id=gone.id))
    db.session.commit()
    before = reports()

    cutoff = tokyo_datetime(date(2025, 4, 1), time(0, 0))
    assert [p.family_name for p in purge_candidates(db.session, before=cutoff)] == ["古田"]
    dry = runner.invoke(args=["privacy", "purge", "--before", "2025-04-01", "--dry-run"])
    assert dry.exit_code == 0 and ": 1" in dry.output
    assert runner.invoke(args=["privacy", "purge", "--before", "2025-04-01"], input="n\n").exit_code != 0
    result = runner.invoke(args=["privacy", "purge", "--before", "2025-04-01", "--yes"])
    assert result.exit_code == 0 and "erased 1" in result.output

    person = db.session.get(Person, gone_person_id)
    assert (person.family_name, person.family_kana, person.email, person.phone, person.kana_key) == (
        "（削除済み）", "", "", "", "")
    assert person.erased_at is not None
    texts = set(db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))))
    assert texts == {"", "続木の昨年の感想", "続木の今年の感想", "新井のコメント"}
    assert db.session.scalars(sa.select(OutboxMail.to_address)).all() and not db.session.scalars(
        sa.select(OutboxMail.to_address).where(OutboxMail.to_address == "furuta@example.jp")).all()
    assert db.session.scalar(sa.select(AuditLog.action).where(AuditLog.action == "privacy_erase")) == "privacy_erase"
    assert reports() == before
    # nobody left to erase: a second run changes nothing
    assert "erased" not in runner.invoke(args=["privacy", "purge", "--before", "2025-04-01", "--yes"]).output
    assert reports() == before


def test_a_person_sees_and_erases_their_own_data(app, runner, make_event):
    event = make_event(day=date(2025, 7, 11))
    registration = attend(event, "開示", "かいじ", "kaiji@example.jp", "開示のコメント")
    exported = runner.invoke(args=["privacy", "export", str(registration.person_id)])
    data = json.loads(exported.output)
    assert data["person"]["email"] == "kaiji@example.jp"
    assert data["registrations"][0]["comments"][0]["text"] == "開示のコメント"
    assert data["registrations"][0]["checked_in_at"].endswith("+09:00")
    before = reports()
    assert runner.invoke(args=["privacy", "erase", str(registration.person_id), "--yes"]).exit_code == 0
    assert json.loads(runner.invoke(args=["privacy", "export", str(registration.person_id)]).output)["person"][
        "email"] == ""
    assert reports() == before
    assert runner.invoke(args=["privacy", "export", "999999"]).exit_code != 0


def test_the_privacy_notice_is_linked_from_every_form(client, make_event):
    event = make_event(day=date(2099, 7, 11))
    notice = client.get("/privacy")
    assert notice.status_code == 200 and "保存の期間" in notice.text and "開示・訂正・消去" in notice.text
    for path in ("/", f"/events/{event.id}/register", "/outreach"):
        page = client.get(path)
        assert page.status_code == 200 and 'href="/privacy"' in page.text, path


def test_the_purge_screen_previews_then_erases_after_confirmation(login, make_event):
    old = make_event(title="昨年度の会", day=date(2024, 7, 10))
    gone = attend(old, "古田", "ふるた", "furuta@example.jp", "古田のコメント")
    client = login(Role.ADMIN)
    page = client.get("/admin/privacy", query_string={"before": "2025-04-01"})
    assert page.status_code == 200 and "対象: 1人" in page.text and "古田" in page.text
    client.post("/admin/privacy", data={"before": "2025-04-01"})  # no confirmation: nothing happens
    assert db.session.get(Person, gone.person_id).erased_at is None
    client.post("/admin/privacy", data={"before": "2025-04-01", "confirm": "yes"})
    assert db.session.get(Person, gone.person_id).erased_at is not None
    assert "対象: 0人" in client.get("/admin/privacy", query_string={"before": "2025-04-01"}).text
    assert client.get("/admin/privacy", query_string={"before": "not-a-date"}).status_code == 200


def test_a_person_export_is_logged_and_erasure_is_for_admins(login, make_event):
    registration = attend(make_event(day=date(2025, 7, 11)), "開示", "かいじ", "kaiji@example.jp", "コメント")
    organizer = login(Role.ORGANIZER)
    exported = organizer.get(f"/admin/people/{registration.person_id}/export.json")
    assert exported.status_code == 200 and exported.get_json()["person"]["email"] == "kaiji@example.jp"
    assert db.session.scalar(sa.select(AuditLog.target).where(AuditLog.action == "export_person")) == (
        f"person:{registration.person_id}")
    assert organizer.post(f"/admin/people/{registration.person_id}/erase").status_code == 403
    admin = login(Role.ADMIN)
    assert "元に戻せません" in admin.get(f"/admin/people/{registration.person_id}/erase").text
    assert admin.post(f"/admin/people/{registration.person_id}/erase").status_code == 302
    assert db.session.get(Person, registration.person_id).email == ""
