"""A citizen registers on a 375 px phone and reaches the ticket page; axe-core finds no
violations on the form or the ticket."""
import re
from datetime import time, timedelta

import pytest

from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from server import AXE_JS

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "bypass_csp": True}


@pytest.fixture(scope="module")
def open_event_id(live_app) -> int:
    with live_app.app_context():
        series = db.session.scalar(db.select(Series).where(Series.name == "市民公開講座"))
        day = (now() + timedelta(days=40)).date()
        event = save_event(db.session, EventInput(
            title="人生会議のはじめかた", series_id=series.id, format=EventFormat.HYBRID, capacity=50,
            starts_at=tokyo_datetime(day, time(14, 0)), ends_at=tokyo_datetime(day, time(16, 0)),
            venue="文化会館 小ホール", goals=["awareness", "acp"], scenes=["daily"],
        ))
        set_event_status(db.session, event, EventStatus.PUBLISHED)
        return event.id


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("context_options", [PHONE], ids=["phone-375"])
def test_register_on_a_phone_and_reach_the_ticket(page, base_url, refused, open_event_id):
    page.goto(f"{base_url}/events/{open_event_id}?ch=line")
    page.get_by_role("link", name="参加を申し込む").click()
    page.wait_for_url(re.compile(rf"/events/{open_event_id}/register"))
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("姓", exact=True).fill("山田")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("せい（ふりがな）").fill("やまだ")
    page.get_by_label("めい（ふりがな）").fill("はなこ")
    page.get_by_label("メールアドレス").fill("hanako.browser@example.jp")
    assert page.get_by_label("職種", exact=True).count() == 0  # a citizens' lecture asks no profession
    page.get_by_label("年代").select_option("70代")
    assert page.get_by_label("LINE").is_checked()  # preselected by the link's ?ch=line
    page.get_by_label("録画を視聴（オンデマンド）").check()
    page.get_by_label("会場で参加（参集）").check()
    page.get_by_label("上記の個人情報の利用目的に同意します").check()
    page.get_by_role("button", name="申し込む").click()

    page.wait_for_url(re.compile(r"/r/[\w-]{20,}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "人生会議のはじめかた"
    assert page.get_by_text("当日は受付でこのQRコードをお見せください。").is_visible()
    assert page.locator(".qr svg").is_visible()
    assert page.locator(".qr svg").bounding_box()["width"] <= 375
    assert violations(page) == []
    assert refused == []
