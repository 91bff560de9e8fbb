"""The public pages and the organizer's event form, driven in Debian's Chromium.

The server holds the fiscal-2025 demo programme (22 published events, all past by now) and
one organizer account; see conftest.py. Every test refuses requests to other hosts and
asserts none was made: the pages need no CDN.
"""
import re

import pytest

from server import AXE_JS, log_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DEMO_EVENT_COUNT = 22
TSUMUGU_1 = {
    "title": "ICTを活用した多職種連携について",
    "series": "介護と医療をつむぐ会",
    "when": "令和7年7月11日(金)18:30～20:20",
    "venue": "生涯学習センター 多目的ホール",
    "goals": ["③情報共有", "④多職種連携"],
}


def section(page, heading_id: str):
    return page.locator(f"section[aria-labelledby={heading_id}]")


@pytest.mark.parametrize("context_options", [PHONE], ids=["phone"])
def test_event_list_on_a_phone(page, base_url, refused):
    page.goto(f"{base_url}/")

    assert page.title().startswith("イベント一覧")
    assert page.get_by_role("heading", level=1).inner_text() == "研修会・講座のご案内"
    assert page.get_by_role("heading", name="これからのイベント").is_visible()
    past = section(page, "past")
    assert past.get_by_role("heading", level=2).inner_text() == "開催済みのイベント（令和7年度）"
    assert past.locator("li.card").count() == DEMO_EVENT_COUNT
    card = past.locator("li.card", has_text=TSUMUGU_1["title"])
    assert card.get_by_role("link", name=TSUMUGU_1["title"]).is_visible()
    assert card.locator("time").inner_text() == TSUMUGU_1["when"]
    assert card.locator("time").is_visible()

    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["inner"] == 360
    assert widths["scroll"] <= widths["inner"], f"horizontal scroll on a phone: {widths}"
    assert refused == []


def test_event_page_and_its_calendar_file(page, base_url, refused):
    page.goto(f"{base_url}/")
    page.get_by_role("link", name=TSUMUGU_1["title"]).click()
    page.wait_for_url(re.compile(r"/events/\d+$"))

    assert page.get_by_role("heading", level=1).inner_text() == TSUMUGU_1["title"]
    assert page.title().startswith(TSUMUGU_1["title"])
    facts = page.locator("dl.facts")
    assert facts.locator("time").inner_text() == TSUMUGU_1["when"]
    assert TSUMUGU_1["venue"] in facts.inner_text()
    assert [t.strip() for t in facts.locator(".tag").all_inner_texts()][:2] == TSUMUGU_1["goals"]
    assert page.locator("p.series").inner_text() == TSUMUGU_1["series"]
    assert page.get_by_text("このイベントは終了しました。").is_visible()

    ics_link = page.get_by_role("link", name="カレンダーに追加（.ics）")
    href = ics_link.get_attribute("href")
    assert re.fullmatch(r"/events/\d+/calendar\.ics", href)
    assert page.url.endswith(href.removesuffix("/calendar.ics"))
    response = page.request.get(f"{base_url}{href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert TSUMUGU_1["title"] in body.replace("\r\n ", "")  # long lines are folded
    assert refused == []


def axe_findings(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run()")
    return result["violations"]


def describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} — {targets}"


@pytest.mark.parametrize("context_options", [{"bypass_csp": True}], ids=["axe"])
def test_no_serious_accessibility_violations(page, base_url, refused):
    page.goto(f"{base_url}/")
    first_event = page.locator("section[aria-labelledby=past] li.card h3 a").first.get_attribute("href")
    pages = {"/": axe_findings(page)}
    page.goto(f"{base_url}{first_event}")
    pages[first_event] = axe_findings(page)

    serious = []
    for path, violations in pages.items():
        for violation in violations:
            line = f"{path} {describe(violation)}"
            print(line)  # the minor and moderate ones are reported, not failed (pytest -s shows them)
            if violation["impact"] in ("critical", "serious"):
                serious.append(line)
    assert serious == []
    assert refused == []


def test_organizer_creates_and_publishes_an_event(page, base_url, refused):
    title = "ブラウザテストの研修会：入退院支援の連携"
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/events/new")
    assert page.get_by_role("heading", level=1).inner_text() == "イベントの作成"
    page.locator("input[name=title]").fill(title)
    page.locator("select[name=series_id]").select_option(label="介護と医療をつむぐ会")
    page.locator("input[name=day]").fill("2027-06-10")
    page.locator("input[name=start_time]").fill("18:30")
    page.locator("input[name=end_time]").fill("20:00")
    page.locator("input[name=venue]").fill("市役所 第1会議室")
    page.locator("select[name=format]").select_option("in_person")
    page.locator("input[name=goals][value=collaboration]").check()
    page.locator("input[name=scenes][value=daily]").check()
    page.get_by_role("button", name="保存する").click()

    page.wait_for_url(re.compile(r"/admin/events/\d+/edit$"))
    assert page.get_by_text("イベントを保存しました。").is_visible()
    assert page.locator(".status-line .badge").inner_text() == "下書き"
    page.get_by_role("button", name="公開する").click()
    assert page.get_by_text("公開しました。").is_visible()
    assert page.locator(".status-line .badge").inner_text() == "公開中"

    page.goto(f"{base_url}/")
    card = section(page, "upcoming").locator("li.card", has_text=title)
    assert card.count() == 1
    assert card.locator("time").inner_text() == "令和9年6月10日(木)18:30～20:00"
    assert section(page, "past").locator("li.card", has_text=title).count() == 0
    card.get_by_role("link", name=title).click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert [t.strip() for t in page.locator("dl.facts .tag").all_inner_texts()] == ["④多職種連携", "日常の療養支援"]
    assert refused == []


@pytest.mark.parametrize("context_options", [{"bypass_csp": True}], ids=["without-csp"])
def test_requests_to_other_hosts_are_refused(page, base_url, refused):
    """The guard the other tests rely on: a page asking a CDN for something gets nothing
    (with the Content-Security-Policy set aside, which would stop the request first)."""
    page.goto(f"{base_url}/")
    status = page.evaluate(
        """() => fetch('https://cdn.example.com/lib.js').then(r => r.status, e => 'refused')"""
    )
    assert status == "refused"
    assert refused == ["https://cdn.example.com/lib.js"]
    refused.clear()  # expected here; the context's teardown asserts the list is empty
