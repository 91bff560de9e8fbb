"""Regenerate docs/screenshots/*.png from the demo programme, in Debian's Chromium.

Run by hand (pytest does not collect this file):

    .venv/bin/python tests/browser/screenshots.py [--out docs/screenshots]

It builds the same app as the browser tests (scratch SQLite, demo programme, one organizer),
serves it on a free local port and refuses every request to another host. Japanese text needs a
Japanese font on the machine (Debian: apt-get install -y fonts-noto-cjk), or the images show
empty boxes; the script warns when fontconfig knows none.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from server import CHROMIUM, CONTEXT_DEFAULTS, ROOT, block_remote_requests, build_app, launch_chromium, log_in, serve

MAX_HEIGHT = 2500  # full-page captures are cut here to keep the files small
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
EVENT_TITLE = "住み慣れた地域で私らしく生きるために"  # つむぐ会 第2回: joint, hybrid, with a description


def capture(page, path: Path) -> None:
    """The whole page, cut at MAX_HEIGHT."""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)})
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {width}×{min(height, MAX_HEIGHT)} "
          f"(page {height} px high), {path.stat().st_size // 1024} kB")


def event_id(app, title: str) -> int:
    from sqlalchemy import select

    from eventsapp.catalog.models import Event
    from eventsapp.extensions import db

    with app.app_context():
        return db.session.scalar(select(Event.id).where(Event.title.contains(title)).order_by(Event.starts_at.desc()))


def warn_without_japanese_font() -> None:
    if shutil.which("fc-list") is None:
        return
    found = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout.strip()
    if not found:
        print("warning: no Japanese font installed (apt-get install -y fonts-noto-cjk); text will show as boxes",
              file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium", file=sys.stderr)
        return 1
    warn_without_japanese_font()
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        app = build_app(Path(tmp))
        with serve(app) as base_url:
            browser = launch_chromium(playwright)

            phone = browser.new_context(**CONTEXT_DEFAULTS, **PHONE)
            block_remote_requests(phone, refused)
            page = phone.new_page()
            page.goto(f"{base_url}/")
            capture(page, out / "public-list-phone.png")
            page.get_by_role("link", name=EVENT_TITLE).click()
            page.wait_for_load_state()
            capture(page, out / "event-page-phone.png")
            phone.close()

            desktop = browser.new_context(**CONTEXT_DEFAULTS, **DESKTOP)
            block_remote_requests(desktop, refused)
            page = desktop.new_page()
            log_in(page, base_url)
            page.goto(f"{base_url}/admin/events/new")
            capture(page, out / "admin-event-form.png")
            page.goto(f"{base_url}/admin/events?fy=2025")
            capture(page, out / "admin-events.png")
            page.goto(f"{base_url}/admin/reports/2025")
            capture(page, out / "dashboard.png")
            page.goto(f"{base_url}/admin/reports/2025/yearly")
            capture(page, out / "yearly-report.png")
            first = event_id(app, "ICTを活用した多職種連携について")
            page.goto(f"{base_url}/admin/events/{first}/summary")
            capture(page, out / "event-summary.png")
            page.goto(f"{base_url}/admin/events/{first}/survey/results")
            capture(page, out / "survey-results.png")
            desktop.close()

            phone = browser.new_context(**CONTEXT_DEFAULTS, **PHONE)
            block_remote_requests(phone, refused)
            page = phone.new_page()
            log_in(page, base_url)
            page.goto(f"{base_url}/checkin/events/{first}/search?q=%E3%81%95%E3%81%A8%E3%81%86")
            capture(page, out / "checkin-search-phone.png")
            phone.close()

            browser.close()
    if refused:
        print(f"error: the pages asked other hosts for {refused}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
