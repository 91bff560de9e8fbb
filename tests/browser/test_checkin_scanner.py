"""Check-in at the door in Chromium, on a 375 px phone: the camera reads a real ticket's QR
code (a fake camera playing a Y4M made here), scans and number entries survive a network
cut in IndexedDB and reach the server exactly once, and the page passes axe-core."""
import json
from datetime import timedelta

import pytest
from test_registration_flow import violations

from checkin_door import (  # noqa: F401
    PEOPLE,
    RECEPTION,
    RECEPTION_PASSWORD,
    Door,
    Ticket,
    checkin_of,
    checkins,
    door_context,
    enter_number,
    make_door,
    no_console_errors,
)
from eventsapp.checkin.models import CheckInMethod
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.registration.models import Registration, RegistrationStatus
from fake_camera import camera_args, write_y4m
from server import CHROMIUM, CHROMIUM_ARGS, log_in

pytestmark = pytest.mark.browser

TITLE = "受付テスト 在宅医療の多職種連携"


@pytest.fixture(scope="module")
def door(live_app) -> Door:
    return make_door(live_app, TITLE)


@pytest.fixture(scope="module")
def camera_browsers(browser, tmp_path_factory):
    """Chromium with a fake camera showing one ticket, one browser per ticket (≈ 0.25 s each)."""
    folder = tmp_path_factory.mktemp("camera")
    launched = {}

    def showing(ticket: Ticket):
        if ticket.token not in launched:
            y4m = write_y4m(folder / f"ticket-{ticket.number}.y4m", ticket.token)
            launched[ticket.token] = browser.browser_type.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera_args(y4m)])
        return launched[ticket.token]

    yield showing
    for camera in launched.values():
        camera.close()


def status_line(page) -> str:
    return page.locator("#net-status").inner_text()


FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def test_the_camera_reads_a_ticket_and_the_server_checks_it_in(camera_browsers, door_context, base_url, live_app,
                                                               door, refused):
    ticket = door.tickets[0]
    context = door_context(camera_browsers(ticket), permissions=["camera"])
    page = context.new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")

        result = page.locator("#result")
        result.locator(".result-name", has_text=ticket.name).wait_for()
        assert "result-ok" in result.get_attribute("class")
        assert "受付しました" in result.inner_text() and ticket.kana in result.inner_text()
        timing = page.evaluate("""() => {
            const [m] = performance.getEntriesByName('scan-to-confirmation');
            return {confirm_ms: m.duration, detected_after_load_ms: m.startTime};
        }""")
        print(f"\nscan → confirmation {timing['confirm_ms']:.0f} ms "
              f"(QR decoded {timing['detected_after_load_ms']:.0f} ms after the page started loading)")

        row = checkin_of(live_app, ticket.number)
        assert row is not None and row.method == CheckInMethod.QR and row.scanned_at is not None
        page.locator("[data-count=checked_in]", has_text=str(len(checkins(live_app, door)))).wait_for()

        assert violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        # Undo the last check-in, then enter its 受付番号 by hand: checked in again, manually.
        page.get_by_role("button", name=f"直前の受付を取り消す（{ticket.name}）").click()
        page.get_by_role("button", name="受付を取り消す", exact=True).click()  # it asks first
        result.locator(".result-head", has_text="受付を取り消しました").wait_for()
        assert checkin_of(live_app, ticket.number) is None
        enter_number(page, ticket.number)
        page.locator("#result.result-ok .result-name", has_text=ticket.name).wait_for()
        assert checkin_of(live_app, ticket.number).method == CheckInMethod.NUMBER
        # The ticket is still in front of the camera, held there: not read again. By hand, a duplicate,
        # typed in full width as a Japanese keyboard may (the form must not refuse it in the browser):
        enter_number(page, str(ticket.number).translate(FULL_WIDTH_DIGITS))
        page.locator("#result.result-already .result-head", has_text="受付済み（").wait_for()
        assert len([c for c in checkins(live_app, door) if c.registration_id == ticket.number]) == 1
        assert violations(page) == []  # amber
        enter_number(page, door.waitlisted.number)
        page.locator("#result.result-refused", has_text="キャンセル待ちの申込です").wait_for()
        assert violations(page) == []  # red, with its button
        # Ten digits: refused on the page in words, never cut to nine and sent as another number.
        enter_number(page, "1234567890")
        page.locator("#result.result-refused", has_text="受付番号").wait_for()
    assert refused == []


