"""The fiscal-year dashboard and the yearly report on the demo programme, in Chromium: an
organizer logs in, sees the charts drawn (server-side SVG, no script), and axe-core finds no
serious or critical violation. The page's CSP forbids injected scripts, so the audit context
bypasses it for axe alone."""
import pytest

from server import AXE_JS, log_in

pytestmark = pytest.mark.browser
AUDIT = {"viewport": {"width": 1280, "height": 900}, "bypass_csp": True}


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("context_options", [AUDIT], ids=["desktop"])
def test_the_dashboard_of_2025_draws_its_charts(page, base_url, refused):
    log_in(page, base_url)
    page.get_by_role("link", name="年度報告").click()
    page.goto(f"{base_url}/admin/reports/2025")
    assert page.get_by_role("heading", level=1).inner_text().startswith("年度報告（令和7年度")

    charts = ["イベントごとの参加者数と新規参加者の割合", "シリーズ別の満足度"]
    if page.locator("#chart-professions svg").count():  # drawn once the demo has attendees
        charts.append("参加者の職種")
    for name in charts:
        chart = page.get_by_role("img", name=name)
        assert chart.is_visible(), name
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 50, name
    bars = page.locator("#chart-participants rect.bar")
    assert bars.count() == 22  # every demo event of fiscal 2025
    assert page.get_by_role("cell", name="令和7年7月11日(金)18:30～20:20").is_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="実績報告の表").click()
    page.wait_for_url(f"{base_url}/admin/reports/2025/yearly")
    assert page.get_by_role("rowheader", name="日常の療養支援").is_visible()
    assert page.get_by_text("第1回:令和7年7月11日(金)18:30～20:20").first.is_visible()
    assert serious_violations(page) == []
    assert refused == []
