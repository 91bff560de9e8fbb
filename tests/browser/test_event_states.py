"""Issue 17 in Chromium: the channel page's QR codes decode to their links (with the scanner's
own decoder, barcode-detector's zxing-cpp WebAssembly), and axe finds no violations on the
pages that show an event's state, the forms per audience, the joint event's first question, a
closed form and the channel page."""
from datetime import time, timedelta

import pytest

from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from server import AXE_JS, log_in

pytestmark = pytest.mark.browser
AUDIT = {"bypass_csp": True}  # axe and the decoder are injected into the page
CHANNELS = ("line", "mail", "bulletin", "flyer", "signage", "homepage", "word_of_mouth", "other")
DECODE = """async (url) => {
  const api = window.BarcodeDetectionAPI;
  api.prepareZXingModule({overrides: {locateFile: (path, prefix) =>
    path.endsWith('.wasm') ? '/static/vendor/barcode-detector/zxing_reader.wasm' : prefix + path}});
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const found = await new api.BarcodeDetector({formats: ['qr_code']}).detect(bitmap);
  return found.map((code) => code.rawValue);
}"""


def add_event(live_app, series_name: str, title: str, **values) -> int:
    with live_app.app_context():
        series = db.session.scalar(db.select(Series).where(Series.name == series_name))
        day = (now() + timedelta(days=values.pop("in_days", 30))).date()
        event = save_event(db.session, EventInput(
            title=title, series_id=series.id, format=values.pop("format", EventFormat.IN_PERSON),
            starts_at=tokyo_datetime(day, time(14, 0)), ends_at=tokyo_datetime(day, time(16, 0)),
            venue="文化会館 小ホール", goals=["awareness"], scenes=["daily"], **values,
        ))
        set_event_status(db.session, event, EventStatus.PUBLISHED)
        return event.id


@pytest.fixture(scope="module")
def event_ids(live_app) -> dict[str, int]:
    with live_app.app_context():
        lecture = db.session.scalar(db.select(Series).where(Series.name == "市民公開講座")).id
    return {
        "citizens": add_event(live_app, "市民公開講座", "在宅医療を知る講座", capacity=80, format=EventFormat.HYBRID),
        "professionals": add_event(live_app, "介護と医療をつむぐ会", "入退院支援を考える会", capacity=60),
        "joint": add_event(live_app, "介護と医療をつむぐ会", "地域で看取りを支える会", joint_series_ids=[lecture]),
        "before_open": add_event(live_app, "市民公開講座", "受付前の講座", in_days=60,
                                 registration_opens_at=now() + timedelta(days=10)),
    }


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("context_options", [AUDIT], ids=["audit"])
def test_the_channel_qr_codes_decode_to_their_links(page, base_url, refused, event_ids):
    log_in(page, base_url)
    event_id = event_ids["professionals"]
    page.goto(f"{base_url}/admin/events/{event_id}/channels")
    assert violations(page) == []
    page.add_script_tag(url="/static/vendor/barcode-detector/ponyfill.js")
    for code in CHANNELS:
        card = page.locator(f"#channel-{code}")
        link = card.locator(".channel-url a").inner_text()
        assert link.endswith(f"/events/{event_id}?ch={code}")
        png = card.get_by_role("link", name="QRコードをダウンロード（PNG）").get_attribute("href")
        assert page.evaluate(DECODE, png) == [link]
    assert refused == []


@pytest.mark.parametrize("context_options", [AUDIT], ids=["audit"])
def test_no_accessibility_violations_on_the_changed_public_pages(page, base_url, refused, event_ids):
    paths = [
        "/",
        f"/events/{event_ids['citizens']}?ch=flyer",
        f"/events/{event_ids['citizens']}/register?ch=flyer",
        f"/events/{event_ids['professionals']}/register",
        f"/events/{event_ids['joint']}/register",
        f"/events/{event_ids['joint']}/register?audience=citizens",
        f"/events/{event_ids['before_open']}",
        f"/events/{event_ids['before_open']}/register",
    ]
    found = {}
    for path in paths:
        page.goto(f"{base_url}{path}")
        found[path] = violations(page)
    assert found == {path: [] for path in paths}
    assert refused == []


def test_a_joint_event_asks_the_first_question_without_javascript(browser, base_url, event_ids):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/events/{event_ids['joint']}/register?ch=line")
        page.get_by_label("いいえ").check()
        page.get_by_role("button", name="次へ").click()
        assert "audience=citizens" in page.url and "ch=line" in page.url
        assert page.get_by_label("年代").is_visible() and page.get_by_label("職種", exact=True).count() == 0
        assert page.get_by_label("LINE").is_checked()
    finally:
        context.close()
