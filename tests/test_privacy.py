"""Erasure of personal data: purge past the retention period of each series or by inactivity
since a date, and erasure on request, leave every number of past reports identical; the
person's own export; the retention period of a series on its form, in the API and the notice."""
import json
from datetime import date, time, timezone

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import Series
from eventsapp.checkin.service import Scan, check_in
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.records.privacy import InactiveSince, PastRetention, expired_candidates, years_before
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.reports.summary import fiscal_year_report
from eventsapp.surveys.models import Answer, Question, ResponseSource, Survey
from eventsapp.surveys.service import submit_response


def attend(event, family_name: str, kana: str, email: str, comment: str):
    fields = PersonFields(family_name=family_name, given_name="太郎", family_kana=kana, email=email,
                          phone="0471234567", organization="中央病院")
    registration = register(db.session, event_id=event.id, person=fields, mode=RegistrationMode.IN_PERSON,
                            source=RegistrationSource.STAFF).registration
    check_in(db.session, event_id=event.id, scan=Scan(ticket=registration.ticket_token, nonce=f"n-{registration.id:06d}"),
             staff=None, at=event.starts_at)  # at the door while it was open
    satisfaction = db.session.scalar(
        sa.select(Question).join(Survey).where(Survey.event_id == event.id, Question.indicator == "satisfaction"))
    submit_response(db.session, event_id=event.id, source=ResponseSource.PAPER, registration_id=registration.id,
                    answers={"satisfaction": satisfaction.options[0].code, "comments": comment})
    return registration


def reports() -> str:
    return json.dumps([fiscal_year_report(db.session, 2024), fiscal_year_report(db.session, 2025)],
                      default=str, sort_keys=True)


@pytest.fixture
def clock(monkeypatch):
    """Set the day the purge takes as today (Tokyo), for the --expired rule."""
    def set_today(day: date) -> None:
        moment = tokyo_datetime(day, time(9, 0)).astimezone(timezone.utc)
        monkeypatch.setattr("eventsapp.records.privacy.now", lambda: moment)

    return set_today


# The same people erased by either rule: the series keeps 1 year, today is 2025-08-01, so the
# 2024-07-10 event is past its period and the 2025-07-11 one is not.
RULES = {
    "before": (["--before", "2025-04-01"], InactiveSince(before=tokyo_datetime(date(2025, 4, 1), time(0, 0)))),
    "expired": (["--expired"], PastRetention(today=date(2025, 8, 1), default_years=5)),
}


@pytest.mark.parametrize("rule_name", RULES)
def test_purge_erases_only_the_inactive_and_keeps_every_report_number(app, runner, make_event, clock, rule_name):
    args, rule = RULES[rule_name]
    clock(date(2025, 8, 1))
    old = make_event(title="昨年度の会", day=date(2024, 7, 10))
    new = make_event(title="今年度の会", day=date(2025, 7, 11))
    old.series.retention_years = 1
    db.session.commit()
    gone = attend(old, "古田", "ふるた", "furuta@example.jp", "古田のコメント")
    attend(old, "続木", "つづき", "tsuzuki@example.jp", "続木の昨年の感想")
    attend(new, "続木", "つづき", "tsuzuki@example.jp", "続木の今年の感想")
    attend(new, "新井", "あらい", "arai@example.jp", "新井のコメント")
    gone_person_id = gone.person_id
    # Staff typing in past lists send no mail: one mail of each kept and erased person.
    db.session.add(OutboxMail(to_address="furuta@example.jp", subject="s", body_text="古田様", body_html="",
                              kind="confirmation", registration_id=gone.id))
    db.session.add(OutboxMail(to_address="arai@example.jp", subject="s", body_text="新井様", body_html="",
                              kind="confirmation"))
    db.session.commit()
    before = reports()

    assert [p.family_name for p in rule.candidates(db.session)] == ["古田"]
    dry = runner.invoke(args=["privacy", "purge", *args, "--dry-run"])
    assert dry.exit_code == 0 and ": 1" in dry.output
    assert db.session.get(Person, gone_person_id).erased_at is None
    assert runner.invoke(args=["privacy", "purge", *args], input="n\n").exit_code != 0
    result = runner.invoke(args=["privacy", "purge", *args, "--yes"])
    assert result.exit_code == 0 and "erased 1" in result.output

    person = db.session.get(Person, gone_person_id)
    assert (person.family_name, person.family_kana, person.email, person.phone, person.kana_key) == (
        "（削除済み）", "", "", "", "")
    assert person.erased_at is not None
    texts = set(db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))))
    assert texts == {"", "続木の昨年の感想", "続木の今年の感想", "新井のコメント"}
    assert db.session.scalars(sa.select(OutboxMail.to_address)).all() and not db.session.scalars(
        sa.select(OutboxMail.to_address).where(OutboxMail.to_address == "furuta@example.jp")).all()
    logged = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "privacy_erase"))
    assert logged.detail["reason"] == rule.reason and logged.detail["person_ids"] == [gone_person_id]
    assert reports() == before
    # nobody left to erase: a second run changes nothing
    assert "erased" not in runner.invoke(args=["privacy", "purge", *args, "--yes"]).output
    assert reports() == before


