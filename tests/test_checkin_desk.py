"""The reception desk's day: the counts said one way on every door page, the 未受付 list in
五十音 order with its one tap, the undo of a check-in made by any method (API and screens, with
a confirmation, five minutes for reception, logged), and the page of a door that is shut."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventsapp.auth.models import AuditLog, Role, User
from eventsapp.auth.service import issue_token
from eventsapp.catalog.models import EventFormat
from eventsapp.checkin.desk import not_arrived, undo_offer
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.checkin.service import Scan, admit_walk_in, check_in, live_counts
from eventsapp.dates import now, to_tokyo
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from tests_support import under_way

IN_PERSON, ON_DEMAND = RegistrationMode.IN_PERSON, RegistrationMode.ON_DEMAND


def add(event, family: str, kana: str, *, mode=IN_PERSON, organization: str = "", n: int = 0) -> Registration:
    fields = PersonFields(family_name=family, given_name="", family_kana=kana, organization=organization,
                          email=f"desk-{family}-{n}@example.jp")
    return register(db.session, event_id=event.id, person=fields, mode=mode,
                    source=RegistrationSource.STAFF).registration


def arrive(event, registration: Registration, method=CheckInMethod.QR) -> None:
    check_in(db.session, event_id=event.id, staff=None,
             scan=Scan(registration_id=registration.id, nonce=f"desk-{registration.id:08d}", method=method))


def walk_in(event, family: str, kana: str):
    return admit_walk_in(db.session, event_id=event.id, staff=None,
                         person=PersonFields(family_name=family, family_kana=kana, phone="0311112222"))


def visible(html: str) -> str:
    """The page's text as read: tags out, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def today(make_event):
    return make_event(title="今日の研修会", capacity=30, format=EventFormat.HYBRID, **under_way())


@pytest.fixture
def four_three_one(today):
    """4 pre-registered in person, 3 of them arrived, and 1 walk-in."""
    people = [add(today, name, kana) for name, kana in
              (("青木", "あおき"), ("石井", "いしい"), ("上野", "うえの"), ("江藤", "えとう"))]
    for registration in people[:3]:
        arrive(today, registration)
    walk_in(today, "飛込", "とびこみ")
    return people


# --- the counts ------------------------------------------------------------------------------

def test_counts_with_a_walk_in_count_it_beside_the_pre_registrations_not_above_them(today, four_three_one):
    # hand count: 青木 石井 上野 arrived of 4 pre-registered; 飛込 walked in; 4 people in the room
    assert live_counts(db.session, today.id) == {
        "event_id": today.id, "registered": 4, "registered_checked_in": 3, "walk_in": 1, "checked_in": 4,
        "on_demand": 0, "waitlisted": 0,
    }


def test_counts_leave_out_cancelled_and_on_demand_pre_registrations_but_count_everyone_in_the_room(
        today, four_three_one):
    viewer = add(today, "大野", "おおの", mode=ON_DEMAND)
    add(today, "岡田", "おかだ", mode=ON_DEMAND)
    arrive(today, viewer)  # registered to watch later, came to the room instead
    cancel(db.session, registration_id=four_three_one[0].id)  # 青木 arrived, then cancelled: out of every count
    # pre-registered in person: 石井 上野 江藤 = 3, arrived 石井 上野 = 2; walk-in 飛込 = 1;
    # in the room: 石井 上野 飛込 大野 = 4; on-demand registrations: 大野 岡田 = 2
    assert live_counts(db.session, today.id) == {
        "event_id": today.id, "registered": 3, "registered_checked_in": 2, "walk_in": 1, "checked_in": 4,
        "on_demand": 2, "waitlisted": 0,
    }


@pytest.mark.parametrize("page", ["", "/search", "/walk-in", "/live"])
def test_every_door_page_says_the_counts_the_same_way(login, today, four_three_one, page):
    client = login(Role.ORGANIZER)  # the live page is the organizers'; the others are reception's too
    text = visible(client.get(f"/checkin/events/{today.id}{page}").text)
    assert "事前申込 受付済み 3 / 4" in text
    assert "当日参加 1" in text and "合計 4" in text
    assert "受付済み／申込" not in text


