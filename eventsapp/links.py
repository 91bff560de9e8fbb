"""Absolute links for mails, calendar files and QR codes, always from PUBLIC_BASE_URL.

Never from the request: its Host header is whatever the client sent, and a registration
form posted with `Host: evil.example` would otherwise mail a person's own manage link on
the attacker's site (see the README, Production). map_url is the one link to another site."""
from urllib.parse import quote, urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The public URL of an endpoint under PUBLIC_BASE_URL (e.g. https://events.city.example.jp),
    inside a request or not (cron jobs, the CLI)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https", subdomain=""
    )
    return adapter.build(endpoint, values, force_external=True)


def public_host() -> str:
    """The host name of PUBLIC_BASE_URL, without port: calendar UIDs end with it."""
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


# Google Maps' documented search link (Maps URLs, api=1): opens the map app on phones.
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query="


def map_url(address: str) -> str:
    """A link that shows a postal address on a map, for the venue in mails and on tickets."""
    return MAP_SEARCH_URL + quote(address.strip(), safe="")
