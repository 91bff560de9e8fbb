"""The ticket pages in Chromium, on a 390 px phone and a 1366 px screen: a
phone-only registrant's ticket (save advice, the card to download, a print button), an online
participant's ticket with the join link the day before, and the "already registered" page with
the 事務局's phone. axe-core finds no violations on any of them."""
import re
from datetime import time, timedelta
from pathlib import Path

import png
import pytest

from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now, to_tokyo, tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from server import AXE_JS

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "bypass_csp": True, "accept_downloads": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "bypass_csp": True, "accept_downloads": True}
JOIN_URL = "https://zoom.us/j/9876543210?pwd=browser"
SIZES = pytest.mark.parametrize("context_options", [PHONE, DESKTOP], ids=["phone-390", "desktop-1366"])


@pytest.fixture(scope="module")
def tickets(live_app) -> dict:
    """A venue event in 30 days and an online event tomorrow, each with a phone-only registrant."""
    with live_app.app_context():
        series = db.session.scalar(db.select(Series).where(Series.name == "市民公開講座"))
        made = {}
        for key, days, fmt in (("venue", 30, EventFormat.IN_PERSON), ("online", 1, EventFormat.ONLINE)):
            day = to_tokyo(now()).date() + timedelta(days=days)
            event = save_event(db.session, EventInput(
                title=f"人生会議のはじめかた（{key}）", series_id=series.id, format=fmt,
                starts_at=tokyo_datetime(day, time(14, 0)), ends_at=tokyo_datetime(day, time(16, 0)),
                venue="文化会館 小ホール" if key == "venue" else "", venue_address="流山市平和台1-1-1",
                join_url=JOIN_URL if key == "online" else "", goals=["awareness"], scenes=["daily"],
            ))
            set_event_status(db.session, event, EventStatus.PUBLISHED)
            person = PersonFields(family_name="電話", given_name="花子", family_kana="でんわ", given_kana="はなこ",
                                  phone=f"04-7150-00{days:02d}")
            registration = register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                                    source=RegistrationSource.PUBLIC).registration
            made[key] = {"event_id": event.id, "manage": registration.manage_token, "number": registration.id}
        db.session.remove()
        return made


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@SIZES
def test_a_phone_only_ticket_says_save_me_and_hands_out_the_card(page, base_url, refused, tickets):
    ticket = tickets["venue"]
    page.goto(f"{base_url}/r/{ticket['manage']}")
    assert page.locator(".ticket-number strong").inner_text() == str(ticket["number"])
    assert page.get_by_text("このページを保存してください。").is_visible()
    assert page.get_by_text("画面を撮影する（スクリーンショット）").is_visible()
    assert page.get_by_role("button", name="印刷する").is_visible()  # shown by print.js
    assert "流山市平和台1-1-1" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("link", name="04-7150-6081").count() == 0  # the default contact, not a test value
    assert page.locator("section.contact").get_by_role("link", name="000-000-0000").is_visible()
    assert fits(page)
    assert violations(page) == []

    with page.expect_download() as waiting:
        page.get_by_role("link", name="参加票を画像で保存").click()
    download = waiting.value
    assert download.suggested_filename == f"ticket-{ticket['number']}.png"
    width, height, _rows, _info = png.Reader(bytes=Path(download.path()).read_bytes()).read()
    assert height > width >= 200  # the QR code with the number under it
    assert refused == []


@SIZES
def test_an_online_ticket_shows_the_join_link_the_day_before(page, base_url, refused, tickets):
    page.goto(f"{base_url}/r/{tickets['online']['manage']}")
    link = page.get_by_role("link", name="オンラインで参加する")
    assert link.is_visible() and link.get_attribute("href") == JOIN_URL
    assert page.locator(".qr").count() == 0 and page.get_by_text("参加票を画像で保存").count() == 0
    assert fits(page)
    assert violations(page) == []
    page.goto(f"{base_url}/events/{tickets['online']['event_id']}")
    assert "zoom.us" not in page.content()
    assert refused == []


@SIZES
def test_already_registered_names_the_phone_to_call(page, base_url, refused, tickets):
    page.goto(f"{base_url}/events/{tickets['venue']['event_id']}/register")
    for name, value in (("family_name", "電話"), ("given_name", "花子"), ("family_kana", "でんわ"),
                        ("given_kana", "はなこ"), ("phone", "04-7150-0030")):
        page.locator(f"input[name={name}]").fill(value)
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="申し込む").click()
    page.wait_for_url(re.compile(r"/register$"))
    assert page.get_by_role("heading", level=1).inner_text() == "すでにお申込み済みです"
    assert page.get_by_text("事務局へお電話ください（電話 000-000-0000）", exact=False).is_visible()
    assert page.locator("main").get_by_role("link", name="000-000-0000").get_attribute("href") == "tel:0000000000"
    assert page.locator(".qr").count() == 0 and "/r/" not in page.content()
    assert page.locator("footer.site").get_by_text("在宅医療・介護連携推進事業 事務局").is_visible()
    assert fits(page)
    assert violations(page) == []
    assert refused == []
