"""Security headers on every kind of answer, and production's refusal of a weak setup."""
import pytest
from flask import request

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
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=", re.IGNORECASE)
    offenders = [str(path) for path in templates.rglob("*.html") if inline.search(path.read_text())]
    assert offenders == []


SITE = "https://events.example.lg.jp"


def production_app(tmp_path, **config):
    return create_app({"PRODUCTION": True, "SECRET_KEY": "k" * 48, "PUBLIC_BASE_URL": SITE,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", **config})


@pytest.mark.parametrize("key", [None, "short", "dev-only-not-secret"])
def test_production_refuses_to_start_without_a_real_secret_key(key, tmp_path):
    config = {"PRODUCTION": True, "PUBLIC_BASE_URL": SITE,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app(config)


@pytest.mark.parametrize("base", [None, "http://127.0.0.1:5000", "", "events.example.lg.jp", "ftp://events.example.lg.jp"])
def test_production_refuses_to_start_without_the_public_base_url(base, tmp_path, monkeypatch):
    """Without FLASK_PUBLIC_BASE_URL (None: the development default stays) production would
    write links to 127.0.0.1 or have to guess the site's address."""
    monkeypatch.delenv("FLASK_PUBLIC_BASE_URL", raising=False)
    config = {"PRODUCTION": True, "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    if base is not None:
        config["PUBLIC_BASE_URL"] = base
    with pytest.raises(InsecureConfiguration, match="FLASK_PUBLIC_BASE_URL"):
        create_app(config)


def test_production_starts_with_the_public_base_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_PUBLIC_BASE_URL", SITE)
    app = create_app({"PRODUCTION": True, "SECRET_KEY": "k" * 48,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["TRUSTED_HOSTS"] == ["events.example.lg.jp"]


@pytest.mark.parametrize("proxies", [0, 1])
def test_production_refuses_other_hosts_before_anything_else(tmp_path, proxies):
    """A forged Host gets a short plain 400 before any hook runs; X-Forwarded-Host is never
    believed, neither to pass the check nor to change the host of a good request."""
    app = production_app(tmp_path, TRUSTED_PROXIES=proxies)
    hooks = []
    app.before_request(lambda: hooks.append(request.host))
    client = app.test_client()
    forged = [client.get("/privacy", headers={"Host": "evil.example"}),
              client.post("/events/1/register", headers={"Host": "evil.example"}),
              client.get("/privacy", headers={"Host": "evil.example", "X-Forwarded-Host": "events.example.lg.jp"}),
              client.get("/privacy", headers={"Host": "events.example.lg.jp.evil.example"})]
    for answer in forged:
        assert answer.status_code == 400
        assert answer.mimetype == "text/plain" and len(answer.data) < 100
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert hooks == []
    good = client.get("/login", headers={"Host": "events.example.lg.jp", "X-Forwarded-Host": "evil.example"})
    assert good.status_code == 200
    assert client.get("/login", headers={"Host": "events.example.lg.jp:443"},
                      base_url="https://events.example.lg.jp").status_code == 200
    assert hooks == ["events.example.lg.jp", "events.example.lg.jp"]


def test_development_answers_any_host(client):
    """`make run` and the tests keep answering whatever Host they are called by."""
    assert client.get("/privacy", headers={"Host": "localhost:5000"}).status_code == 200


def test_production_sends_cookies_over_https_only(tmp_path):
    app = production_app(tmp_path)
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
