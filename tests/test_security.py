"""Security headers on every kind of answer, and production's refusal of a weak setup."""
import pytest

from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.security import InsecureConfiguration


def test_every_kind_of_page_carries_the_security_headers(client, login, make_event):
    event = make_event()
    answers = [client.get("/"), client.get(f"/events/{event.id}"), client.get("/login"), client.get("/nowhere"),
               client.get("/api/v1/openapi.json"), client.post("/api/v1/events/1/checkins", json={})]
    staff = login(Role.ORGANIZER)
    answers += [staff.get("/admin/"), staff.get(f"/checkin/events/{event.id}/search")]
    for response in answers:
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_page_template_holds_inline_script():
    from pathlib import Path
    import re

    templates = Path(__file__).resolve().parent.parent / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=", re.IGNORECASE)
    offenders = [str(path) for path in templates.rglob("*.html") if inline.search(path.read_text())]
    assert offenders == []


@pytest.mark.parametrize("key", [None, "short", "dev-only-not-secret"])
def test_production_refuses_to_start_without_a_real_secret_key(key, tmp_path):
    config = {"PRODUCTION": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(InsecureConfiguration):
        create_app(config)


def test_production_sends_cookies_over_https_only(tmp_path):
    app = create_app({"PRODUCTION": True, "SECRET_KEY": "k" * 48,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["PREFERRED_URL_SCHEME"] == "https"


@pytest.mark.parametrize("proxies, separate", [(0, False), (1, True)])
def test_rate_limits_count_per_client_behind_a_trusted_proxy(rate_limited_app, proxies, separate):
    """Behind nginx every request comes from 127.0.0.1: with TRUSTED_PROXIES=1 the limit is
    counted per X-Forwarded-For address; with 0 the header is ignored, so it cannot be forged."""
    app = rate_limited_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies)
    client = app.test_client()

    def attempt(address: str) -> int:
        return client.post("/login", data={"username": "x", "password": "wrong-password"},
                           headers={"X-Forwarded-For": address}).status_code

    first = [attempt("203.0.113.1") for _ in range(3)]
    other = attempt("203.0.113.2")
    assert first == [422, 422, 429]
    assert other == (422 if separate else 429)
