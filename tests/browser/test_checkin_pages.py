"""The door's other ways in, on a phone: a person without the QR found by kana and checked in
with one tap, a walk-in added through its form, and the organizers' live count following
check-ins made elsewhere."""
import re

import pytest
from sqlalchemy import select
from test_registration_flow import violations

from checkin_door import (  # noqa: F401
    PHONE,
    RECEPTION,
    RECEPTION_PASSWORD,
    Door,
    checkin_of,
    checkins,
    door_context,
    make_door,
    no_console_errors,
)
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, check_in
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationSource
from server import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def door(live_app) -> Door:
    return make_door(live_app, "受付テスト 名前で検索と当日参加")


def test_a_person_without_the_qr_is_found_by_kana_and_checked_in_with_one_tap(browser, door_context, base_url,
                                                                              live_app, door):
    person = door.tickets[3]  # 高橋 三郎, たかはし さぶろう
    page = door_context(browser).new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.get_by_role("link", name="名前で検索").first.click()
        page.wait_for_url(re.compile(rf"/checkin/events/{door.event_id}/search"))
        page.get_by_label("氏名・ふりがなで検索").fill("たかはし")
        page.get_by_role("button", name="検索", exact=True).click()
        page.get_by_text(person.name).wait_for()
        page.get_by_role("button", name=f"{person.name}さんを受付する").click()
        page.get_by_text(f"{person.name}さんを受付しました。").wait_for()
    row = checkin_of(live_app, person.number)
    assert row is not None and row.method == CheckInMethod.SEARCH


def test_a_walk_in_is_added_through_the_form(browser, door_context, base_url, live_app, door):
    page = door_context(browser).new_page()
    before = len(checkins(live_app, door))
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.get_by_role("link", name="当日参加を登録").click()
        page.wait_for_url(re.compile(rf"/checkin/events/{door.event_id}/walk-in"))
        page.get_by_label("氏名", exact=True).fill("当日 太郎")
        page.get_by_label("ふりがな", exact=True).fill("とうじつ たろう")
        page.get_by_label("所属", exact=True).fill("みなと訪問看護ステーション")
        page.get_by_label("職種", exact=True).select_option("看護師")
        page.get_by_label("メールアドレス").fill("walk-in.door@example.jp")
        page.get_by_label("電話番号").fill("090-1234-5678")
        page.get_by_role("button", name="当日参加を登録して受付").click()
        page.wait_for_url(re.compile(rf"{door.scanner}\?done=\d+$"))
        page.get_by_text("当日 太郎さんを当日参加として受付しました。").wait_for()
        page.locator("[data-count=walk_in]", has_text="1").wait_for()
    assert len(checkins(live_app, door)) == before + 1
    with live_app.app_context():
        walk_in = db.session.scalar(
            select(Registration).join(Person)
            .where(Registration.event_id == door.event_id, Person.email == "walk-in.door@example.jp")
        )
        assert walk_in.source == RegistrationSource.WALK_IN


@pytest.mark.parametrize("context_options", [PHONE], ids=["phone-375"])
def test_the_live_count_follows_check_ins_made_elsewhere(page, base_url, live_app, door, refused):
    log_in(page, base_url)  # an organizer
    page.goto(f"{base_url}/checkin/events/{door.event_id}/live")
    shown = int(page.locator("[data-count=checked_in]").inner_text())
    assert shown == len(checkins(live_app, door))
    assert page.locator("[data-count=registered]").inner_text() == str(len(door.tickets))
    assert violations(page) == []

    with live_app.app_context():  # a check-in at another device
        check_in(db.session, event_id=door.event_id, staff=None,
                 scan=Scan(registration_id=door.tickets[10].number, nonce="live-count-test-1"))
    page.locator("[data-count=checked_in]", has_text=str(shown + 1)).wait_for(timeout=12_000)
    assert "更新" in page.locator("[data-counts-updated]").inner_text()
    assert refused == []


def test_without_javascript_the_scanner_page_still_counts_and_finds_a_number(browser, door_context, base_url, door):
    person = door.tickets[5]
    page = door_context(browser, java_script_enabled=False).new_page()
    log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
    page.goto(f"{base_url}{door.scanner}")
    assert page.locator("[data-count=registered]").inner_text() == str(len(door.tickets))
    assert page.get_by_role("link", name="名前で検索").first.is_visible()
    assert page.get_by_role("link", name="当日参加を登録").is_visible()
    page.get_by_label("受付番号", exact=True).fill(str(person.number))
    page.get_by_role("button", name="受付", exact=True).click()  # falls back to the search page
    page.wait_for_url(re.compile(rf"/checkin/events/{door.event_id}/search\?q={person.number}$"))
    assert page.get_by_role("button", name=f"{person.name}さんを受付する").is_visible()