def test_offline_check_ins_are_queued_and_reach_the_server_exactly_once(camera_browsers, door_context, base_url,
                                                                         live_app, door, refused):
    scanned = door.tickets[1]
    typed = door.tickets[2:21]  # 19 by 受付番号 + 1 by camera = 20
    # The app's own Content-Security-Policy applies here (axe needs it bypassed elsewhere),
    # and no camera permission yet.
    context = door_context(camera_browsers(scanned), bypass_csp=False)
    page = context.new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert "カメラの使用が許可されていません" in page.locator("[data-camera-message]").inner_text()
        assert page.locator("[data-list-line]").inner_text().startswith(f"名簿 {len(PEOPLE)} 件")
        before = len(checkins(live_app, door))

        context.set_offline(True)
        page.locator("#net-status", has_text="オフライン — 未送信 0 件").wait_for()

        context.grant_permissions(["camera"])
        page.get_by_role("button", name="カメラを開始").click()
        page.locator("#result.result-queued .result-name", has_text=scanned.name).wait_for()
        offline_ms = page.evaluate("performance.getEntriesByName('scan-to-confirmation').at(-1).duration")
        print(f"\noffline scan → confirmation (queued in IndexedDB) {offline_ms:.0f} ms")
        for count, ticket in enumerate(typed, start=2):
            enter_number(page, ticket.number)
            page.locator("#net-status", has_text=f"オフライン — 未送信 {count} 件").wait_for()
        assert "受付しました（オフライン・未送信）" in page.locator("#result").inner_text()

        enter_number(page, typed[0].number)  # a second time: the device knows, nothing queued
        page.locator("#result.result-already .result-name", has_text=typed[0].name).wait_for()
        enter_number(page, door.waitlisted.number)  # refused offline from the list, with the way out
        page.locator("#result.result-refused .result-name", has_text=door.waitlisted.name).wait_for()
        assert page.get_by_role("button", name="参加にして受付").is_visible()
        assert status_line(page) == "オフライン — 未送信 20 件"

        page.reload()  # served by the service worker; the queue is in IndexedDB
        page.locator("#net-status", has_text="オフライン — 未送信 20 件").wait_for()
        assert page.get_by_role("heading", level=1).inner_text() == TITLE
        # The camera starts again and still shows the scanned ticket: a duplicate, not queued.
        page.locator("#result.result-already .result-name", has_text=scanned.name).wait_for()
        queued = page.evaluate("""() => new Promise((resolve, reject) => {
            const open = indexedDB.open('eventsapp-checkin');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const all = open.result.transaction('queue').objectStore('queue').getAll();
                all.onsuccess = () => resolve(all.result);
            };
        })""")
        assert len(queued) == 20 and len({item["nonce"] for item in queued}) == 20
        assert len(checkins(live_app, door)) == before

        context.set_offline(False)
        page.locator("#net-status", has_text="オンライン — 未送信はありません").wait_for()
        after = checkins(live_app, door)
        assert len(after) == before + 20
        wanted = {scanned.number, *(t.number for t in typed)}
        assert wanted <= {c.registration_id for c in after}
        assert {item["nonce"] for item in queued} <= {c.nonce for c in after}

        # Sending the same records again (a second device, a retry after a lost answer) adds none.
        token = page.locator("meta[name=csrf-token]").get_attribute("content")
        for item in queued:
            answer = page.request.post(f"{base_url}{item['url']}", data=json.dumps(item["body"]),
                                       headers={"Content-Type": "application/json", "X-CSRFToken": token})
            assert answer.status == 201, answer.text()  # the first answer, replayed
        assert len(checkins(live_app, door)) == before + 20
    assert refused == []


def test_a_waitlisted_ticket_is_admitted_and_checked_in(browser, door_context, base_url, live_app, door):
    context = door_context(browser, bypass_csp=False)  # no camera at all: the page says so and still works
    page = context.new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        assert "カメラが見つかりません" in page.locator("[data-camera-message]").inner_text()
        enter_number(page, door.waitlisted.number)
        page.locator("#result.result-refused", has_text="キャンセル待ちの申込です").wait_for()
        page.get_by_role("button", name="参加にして受付").click()
        page.locator("#result.result-ok .result-name", has_text=door.waitlisted.name).wait_for()
    with live_app.app_context():
        assert db.session.get(Registration, door.waitlisted.number).status == RegistrationStatus.REGISTERED
    assert checkin_of(live_app, door.waitlisted.number) is not None


def test_the_ticket_list_is_wiped_once_the_event_is_over(browser, door_context, base_url, door):
    context = door_context(browser)
    page = context.new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")  # under way: its list is kept on the device
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        put_in_store(page, "lists", {"event_id": 999_999, "ends_at": "2020-01-01T00:00:00+09:00",
                                   "generated_at": "2020-01-01T00:00:00+09:00", "tickets": []})
        assert sorted(keys_in_store(page, "lists")) == [door.event_id, 999_999]

        page.clock.set_fixed_time(door.ends_at + timedelta(minutes=1))  # the device's clock moves on
        page.reload()
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        assert page.locator("[data-list-line]").inner_text() == "イベントは終了しました。名簿はこの端末から消去しました。"
        assert keys_in_store(page, "lists") == []