TODAY = date(2026, 6, 15)
# Who is past retention on TODAY, by hand: the short series keeps 1 year (cutoff 2025-06-15),
# the long one 10 years (2016-06-15), the usual one the default 5 years (2021-06-15).
EXPIRED = ["A", "C", "D", "H", "I"]


@pytest.fixture
def population(make_event, make_series):
    """Persons A–K on three series, each with a hand-computed fate on TODAY (see EXPIRED)."""
    short, usual, long_ = (make_series(name) for name in ("短期の会", "通常の会", "長期の会"))
    short.retention_years, long_.retention_years = 1, 10
    db.session.commit()

    def on(series, day: date, **kw):
        return make_event(series=series, day=day, title=f"{series.name} {day}", **kw)

    def person(name: str, *events, created: date | None = None, erased: bool = False) -> None:
        fields = PersonFields(family_name=name, given_name="太郎", family_kana="たろう", email=f"{name}@example.jp")
        if events:
            for event in events:
                register(db.session, event_id=event.id, person=fields, mode=RegistrationMode.IN_PERSON,
                         source=RegistrationSource.STAFF)
            row = db.session.scalar(sa.select(Person).where(Person.family_name == name))
        else:
            row = Person(family_name=name, given_name="太郎", family_kana="たろう", email=f"{name}@example.jp")
            db.session.add(row)
        if created:
            row.created_at = tokyo_datetime(created, time(12, 0))
        if erased:
            row.erased_at = tokyo_datetime(TODAY, time(0, 0))
        db.session.commit()

    short_2y, usual_3y = on(short, date(2024, 6, 10)), on(usual, date(2023, 6, 10))
    person("A", short_2y)  # 1 year after 2024-06-10: past
    person("B", short_2y, usual_3y)  # the usual series keeps him until 2028
    person("C", on(usual, date(2020, 6, 10)))  # 5 years after 2020: past
    person("D", created=date(2020, 6, 1))  # no registration, recorded 6 years ago: past
    person("E", created=date(2026, 5, 15))  # recorded last month: kept
    person("F", short_2y, erased=True)  # already erased: never listed again
    person("G", on(short, date(2025, 6, 15)))  # exactly a year ago, in the evening: kept today
    person("H", on(short, date(2025, 6, 14)))  # a year and a day: past
    # the primary series decides, not the series it was held jointly with
    person("I", on(short, date(2024, 9, 1), joint_series_ids=[usual.id]))
    person("J", on(long_, date(2019, 6, 10)))  # 10 years: kept
    person("K", on(usual, date(2022, 6, 10)))  # 5 years: kept


def test_data_is_kept_while_any_registration_is_within_its_series_period(app, population):
    expired = expired_candidates(db.session, today=TODAY, default_years=5)
    assert [p.family_name for p in expired] == EXPIRED
    # the default rules the series with no period of their own: at 3 years (cutoff 2023-06-15)
    # the usual series no longer keeps B (2023-06-10) nor K (2022-06-10)
    assert [p.family_name for p in expired_candidates(db.session, today=TODAY, default_years=3)] == [
        "A", "B", "C", "D", "H", "I", "K"]


def test_years_before_keeps_the_calendar_day():
    assert years_before(date(2026, 6, 15), 5) == date(2021, 6, 15)
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)


def test_expired_purge_from_the_command_line(app, runner, population, clock):
    clock(TODAY)
    dry = runner.invoke(args=["privacy", "purge", "--expired", "--dry-run"])
    assert dry.exit_code == 0 and f": {len(EXPIRED)}" in dry.output and "2026-06-15" in dry.output
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.erased_at.is_not(None))) == 1  # F only
    result = runner.invoke(args=["privacy", "purge", "--expired", "--yes"])
    assert result.exit_code == 0 and f"erased {len(EXPIRED)}" in result.output
    erased = db.session.scalars(sa.select(Person.email).where(Person.erased_at.is_not(None))).all()
    assert len(erased) == len(EXPIRED) + 1 and set(erased) == {"", "F@example.jp"}
    kept = db.session.scalars(sa.select(Person.family_name).where(Person.erased_at.is_(None)).order_by(Person.id))
    assert list(kept) == ["B", "E", "G", "J", "K"]


