"""Response headers that every page carries, and the settings production insists on.

The Content-Security-Policy allows no inline script: every script is a file under
/static/, so an injected <script> in a name or a comment cannot run even if escaping
were ever missed. 'wasm-unsafe-eval' lets the scanner compile its QR decoder (WebAssembly);
it does not allow eval() of JavaScript.
"""
from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

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
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def apply_production_settings(app: Flask) -> None:
    """With PRODUCTION=true (FLASK_PRODUCTION=true): refuse to start without a real
    SECRET_KEY, and send cookies over HTTPS only."""
    if not app.config.get("PRODUCTION"):
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == Defaults.SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise InsecureConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    app.config.update(
        SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_HTTPONLY=True,
        PREFERRED_URL_SCHEME="https",
    )


def trust_reverse_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and host from
    their X-Forwarded-* headers. Without it every request seems to come from the proxy, and
    one visitor's rate limit would stop the whole city; with it set too high, a client could
    claim any address. Zero (the default) ignores those headers."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register(app: Flask) -> None:
    apply_production_settings(app)
    trust_reverse_proxies(app)
    app.after_request(add_security_headers)