def test_logging_out_wipes_the_names_and_the_page_copy_from_the_device(browser, door_context, base_url, door):
    page = door_context(browser).new_page()
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        assert keys_in_store(page, "lists") == [door.event_id]
        assert door.scanner in page.evaluate(CACHED_PATHS)
        put_in_store(page, "queue", {  # a scan not yet sent
            "nonce": "unsent-at-logout-1", "url": f"/api/v1/events/{door.event_id}/checkins",
            "event_id": door.event_id, "label": door.tickets[23].name, "queued_at": now().isoformat(), "held": {
                "status": 422, "message": "読み取り日時が正しくありません。端末の時刻を確認してください。"},
            "body": {"registration_id": door.tickets[23].number, "method": "number", "nonce": "unsent-at-logout-1",
                     "scanned_at": (now() + timedelta(hours=3)).isoformat(timespec="seconds")},
        })

        question = click_and_answer(page, page.get_by_role("button", name="ログアウト"), accept=False)
        assert "未送信の受付が 1 件" in question
        assert door.scanner in page.url and keys_in_store(page, "lists") == [door.event_id]  # still here

        click_and_answer(page, page.get_by_role("button", name="ログアウト"), accept=True)
        page.wait_for_url(lambda url: "/checkin/" not in url)
        assert keys_in_store(page, "lists") == []
        assert [path for path in page.evaluate(CACHED_PATHS) if not path.startswith("/static/")] == []
        assert keys_in_store(page, "queue") == ["unsent-at-logout-1"]  # kept until the server has it


def test_a_record_the_server_refuses_is_held_until_staff_send_it_again_or_delete_it(browser, door_context, base_url,
                                                                                   live_app, door):
    ticket = door.tickets[22]
    page = door_context(browser).new_page()
    sent = []
    page.on("request", lambda request: sent.append(request.url)
            if request.method == "POST" and request.url.endswith("/checkins") else None)
    with no_console_errors(page):
        log_in(page, base_url, RECEPTION, RECEPTION_PASSWORD, landing="/checkin/")
        page.goto(f"{base_url}{door.scanner}")
        page.locator("#checkin[data-ready=true]").wait_for(state="attached")
        # Queued offline on a device whose clock ran three hours fast: the server refuses the
        # record itself (422), so sending it again as it is would never succeed.
        fast = (now() + timedelta(hours=3)).isoformat(timespec="seconds")
        put_in_store(page, "queue", {
            "nonce": "held-scan-0001", "url": f"/api/v1/events/{door.event_id}/checkins", "event_id": door.event_id,
            "label": ticket.name, "queued_at": now().isoformat(),
            "body": {"registration_id": ticket.number, "method": "number", "nonce": "held-scan-0001",
                     "scanned_at": fast},
        })
        page.reload()
        held = page.locator("[data-held-list] li")
        held.filter(has_text="読み取り日時が正しくありません").wait_for()
        assert ticket.name in held.inner_text()
        page.locator("#net-status", has_text="送信できなかった受付が 1 件あります（下の一覧）").wait_for()
        assert len(sent) == 1

        page.evaluate("window.dispatchEvent(new Event('online'))")  # the automatic sending passes it by
        page.wait_for_timeout(1000)
        assert len(sent) == 1

        with page.expect_response(lambda response: response.url.endswith("/checkins")) as answer:
            page.get_by_role("button", name="もう一度送る").click()
        assert answer.value.status == 422  # the clock is still wrong: held again, not lost
        held.filter(has_text="読み取り日時が正しくありません").wait_for()
        assert len(keys_in_store(page, "queue")) == 1

        click_and_answer(page, page.get_by_role("button", name="削除"), accept=False)
        assert keys_in_store(page, "queue") == ["held-scan-0001"]
        question = click_and_answer(page, page.get_by_role("button", name="削除"), accept=True)
        page.locator("#net-status", has_text="オンライン — 未送信はありません").wait_for()
        assert ticket.name in question and "受付は記録されません" in question
        assert keys_in_store(page, "queue") == [] and held.count() == 0
    assert checkin_of(live_app, ticket.number) is None


def click_and_answer(page, button, *, accept: bool) -> str:
    """Click a button that asks for confirmation, answer the dialog, return its question."""
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    button.click()
    for _ in range(100):
        if asked:
            return asked[0]
        page.wait_for_timeout(50)
    raise AssertionError("no confirmation was asked")


CACHED_PATHS = """async () => {
    const paths = [];
    for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
}"""
PUT_IN_STORE = """({store, record}) => new Promise((resolve, reject) => {
    const open = indexedDB.open('eventsapp-checkin');
    open.onsuccess = () => {
        const tx = open.result.transaction(store, 'readwrite');
        tx.objectStore(store).put(record);
        tx.oncomplete = () => resolve(true);
        tx.onerror = () => reject(tx.error);
    };
})"""
KEYS_IN_STORE = """store => new Promise(resolve => {
    const open = indexedDB.open('eventsapp-checkin');
    open.onsuccess = () => {
        const keys = open.result.transaction(store).objectStore(store).getAllKeys();
        keys.onsuccess = () => resolve(keys.result);
    };
})"""


def put_in_store(page, store: str, record: dict) -> None:
    """Write a record straight into the scanner's IndexedDB (`lists` or `queue`)."""
    page.evaluate(PUT_IN_STORE, {"store": store, "record": record})


def keys_in_store(page, store: str) -> list:
    return page.evaluate(KEYS_IN_STORE, store)
