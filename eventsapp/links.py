"""Absolute links for mails and files, inside a request or not (cron jobs, the CLI)."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    """The public URL of an endpoint: from the request when there is one, else from
    PUBLIC_BASE_URL (e.g. https://events.city.example.jp)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