@pytest.mark.parametrize("args", [[], ["--expired", "--before", "2025-04-01"], ["--dry-run"]])
def test_purge_takes_exactly_one_rule(app, runner, args):
    result = runner.invoke(args=["privacy", "purge", *args])
    assert result.exit_code == 2 and "どちらか一方" in result.output


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
    by_date = {"rule": "before", "before": "2025-04-01"}
    page = client.get("/admin/privacy", query_string=by_date)
    assert page.status_code == 200 and "対象: 1人" in page.text and "古田" in page.text
    client.post("/admin/privacy", data=by_date)  # no confirmation: nothing happens
    assert db.session.get(Person, gone.person_id).erased_at is None
    client.post("/admin/privacy", data={**by_date, "confirm": "yes"})
    assert db.session.get(Person, gone.person_id).erased_at is not None
    assert "対象: 0人" in client.get("/admin/privacy", query_string=by_date).text
    assert client.get("/admin/privacy", query_string={"rule": "before", "before": "not-a-date"}).status_code == 200
    # a day outside 2000-2100 shows the default date, like one not understood (0001-01-01 was a 500)
    assert client.get("/admin/privacy", query_string={"rule": "before", "before": "0001-01-01"}).status_code == 200
    assert client.get("/admin/privacy", query_string={"rule": "everyone"}).status_code == 400


def test_the_purge_screen_by_retention_period(app, population, login, make_user, clock):
    clock(TODAY)
    assert app.test_client().get("/admin/privacy").status_code == 302
    reception = login(Role.RECEPTION)
    assert reception.get("/admin/privacy").status_code == 403
    assert reception.post("/admin/privacy", data={"rule": "expired", "confirm": "yes"}).status_code == 403
    client = login(Role.ADMIN)
    page = client.get("/admin/privacy")  # the standing rule is the default
    assert page.status_code == 200 and 'value="expired" checked' in page.text
    assert f"対象: {len(EXPIRED)}人" in page.text and "短期の会: 1年" in page.text and "全体の設定: 5年" in page.text
    client.post("/admin/privacy", data={"rule": "expired", "confirm": "yes"})
    kept = db.session.scalars(sa.select(Person.family_name).where(Person.erased_at.is_(None)).order_by(Person.id))
    assert list(kept) == ["B", "E", "G", "J", "K"]
    assert db.session.scalar(sa.select(AuditLog.detail).where(AuditLog.action == "privacy_erase"))[
        "reason"].startswith("past the retention period")


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


def test_the_series_form_saves_and_clears_the_retention_period(app, login, make_series):
    series = make_series()
    client = login(Role.ORGANIZER)
    form = {"name": series.name, "audience": "professionals", "goals": ["collaboration"], "scenes": ["daily"]}
    page = client.get(f"/admin/series/{series.id}/edit")
    assert "個人情報の保存期間（年）" in page.text and "空欄なら全体の設定（5年）" in page.text
    assert client.post(f"/admin/series/{series.id}/edit", data={**form, "retention_years": "2"}).status_code == 302
    assert db.session.get(Series, series.id).retention_years == 2
    assert 'value="2"' in client.get(f"/admin/series/{series.id}/edit").text
    assert "2年" in client.get("/admin/series").text
    for bad in ("0", "101", "abc"):
        refused = client.post(f"/admin/series/{series.id}/edit", data={**form, "retention_years": bad})
        assert refused.status_code == 422 and "has-error" in refused.text, bad
        assert db.session.get(Series, series.id).retention_years == 2
    assert client.post(f"/admin/series/{series.id}/edit", data={**form, "retention_years": ""}).status_code == 302
    assert db.session.get(Series, series.id).retention_years is None
    created = client.post("/admin/series/new", data={**form, "name": "短期の会", "retention_years": "1"})
    assert created.status_code == 302
    assert db.session.scalar(sa.select(Series.retention_years).where(Series.name == "短期の会")) == 1


def test_the_notice_lists_the_periods_that_differ_from_the_default(client, make_series):
    short, same = make_series("短期の会"), make_series("五年の会")
    make_series("通常の会")  # no period of its own
    short.retention_years, same.retention_years = 1, 5
    db.session.commit()
    text = client.get("/privacy").text
    assert "通常は5年" in text and "短期の会: 1年" in text
    assert "五年の会" not in text and "通常の会" not in text
