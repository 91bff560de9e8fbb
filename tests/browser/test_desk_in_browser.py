"""The reception desk's day in Chromium on a 390 px phone: the 未受付 list in 五十音 order and its
one tap, the undo with its confirmation (scanner card, search, walk-in), the list marked stale
offline, the counts said one way, the camera's problems said in Japanese, and axe on the
scanner and live pages."""
import re

import pytest
from test_registration_flow import violations

from checkin_door import (  # noqa: F401
    RECEPTION,
    RECEPTION_PASSWORD,
    Door,
    checkin_of,
    door_context,
    make_door,
    no_console_errors,
)
from eventsapp.checkin.models import CheckInMethod
from fake_camera import FAKE_DEVICE
from server import CHROMIUM, CHROMIUM_ARGS, log_in

pytestmark = pytest.mark.browser

PHONE_390 = {"viewport": {"width": 390, "height": 844}}
# The 24 registered people of checkin_door.PEOPLE in 五十音 order of their furigana, sorted by hand.
KANA_ORDER = [
    "阿部 舞", "池田 香織", "石川 修", "伊藤 健太", "井上 拓也", "加藤 大輔", "木村 優子", "小林 直子",
    "斎藤 由美", "佐藤 一郎", "清水 浩", "鈴木 次郎", "高橋 三郎", "田中 美咲", "中村 翔太", "橋本 淳",
    "林 誠", "松本 真理", "森 亮", "山口 彩", "山田 花子", "山本 学", "吉田 恵", "渡辺 陽子",
]


@pytest.fixture(scope="module")
def door(live_app) -> Door:
    return make_door(live_app, "受付テスト 未受付と取り消し")


def list_names(page) -> list[str]:
    return page.locator("section.not-arrived li strong").all_inner_texts()


def open_scanner(page, base_url: str, door: Door) -> None:
    log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
    page.goto(f"{base_url}{door.scanner}")
    page.locator("#checkin[data-ready=true]").wait_for(state="attached")


def ticket_named(door: Door, name: str):
    return next(ticket for ticket in door.tickets if ticket.name == name)


def test_the_list_is_in_kana_order_and_one_tap_checks_in_with_an_undo_that_asks_first(
        browser, door_context, base_url, live_app, door):
    page = door_context(browser, **PHONE_390).new_page()
    with no_console_errors(page):
        open_scanner(page, base_url, door)
        assert list_names(page) == KANA_ORDER
        counts = page.locator(".counts-panel").inner_text()
        assert "事前申込 受付済み" in counts and "合計" in counts
        assert violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        sato = ticket_named(door, "佐藤 一郎")
        page.get_by_role("button", name="佐藤 一郎さんを受付する").click()
        page.locator("#result.result-ok .result-name", has_text="佐藤 一郎").wait_for()
        assert checkin_of(live_app, sato.number).method == CheckInMethod.SEARCH
        page.locator("[data-count=registered_checked_in]", has_text="1").wait_for()
        page.locator("section.not-arrived h2", has_text="未受付 23名").wait_for()
        assert list_names(page) == [name for name in KANA_ORDER if name != "佐藤 一郎"]

        # Undo asks first; "やめる" keeps the check-in.
        page.get_by_role("button", name="直前の受付を取り消す（佐藤 一郎）").click()
        assert page.get_by_text("佐藤 一郎さんの受付を取り消しますか？").is_visible()
        assert violations(page) == []
        page.get_by_role("button", name="やめる").click()
        assert checkin_of(live_app, sato.number) is not None
        page.get_by_role("button", name="直前の受付を取り消す（佐藤 一郎）").click()
        page.get_by_role("button", name="受付を取り消す", exact=True).click()
        page.locator("#result .result-head", has_text="受付を取り消しました").wait_for()
        assert checkin_of(live_app, sato.number) is None
        page.locator("section.not-arrived h2", has_text="未受付 24名").wait_for()  # back on the list
        assert list_names(page) == KANA_ORDER

        # A typed 受付番号 gets the same undo.
        yamada = ticket_named(door, "山田 花子")
        page.get_by_label("受付番号", exact=True).fill(str(yamada.number))
        page.get_by_role("button", name="受付", exact=True).click()
        page.locator("#result.result-ok .result-name", has_text="山田 花子").wait_for()
        page.get_by_role("button", name="直前の受付を取り消す（山田 花子）").click()
        page.get_by_role("button", name="受付を取り消す", exact=True).click()
        page.locator("#result .result-head", has_text="受付を取り消しました").wait_for()
        assert checkin_of(live_app, yamada.number) is None


def test_offline_the_list_says_it_may_be_stale_and_a_tap_is_queued(browser, door_context, base_url, live_app, door):
    context = door_context(browser, **PHONE_390)
    page = context.new_page()
    with no_console_errors(page):
        open_scanner(page, base_url, door)
        stale = page.locator("[data-not-arrived-stale]")
        assert stale.is_hidden()
        context.set_offline(True)
        stale.wait_for()
        assert "最新でない可能性があります" in stale.inner_text()
        watanabe = ticket_named(door, "渡辺 陽子")
        page.get_by_role("button", name="渡辺 陽子さんを受付する").click()
        page.locator("#result.result-queued .result-name", has_text="渡辺 陽子").wait_for()
        assert "渡辺 陽子" not in list_names(page)
        assert checkin_of(live_app, watanabe.number) is None
        context.set_offline(False)
        page.locator("#net-status", has_text="オンライン — 未送信はありません").wait_for()
        stale.wait_for(state="hidden")
        assert checkin_of(live_app, watanabe.number).method == CheckInMethod.SEARCH


