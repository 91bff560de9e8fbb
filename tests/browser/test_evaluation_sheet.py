"""The demo's 評価シート in Chromium: at a phone's and a desktop's width the table scrolls inside
its frame, the trend charts are drawn (server-side SVG), axe-core finds no serious violation;
printed, it is A4 landscape with the header on every page and every indicator of the plan."""
import os
import re
import shutil
import subprocess

import pytest

from eventsapp.demo.evaluation_plan import INDICATORS
from server import AXE_JS, log_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "bypass_csp": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "bypass_csp": True}


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("context_options", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_the_sheet_of_2025_shows_values_and_trends(page, base_url, context_options):
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/evaluation/2025")
    assert page.get_by_role("heading", level=1).inner_text() == "令和7年度 評価シート"
    assert page.get_by_role("columnheader", name="令和3年度").is_visible()
    row = page.locator("tr", has=page.get_by_role("cell", name=re.compile("^つむぐ会参加者数")))
    assert "268人" in row.inner_text()
    trend = page.get_by_role("img", name="つむぐ会参加者数の推移")
    trend.scroll_into_view_if_needed()
    assert trend.is_visible() and trend.bounding_box()["width"] > 60
    # The page itself never scrolls sideways: the table does, inside its frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= context_options["viewport"]["width"]
    assert serious_violations(page) == []


def pdf_pages(path) -> tuple[str, list[str]]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
    return size, [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                                 text=True, check=True).stdout for n in range(1, count + 1)]


@pytest.mark.skipif(shutil.which("pdftotext") is None and os.environ.get("CI") != "true", reason="needs poppler-utils (pdftotext, pdfinfo)")
def test_the_sheet_prints_on_a4_landscape_with_every_indicator(page, base_url, tmp_path):
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/evaluation/2025")
    target = tmp_path / "evaluation.pdf"
    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
    size, pages = pdf_pages(target)
    width, height = (float(n) for n in re.findall(r"[\d.]+", size)[:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = re.sub(r"\s", "", "".join(pages))
    # Every indicator's row: its 評価時期 is printed once per row (a narrow cell wraps long names, and
    # pdftotext puts the text of the cells beside in between, so names are checked by their start).
    assert text.count("毎年度末") + text.count("3年に1回") == len(INDICATORS)
    for row in INDICATORS:
        if not row["name"].isascii() and not row["name"][0].isascii():
            assert row["name"][:4] in text, row["name"]
    for number, page_text in enumerate(pages, start=1):
        assert "令和7年度" in page_text and "評価指標" in page_text, number  # the header on every page
    assert "CSVで出力" not in text and "指標を編集" not in text  # the screen's controls are not printed