def test_the_counts_api_keeps_its_keys_and_adds_the_pre_registrations_checked_in(client, bearer, today,
                                                                                  four_three_one):
    response = client.get(f"/api/v1/events/{today.id}/checkin-counts", headers=bearer(Role.RECEPTION))
    assert response.get_json() == {"event_id": today.id, "registered": 4, "registered_checked_in": 3,
                                   "walk_in": 1, "checked_in": 4, "on_demand": 0, "waitlisted": 0}
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Counts"]
    assert {"registered_checked_in", "checked_in", "registered", "walk_in"} <= set(schema["properties"])


# --- 未受付 --------------------------------------------------------------------------------

def test_not_arrived_lists_live_in_person_pre_registrations_without_a_check_in_in_kana_order(today, make_event):
    # 五十音 order by hand: コウダ, コーノ, ザイツ (read サイツ), サカイ, サトウ; code points alone would
    # put ザイツ last (ザ after サ), hiragana and half-width kana are read as katakana
    in_order = [("幸田", "こうだ"), ("河野", "こーの"), ("財津", "ザイツ"), ("酒井", "ｻｶｲ"), ("佐藤", "さとう")]
    made = {name: add(today, name, kana) for name, kana in reversed(in_order)}
    arrived = add(today, "青木", "あおき")
    arrive(today, arrived)
    cancel(db.session, registration_id=add(today, "岩田", "いわた").id)
    add(today, "大野", "おおの", mode=ON_DEMAND)
    walk_in(today, "飛込", "とびこみ")
    other = make_event(title="別の会", capacity=10, **under_way())
    add(other, "相田", "あいだ")
    full = make_event(title="満席の会", capacity=1, **under_way())
    add(full, "井上", "いのうえ")
    add(full, "宇野", "うの")  # waitlisted: not expected at the door
    assert [r.id for r in not_arrived(db.session, today.id)] == [made[name].id for name, _ in in_order]
    assert [r.person.family_name for r in not_arrived(db.session, full.id)] == ["井上"]
    counts = live_counts(db.session, today.id)
    assert counts["registered"] - counts["registered_checked_in"] == len(in_order)


def test_the_scanner_and_live_pages_show_the_list_with_one_named_button_each(login, today):
    add(today, "佐藤", "さとう", organization="中央病院")
    add(today, "青木", "あおき")
    client = login(Role.ORGANIZER)
    for page, back in (("", "scanner"), ("/live", "live")):
        html = client.get(f"/checkin/events/{today.id}{page}").text
        text = visible(html)
        assert "未受付 2名" in text
        assert text.index("（アオキ）") < text.index("（サトウ）")
        assert "中央病院 受付番号" in text
        assert 'aria-label="佐藤さんを受付する"' in html and f'name="back" value="{back}"' in html
    fragment = client.get(f"/checkin/events/{today.id}/not-arrived", query_string={"back": "live"}).text
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert 'name="back" value="live"' in fragment


