"""Organizer screens for persons: search, history across years, merge; organizations."""
from datetime import date

import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Organization, Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import logged_in_client


def add(event, **person):
    return register(db.session, event_id=event.id, person=PersonFields(**person), mode=RegistrationMode.IN_PERSON,
                    source=RegistrationSource.STAFF).registration


def test_search_history_and_merge(app, make_user, make_event):
    last_year = make_event(day=date(2024, 7, 12), title="令和6年度 第1回")
    this_year = make_event(day=date(2025, 7, 11))
    a = add(last_year, family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ", email="old@example.jp")
    b = add(this_year, family_name="山田", given_name="花子", family_kana="ヤマダ", given_kana="ハナコ", email="new@example.jp")
    old, new = a.person_id, b.person_id
    assert old != new  # different e-mails: not merged by itself
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)

    for query in ("山田", "やまだ", "ﾔﾏﾀﾞ", "new@"):
        assert f"/admin/people/{new}" in organizer.get(f"/admin/people?q={query}").text, query
    page = organizer.get(f"/admin/people/{new}").text
    assert "令和7年度" in page and "同じ方かもしれない登録" in page and f"/merge/{old}" in page

    confirm = organizer.get(f"/admin/people/{new}/merge/{old}")
    assert "同じ方として統合しますか" in confirm.text and "令和6年度" in confirm.text
    assert organizer.post(f"/admin/people/{new}/merge/{old}").status_code == 302
    owners = set(db.session.scalars(sa.select(Registration.person_id)))
    assert owners == {new}
    assert db.session.get(Person, old).merged_into_id == new
    history = organizer.get(f"/admin/people/{new}").text
    assert "令和6年度" in history and "令和7年度" in history
    assert db.session.scalar(sa.select(AuditLog.action).where(AuditLog.action == "person_merged"))
    again = organizer.post(f"/admin/people/{new}/merge/{old}", follow_redirects=True)
    assert again.status_code == 200 and "flash-error" in again.text


def test_organization_type_and_opening_date(app, make_user, make_event):
    add(make_event(), family_name="佐藤", family_kana="さとう", email="s@example.jp", organization="みどり訪問看護ステーション")
    organization = db.session.scalar(sa.select(Organization))
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert "みどり訪問看護ステーション" in organizer.get("/admin/organizations").text
    bad = organizer.post(f"/admin/organizations/{organization.id}", data={"type": "宇宙", "opened_on": "2025-04-01"})
    assert bad.status_code == 422
    bad_date = organizer.post(f"/admin/organizations/{organization.id}", data={"type": "", "opened_on": "4月1日"})
    assert bad_date.status_code == 422 and "開設日の形式" in bad_date.text
    for day in ("1376-04-01", "1926-12-24", "2101-01-01"):  # 1376 broke the 和暦 of the list: a 500
        too_old = organizer.post(f"/admin/organizations/{organization.id}", data={"type": "", "opened_on": day})
        assert too_old.status_code == 422 and "開設日は1927年から2100年までの日付で入力してください。" in too_old.text, day
    assert organizer.get("/admin/organizations").status_code == 200
    ok = organizer.post(f"/admin/organizations/{organization.id}", data={"type": "訪問看護ステーション", "opened_on": "2025-04-01"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert (organization.type, organization.opened_on) == ("訪問看護ステーション", date(2025, 4, 1))