def test_search_and_walk_in_offer_the_undo_through_a_confirmation_page(browser, door_context, base_url, live_app,
                                                                      door):
    page = door_context(browser, **PHONE_390).new_page()
    kimura = ticket_named(door, "木村 優子")
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}/search?q=きむら")
        page.get_by_role("button", name="木村 優子さんを受付する").click()
        page.get_by_text("木村 優子さんを受付しました。").wait_for()
        assert checkin_of(live_app, kimura.number).method == CheckInMethod.SEARCH
        page.get_by_role("link", name="木村 優子さんの受付を取り消す").click()
        page.get_by_text("木村 優子さん（受付番号").wait_for()
        assert violations(page) == []
        assert checkin_of(live_app, kimura.number) is not None  # asking changed nothing
        page.get_by_role("button", name="受付を取り消す").click()
        page.wait_for_url(re.compile(r"/search\?q="))
        page.get_by_text("木村 優子さんの受付を取り消しました。").wait_for()
        assert checkin_of(live_app, kimura.number) is None

        page.goto(f"{base_url}{door.scanner}/walk-in")
        page.get_by_label("氏名", exact=True).fill("当日 次郎")
        page.get_by_label("ふりがな", exact=True).fill("とうじつ じろう")
        page.get_by_label("電話番号").fill("090-2222-3333")
        page.get_by_role("button", name="当日参加を登録して受付").click()
        page.get_by_text("当日 次郎さんを当日参加として受付しました。").wait_for()
        page.get_by_role("link", name="当日 次郎さんの受付を取り消す").click()
        page.get_by_role("button", name="受付を取り消す").click()
        page.get_by_text("当日 次郎さんの受付を取り消しました。").wait_for()
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        assert page.locator("[data-count=walk_in]").inner_text() == "0"


@pytest.mark.parametrize("context_options", [{**PHONE_390, "bypass_csp": True}], ids=["phone-390"])
def test_the_live_page_passes_axe_and_its_list_checks_in_without_the_scanner(page, base_url, live_app, door):
    log_in(page, base_url)  # an organizer
    page.goto(f"{base_url}/checkin/events/{door.event_id}/live")
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ishikawa = ticket_named(door, "石川 修")
    page.get_by_role("button", name="石川 修さんを受付する").click()
    page.get_by_text("石川 修さんを受付しました。").wait_for()
    assert "/live?done=" in page.url
    assert "石川 修" not in list_names(page)
    assert checkin_of(live_app, ishikawa.number).method == CheckInMethod.SEARCH


def camera_message(page) -> tuple[str, str]:
    page.locator("#checkin[data-camera=error], #checkin[data-camera=unavailable]").wait_for(state="attached")
    return (page.locator("#checkin").get_attribute("data-camera-problem"),
            page.locator("[data-camera-message]").inner_text())


def test_no_camera_is_said_in_japanese(browser, door_context, base_url, door):
    page = door_context(browser).new_page()  # Chromium without a fake device: NotFoundError
    with no_console_errors(page):
        open_scanner(page, base_url, door)
        problem, text = camera_message(page)
    assert problem == "missing"
    assert text == "この端末ではカメラが見つかりません。受付番号の入力か、名前で検索をお使いください。"


def test_a_refused_camera_says_how_to_allow_it(browser, door_context, base_url, door):
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, FAKE_DEVICE])
    try:  # a camera, and no permission (no --use-fake-ui-for-media-stream): NotAllowedError
        page = door_context(chromium).new_page()
        with no_console_errors(page):
            open_scanner(page, base_url, door)
            problem, text = camera_message(page)
    finally:
        chromium.close()
    assert problem == "denied"
    assert text.startswith("カメラの使用が許可されていません。") and "「許可」" in text


@pytest.mark.parametrize(("name", "problem", "start"), [
    ("NotReadableError", "busy", "カメラをほかのアプリが使っています。"),
    ("OverconstrainedError", "missing", "この端末ではカメラが見つかりません。"),
    ("AbortError", "failed", "カメラを起動できませんでした。"),
])
def test_every_camera_problem_has_its_words_never_the_error_name(browser, door_context, base_url, door,
                                                               name, problem, start):
    context = door_context(browser)
    context.add_init_script(f"""navigator.mediaDevices.getUserMedia =
        () => Promise.reject(new DOMException('from the test', '{name}'));""")
    page = context.new_page()
    with no_console_errors(page):
        open_scanner(page, base_url, door)
        shown = camera_message(page)
    assert shown[0] == problem and shown[1].startswith(start)
    assert "Error" not in shown[1]


def test_an_insecure_page_says_https_is_needed(browser, door_context, base_url, door):
    context = door_context(browser)
    context.add_init_script("Object.defineProperty(window, 'isSecureContext', {get: () => false});")
    page = context.new_page()
    open_scanner(page, base_url, door)
    problem, text = camera_message(page)
    assert problem == "insecure" and "HTTPS" in text and "管理者" in text
    assert page.get_by_role("button", name="カメラを開始").count() == 0
