"""Fixtures of the browser tests: one app with the demo programme on a scratch SQLite file,
served on a real port, and one Chromium for the whole session; a fresh browser context per
test, in which every request to another host is refused and recorded.

Not the top-level `app` fixture: that one runs on each database engine and empties the
tables after every test, while a browser talks to a server in another thread.
"""
import os
import sys
import traceback
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import CHROMIUM, CONTEXT_DEFAULTS, block_remote_requests, build_app, launch_chromium, serve  # noqa: E402

sys.path.pop(0)

ON_CI = os.environ.get("CI") == "true"


def browser_unavailable(reason: str):
    """Skip on a developer's machine without a browser; under CI that is a failure."""
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    return build_app(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def base_url(live_app):
    with serve(live_app) as url:
        yield url


@pytest.fixture
def server_errors(live_app):
    """Exceptions the server raised during this test; the context's teardown asserts none."""
    errors = live_app.extensions["browser_test_errors"]
    errors.clear()
    return errors


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        browser_unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("Playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context_options():
    """Options of the browser context; a test overrides them with
    @pytest.mark.parametrize("context_options", [{...}]) (a phone viewport, bypass_csp…)."""
    return {}


@pytest.fixture
def refused():
    """URLs of other hosts the pages tried to reach (each test asserts this stays empty)."""
    return []


@pytest.fixture
def context(browser, context_options, refused, server_errors):
    context = browser.new_context(**{**CONTEXT_DEFAULTS, **context_options})
    context.set_default_timeout(10_000)
    block_remote_requests(context, refused)
    yield context
    context.close()
    assert not refused, f"requests to other hosts: {refused}"
    assert not server_errors, "the server failed: " + "; ".join(
        "".join(traceback.format_exception(error)) for error in server_errors
    )


@pytest.fixture
def page(context):
    return context.new_page()
