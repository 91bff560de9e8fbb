"""The fiscal-year dashboard and the yearly report on the demo programme, in Chromium: an
organizer logs in, sees the charts drawn (server-side SVG, no script), and axe-core finds no
serious or critical violation. The page's CSP forbids injected scripts, so the audit context
bypasses it for axe alone."""
import os
import re
import shutil
import subprocess

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
    assert page.get_by_role("rowheader", name="日常の療養支援").first.is_visible()
    assert page.get_by_text("第1回:令和7年7月11日(金)18:30～20:20").first.is_visible()
    assert serious_violations(page) == []
    assert refused == []


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 390, "height": 844}}], ids=["phone"])
def test_on_a_phone_the_years_totals_are_read_whole(page, base_url):
    """A long label left its value a column one character wide, cut off at the right edge (569名
    （参集 552・オンデマンド 17） read one character per line): each value goes under its label."""
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/reports/2025")
    total = page.locator("dl.totals dd").nth(1)
    assert re.match(r"\d+名（参集 \d+・オンデマンド \d+）", total.inner_text())
    box = total.bounding_box()
    assert box["width"] > 300 and box["height"] < 60, box  # the page's width, one or two lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


SCENES = ("共通・資源", "日常の療養支援", "入退院支援", "急変時の対応", "看取り", "災害発生時")
HEADER = ("場面", "中期目標", "対象", "令和7年度計画", "令和7年度実績")


def pdf_pages(path) -> list[str]:
    count = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                                            check=True).stdout, re.M).group(1))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, count + 1)]


@pytest.mark.skipif(shutil.which("pdftotext") is None and os.environ.get("CI") != "true", reason="needs poppler-utils (pdftotext, pdfinfo)")
def test_the_yearly_report_prints_without_empty_pages(page, base_url, tmp_path):
    """Chromium's print of the demo's yearly report: the title and the front
    matter share page 1 with the table, blocks flow on without forced breaks, every page
    holds rows under its repeated header and names its scene, and the seven pages are the
    whole document (11 before: a page with the title alone, a new page per block)."""
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/reports/2025/yearly")
    target = tmp_path / "yearly.pdf"
    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
    pages = pdf_pages(target)
    assert len(pages) == 7
    assert "在宅医療介護連携推進事業実績報告" in pages[0] and "長期目標" in pages[0]
    assert "GISを活用した介護保険事業者情報を更新する。" in pages[0]  # the table starts on page 1
    for number, text in enumerate(pages, start=1):
        assert all(word in text for word in HEADER), number  # the header repeated
        rest = re.sub(r"\s", "", text)  # a narrow cell wraps 日常の療養支援 over two lines
        for word in (*HEADER, "在宅医療介護連携推進事業実績報告"):
            rest = rest.replace(word, "")
        assert len(rest) > 200, number  # rows, not a header alone
        assert any(scene in rest for scene in SCENES), number  # the scene named on every page
    assert "文章を編集" not in "".join(pages)  # screen-only links stay off paper