def test_one_tap_from_the_list_checks_in_by_search_and_comes_back_with_the_undo(login, today):
    sato = add(today, "佐藤", "さとう")
    client = login(Role.RECEPTION)
    form = {"registration_id": sato.id, "nonce": "list-tap-0001", "back": "scanner"}
    response = client.post(f"/checkin/events/{today.id}/tap", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/checkin/events/{today.id}?done={sato.id}")
    assert db.session.scalar(select(CheckIn.method)) == CheckInMethod.SEARCH
    text = visible(client.get(response.headers["Location"]).text)
    assert "佐藤さんを受付しました。" in text and "佐藤さんの受付を取り消す" in text
    assert "未受付 0名" in text and "事前申込の方は全員受付済みです。" in text
    client.post(f"/checkin/events/{today.id}/tap", data=form)  # a double tap: the same nonce
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_a_tap_without_a_number_is_refused_with_a_message(login, today):
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{today.id}/tap", data={"nonce": "list-tap-0009", "back": "scanner"})
    assert response.status_code == 422 and "入力内容に誤りがあります。" in response.text
    response = client.post(f"/checkin/events/{today.id}/tap", data={"registration_id": "abc", "nonce": "x"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_one_tap_when_someone_else_was_quicker_says_so_and_offers_no_undo(login, today):
    sato = add(today, "佐藤", "さとう")
    arrive(today, sato)
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{today.id}/tap",
                           data={"registration_id": sato.id, "nonce": "list-tap-0002", "back": "live"})
    assert response.headers["Location"].endswith(f"/checkin/events/{today.id}/live")
    assert "受付済みです" in client.get(f"/checkin/events/{today.id}").text


def test_one_tap_respects_the_door(login, make_event):
    later = make_event(title="来月の会", capacity=10, starts_at=now() + timedelta(days=30),
                       ends_at=now() + timedelta(days=30, hours=2))
    sato = add(later, "佐藤", "さとう")
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{later.id}/tap",
                           data={"registration_id": sato.id, "nonce": "list-tap-0003", "back": "scanner"})
    assert response.status_code == 403 and "受付はまだ始まっていません。" in response.text
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


# --- undo ----------------------------------------------------------------------------------

@pytest.fixture
def made_four_ways(client, login, bearer, today):
    """One check-in per method, each made where that method is used: the camera's scan and a
    typed number (the API), a tap after a search (the search page), a walk-in (the API)."""
    headers = bearer(Role.RECEPTION)
    qr, number, search = add(today, "青木", "あおき"), add(today, "石井", "いしい"), add(today, "上野", "うえの")
    api = f"/api/v1/events/{today.id}"
    assert client.post(f"{api}/checkins", json={"ticket": qr.ticket_token, "nonce": "four-ways-qr"},
                       headers=headers).status_code == 201
    assert client.post(f"{api}/checkins", json={"registration_id": number.id, "nonce": "four-ways-number",
                                                "method": "number"}, headers=headers).status_code == 201
    login(Role.RECEPTION)
    assert client.post(f"/checkin/events/{today.id}/search",
                       data={"registration_id": search.id, "nonce": "four-ways-search", "q": "うえの"}).status_code == 302
    answer = client.post(f"{api}/walk-ins", json={"family_name": "飛込", "family_kana": "とびこみ",
                                                  "phone": "0322223333"}, headers=headers)
    assert answer.status_code == 201
    made = {"qr": qr.id, "number": number.id, "search": search.id, "walk_in": answer.get_json()["id"]}
    assert dict(db.session.execute(select(CheckIn.method, CheckIn.registration_id)).all()) == {
        CheckInMethod(method): registration_id for method, registration_id in made.items()}
    return made


def undo_logs() -> list[tuple[str, str]]:
    return [(log.target, log.detail["method"]) for log in
            db.session.scalars(select(AuditLog).where(AuditLog.action == "undo_checkin").order_by(AuditLog.id))]


def test_the_undo_api_takes_back_a_check_in_made_by_any_method_and_logs_it(client, today, made_four_ways):
    reception = db.session.scalar(select(User).where(User.username == "api-reception"))
    headers = {"Authorization": f"Bearer {issue_token(db.session, user=reception)}"}
    for method, registration_id in made_four_ways.items():
        response = client.post(f"/api/v1/events/{today.id}/checkins/undo", json={"registration_id": registration_id},
                               headers=headers)
        assert (response.status_code, response.get_json()) == (
            200, {"result": "undone", "registration_id": registration_id}), method
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    assert undo_logs() == [(f"registration:{rid}", method) for method, rid in made_four_ways.items()]
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/events/{event_id}/checkins/undo"]


def test_the_undo_screens_ask_first_then_take_back_any_method_and_log_it(client, today, made_four_ways):
    for method, registration_id in made_four_ways.items():
        url = f"/checkin/events/{today.id}/undo/{registration_id}"
        page = client.get(url, query_string={"back": "search", "q": "うえの"})
        assert page.status_code == 200 and "の受付を取り消しますか？" in page.text, method
        assert db.session.get(CheckIn, db.session.scalar(
            select(CheckIn.id).where(CheckIn.registration_id == registration_id))) is not None  # asking undid nothing
        response = client.post(url, data={"back": "search", "q": "うえの"})
        assert response.status_code == 302, method
        assert response.headers["Location"].endswith(f"/checkin/events/{today.id}/search?q=%E3%81%86%E3%81%88%E3%81%AE")
        assert "の受付を取り消しました。" in client.get(response.headers["Location"]).text
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    assert [method for _, method in undo_logs()] == list(made_four_ways)


def test_the_walk_in_confirmation_offers_the_undo_on_the_scanner_page(login, today):
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{today.id}/walk-in",
                           data={"name": "当日 太郎", "kana": "とうじつ たろう", "phone": "0311112222"})
    walk_in_id = db.session.scalar(select(Registration.id).where(Registration.source == RegistrationSource.WALK_IN))
    text = visible(client.get(response.headers["Location"]).text)
    assert "当日 太郎さんを当日参加として受付しました。" in text and "当日 太郎さんの受付を取り消す" in text
    assert f"/checkin/events/{today.id}/undo/{walk_in_id}?back=scanner" in client.get(response.headers["Location"]).text


