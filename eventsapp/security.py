"""Response headers that every page carries, and the settings production insists on.

The Content-Security-Policy allows no inline script: every script is a file under
/static/, so an injected <script> in a name or a comment cannot run even if escaping
were ever missed. 'wasm-unsafe-eval' lets the scanner compile its QR decoder (WebAssembly);
it does not allow eval() of JavaScript.
"""
from urllib.parse import urlsplit

from flask import Flask, Response
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from .config import Defaults

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # ticket and survey links carry secrets in their path
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MIN_SECRET_KEY_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """Production was asked for with a setting that would put personal data at risk."""


def add_security_headers(response: Response) -> Response:
    """Every header of HEADERS that the view did not set itself. One pass over the answer's
    headers: setdefault() per header would walk them twice for each of the six."""
    present = {name.lower() for name in response.headers.keys()}
    response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    return response


def apply_production_settings(app: Flask) -> None:
    """With PRODUCTION=true (FLASK_PRODUCTION=true): refuse to start without a real
    SECRET_KEY or without the site's own address, answer only requests for that address,
    send cookies over HTTPS only, and keep SQL parameters (tokens, names) out of error
    messages and logs. Runs before the extensions: the engine is made in db.init_app."""
    if not app.config.get("PRODUCTION"):
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == Defaults.SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise InsecureConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    host = public_base_host(app.config.get("PUBLIC_BASE_URL") or "")
    app.config.update(
        SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_HTTPONLY=True,
        PREFERRED_URL_SCHEME="https",
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "hide_parameters": True}
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [host]


def public_base_host(base_url: str) -> str:
    """The host name of an explicit PUBLIC_BASE_URL; every link in a mail starts with it, so
    production does not guess it (the development default, or the request's Host, would
    send people to the wrong site)."""
    parts = urlsplit(base_url)
    if base_url == Defaults.PUBLIC_BASE_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureConfiguration(
            "FLASK_PUBLIC_BASE_URL must be set to the site's public address in production "
            "(e.g. FLASK_PUBLIC_BASE_URL=https://events.example.lg.jp)"
        )
    return parts.hostname


class RefuseUnknownHosts:
    """WSGI middleware: a request whose Host is not one of `trusted_hosts` gets a short plain
    400 before Flask sees it, so no hook, session or database work runs for it, and no page
    (whose error template builds links) can turn it into a 500."""

    def __init__(self, wsgi_app, trusted_hosts: list[str]):
        self.wsgi_app, self.trusted_hosts = wsgi_app, list(trusted_hosts)

    def __call__(self, environ, start_response):
        try:
            get_host(environ, self.trusted_hosts)
        except SecurityError:
            answer = Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")
            for name, value in HEADERS.items():
                answer.headers[name] = value
            return answer(environ, start_response)
        return self.wsgi_app(environ, start_response)


def refuse_unknown_hosts(app: Flask) -> None:
    """With TRUSTED_HOSTS set (production sets it from PUBLIC_BASE_URL), other hosts get a 400."""
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is not None:
        app.wsgi_app = RefuseUnknownHosts(app.wsgi_app, trusted)


def trust_reverse_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from
    their X-Forwarded-For/-Proto headers. Without it every request seems to come from the
    proxy, and one visitor's rate limit would stop the whole city; with it set too high, a
    client could claim any address. Zero (the default) ignores those headers.
    X-Forwarded-Host is never believed (x_host=0): the Host is checked as the proxy sent it,
    and links come from PUBLIC_BASE_URL anyway."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)


def register(app: Flask) -> None:
    """The request-time half; apply_production_settings ran with the configuration."""
    refuse_unknown_hosts(app)  # inside ProxyFix: it sees the scheme the proxy reported
    trust_reverse_proxies(app)
    app.after_request(add_security_headers)
