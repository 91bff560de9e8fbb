"""The door's screens: reception's landing page, search with one-tap check-in, the walk-in
form, the organizers' live count and the service worker."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import under_way


@pytest.fixture
def today(make_event):
    return make_event(title="今日の研修会", capacity=30, **under_way())


@pytest.fixture
def yamada(today):
    fields = PersonFields(family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ",
                          email="hanako@example.jp", organization="中央病院")
    return register(db.session, event_id=today.id, person=fields, mode=RegistrationMode.IN_PERSON,
                    source=RegistrationSource.STAFF).registration


def checkins() -> list[tuple[int, CheckInMethod]]:
    return [tuple(row) for row in db.session.execute(select(CheckIn.registration_id, CheckIn.method))]


def test_reception_lands_on_the_door_list(client, make_user, today, make_event):
    make_event(title="昔の会", day=(now() - timedelta(days=30)).date())
    make_user("door", Role.RECEPTION)
    from tests_support import ROLE_PASSWORD

    response = client.post("/login", data={"username": "door", "password": ROLE_PASSWORD})
    assert response.headers["Location"].endswith("/checkin/")
    page = client.get("/checkin/").text
    assert "今日の研修会" in page and "昔の会" not in page


def test_search_by_kana_and_one_tap_check_in(login, today, yamada):
    client = login(Role.RECEPTION)
    page = client.get(f"/checkin/events/{today.id}/search", query_string={"q": "ﾔﾏﾀﾞ"}).text
    assert "山田 花子" in page and "中央病院" in page and "受付する" in page
    form = {"registration_id": yamada.id, "nonce": "tap-nonce-1", "q": "ﾔﾏﾀﾞ"}
    response = client.post(f"/checkin/events/{today.id}/search", data=form)
    assert response.status_code == 302
    assert checkins() == [(yamada.id, CheckInMethod.SEARCH)]  # picked by name: told apart from a typed number
    assert response.headers["Location"].endswith(f"/search?q=%EF%BE%94%EF%BE%8F%EF%BE%80%EF%BE%9E&done={yamada.id}")
    page = client.get(response.headers["Location"]).text
    assert "山田 花子さんを受付しました。" in page and "受付済み" in page
    assert "山田 花子さんの受付を取り消す" in page  # the undo, where the check-in was made
    client.post(f"/checkin/events/{today.id}/search", data=form)  # a double tap: the same nonce
    assert len(checkins()) == 1


def test_search_escapes_what_people_typed(login, today):
    client = login(Role.RECEPTION)
    register(db.session, event_id=today.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
             person=PersonFields(family_name="<script>x</script>", family_kana="すくりぷと"))
    page = client.get(f"/checkin/events/{today.id}/search", query_string={"q": "すくりぷと"}).text
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    page = client.get(f"/checkin/events/{today.id}/search", query_string={"q": "<b>誰も</b>"}).text
    assert "<b>誰も</b>" not in page and "当日参加として登録する" in page


def test_walk_in_form(login, today):
    client = login(Role.RECEPTION)
    assert "当日参加を登録して受付" in client.get(f"/checkin/events/{today.id}/walk-in").text
    response = client.post(f"/checkin/events/{today.id}/walk-in", data={
        "name": "飛込　次郎", "kana": "とびこみ じろう", "organization": "北ケアプランセンター",
        "profession": "介護支援専門員"})
    registration = db.session.scalar(select(Registration))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/checkin/events/{today.id}?done={registration.id}")
    person = registration.person
    assert (person.family_name, person.given_name, person.family_kana, person.given_kana) == ("飛込", "次郎", "トビコミ", "ジロウ")
    assert person.organization.name == "北ケアプランセンター" and person.profession == "介護支援専門員"
    assert checkins() == [(registration.id, CheckInMethod.WALK_IN)]


def test_walk_in_form_refuses_what_cannot_identify_anyone(login, today):
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{today.id}/walk-in", data={"name": "名無"})
    assert response.status_code == 422 and "ふりがな・メールアドレス・電話番号のいずれか" in response.text
    response = client.post(f"/checkin/events/{today.id}/walk-in", data={"name": "山田", "kana": "yamada"})
    assert response.status_code == 422 and "ひらがなまたはカタカナ" in response.text
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_pages_of_unknown_events_are_404_and_of_drafts_closed_to_reception(login, make_event):
    client = login(Role.RECEPTION)
    draft = make_event(published=False, **under_way())
    for path in ("/checkin/events/999999", "/checkin/events/999999/search", "/checkin/events/999999/walk-in"):
        assert client.get(path).status_code == 404, path
    for path in (f"/checkin/events/{draft.id}", f"/checkin/events/{draft.id}/search",
                 f"/checkin/events/{draft.id}/walk-in"):
        response = client.get(path)
        assert response.status_code == 403 and "公開前のイベントのため受付できません。" in response.text, path


def test_live_count_is_for_organizers(login, today, yamada):
    client = login(Role.RECEPTION)
    assert client.get(f"/checkin/events/{today.id}/live").status_code == 403
    organizer = login(Role.ORGANIZER)
    assert organizer.get(f"/checkin/events/{today.id}/live").status_code == 200


def test_scanner_page_names_its_api(login, today):
    page = login(Role.RECEPTION).get(f"/checkin/events/{today.id}").text
    assert "今日の研修会" in page
    for path in ("checkins", "tickets", "checkin-counts", "checkins/undo"):
        assert f"/api/v1/events/{today.id}/{path}" in page
    assert 'name="csrf-token"' in page


def test_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache" and response.headers["Service-Worker-Allowed"] == "/"