def test_the_same_walk_in_sent_twice_is_said_to_be_checked_in_already(login, today):
    """The second time, nothing is written, and the page says so as a second tap on a list does:
    受付済み with the first time, no 受付しました and no undo of someone else's earlier check-in."""
    client = login(Role.RECEPTION)
    walk_in = {"name": "木村 恵子", "kana": "きむら けいこ", "phone": "0311113333"}
    client.get(client.post(f"/checkin/events/{today.id}/walk-in", data=walk_in).headers["Location"])  # its flash shown
    first = db.session.scalar(select(CheckIn))
    response = client.post(f"/checkin/events/{today.id}/walk-in", data=walk_in)
    page = client.get(response.headers["Location"]).text
    text = visible(page)
    time = to_tokyo(first.checked_in_at).strftime("%H:%M")
    assert f"木村 恵子さんは受付済みです（{time}）。" in text
    assert "さんを当日参加として受付しました" not in text and "申込済みでした" not in text
    assert "木村 恵子さんの受付を取り消す" not in text
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_after_five_minutes_reception_can_no_longer_undo(client, login, bearer, today):
    sato = add(today, "佐藤", "さとう")
    arrive(today, sato)
    checkin = db.session.scalar(select(CheckIn))
    checkin.created_at = now() - timedelta(minutes=5, seconds=1)
    db.session.commit()
    assert undo_offer(db.session, event_id=today.id, registration_id=sato.id, at=now()) is None
    response = client.post(f"/api/v1/events/{today.id}/checkins/undo", json={"registration_id": sato.id},
                           headers=bearer(Role.RECEPTION))
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "undo_expired")
    login(Role.RECEPTION)
    url = f"/checkin/events/{today.id}/undo/{sato.id}"
    page = client.get(url)
    assert page.status_code == 409 and "この受付は取り消せません。" in page.text and "<form method=\"post\" class=\"undo-confirm\"" not in page.text
    response = client.post(url, data={"back": "scanner"})
    assert response.status_code == 409 and "受付から5分を過ぎたため取り消せません。" in response.text
    assert "佐藤さんの受付を取り消す" not in client.get(f"/checkin/events/{today.id}?done={sato.id}").text
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1 and undo_logs() == []


def test_the_undo_on_offer_is_of_this_event_and_within_five_minutes(today, make_event):
    sato = add(today, "佐藤", "さとう")
    arrive(today, sato)
    offer = undo_offer(db.session, event_id=today.id, registration_id=sato.id, at=now())
    assert (offer.registration_id, offer.name, offer.method) == (sato.id, "佐藤", CheckInMethod.QR)
    other = make_event(title="別の会", capacity=10, **under_way())
    assert undo_offer(db.session, event_id=other.id, registration_id=sato.id, at=now()) is None
    assert undo_offer(db.session, event_id=today.id, registration_id=sato.id,
                      at=db.session.scalar(select(CheckIn)).created_at + timedelta(minutes=5)) is not None
    assert undo_offer(db.session, event_id=today.id, registration_id=None, at=now()) is None


def test_an_unknown_back_never_leads_off_the_door(login, today):
    sato = add(today, "佐藤", "さとう")
    arrive(today, sato)
    client = login(Role.RECEPTION)
    response = client.post(f"/checkin/events/{today.id}/undo/{sato.id}", data={"back": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/checkin/events/{today.id}")


# --- a shut door -----------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "state", "sentence"), [
    (30, "受付開始前です", "受付はまだ始まっていません。"),
    (-3, "受付は終了しました", "に終了しました。"),
], ids=["not-yet", "over"])
def test_a_shut_door_is_a_clear_page_with_the_event_and_its_date(login, make_event, days, state, sentence):
    starts_at = now() + timedelta(days=days)
    event = make_event(title="扉の会", capacity=10, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    client = login(Role.RECEPTION)
    for page in ("", "/search", "/walk-in"):
        response = client.get(f"/checkin/events/{event.id}{page}")
        text = visible(response.text)
        assert response.status_code == 403
        assert "扉の会" in text and state in text and sentence in text
        assert re.search(r"令和\d+年\d+月\d+日\([月火水木金土日]\) \d\d:\d\d", text), text  # 和暦, weekday, time
        assert "受付するイベントの一覧へ" in text and "scanner.js" not in response.text
