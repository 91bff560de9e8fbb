"""Public pages answered from memory while nothing they show has changed.

The event list and an event's page are the same for every anonymous visitor of a language, and
a LINE message sends thousands of citizens to them at once. Each worker process keeps the pages
it rendered, and a page is answered again, without Flask's request stack or a query of its
data, as long as

- the data version is the one it was rendered at. `data_version` holds one number that the
  database's own triggers (migration 0020) raise in the same transaction as any change the public
  pages show: events, their series and tags, the labels of goals and scenes, and registrations
  whose seats count (status, mode, event). Every request gets it from a read that started after
  the request arrived (dataversion.py: the requests of a process share such reads), so a change
  made through another worker process, a command or the API is seen by the next request;
- and the clock has not reached the page's `valid_until`: the first moment at which the clock
  alone changes what it shows (a registration window opens or closes, an event ends), computed by
  the view from the events' own times.

Why it is never stale: the view reads the version *before* any query of its data, so the data it
renders is at least as new as the version it is stored under; a change committed meanwhile only
makes the next request render again. A version number is never reused: a bump takes the larger
of the next number and the clock in microseconds, so even a restored backup's older number marks
exactly the data of that backup.

Only an anonymous visitor is answered from memory: no Authorization header, no remember cookie,
and a session that holds nothing but the language, a CSRF token and Flask-Login's `_fresh` flag
(a flash message, a login, anything else: the page is rendered as before). The stored page keeps
the headers the whole stack gave it (security headers included); only Cache-Control is computed
again for the moment of the answer. What every view of a page must still do (an event page
counts a person's view) is replayed on each answer (`on_view`).

The middleware sits inside the host check and ProxyFix (security.register wraps the app after the
capabilities registered): a request for an unknown host never reaches it. A kept page was answered
by the whole stack once for the same path and query string (the input guard passed them); a GET
with a body is rendered as usual. No hook but those runs for a kept page: a view with a rate limit,
or one whose answer depends on anything but the data, the clock, the query and the language, must
not use public_page.
"""
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app, request, session
from flask_login import current_user
from itsdangerous import BadSignature
from werkzeug.http import parse_cookie, parse_etags, remove_entity_headers

from .dataversion import VersionReader, new_reader
from .dates import now
from .extensions import db

log = logging.getLogger(__name__)

READS = ("GET", "HEAD")
# What an anonymous visitor's session may hold for a page to be answered from memory.
VISITOR_SESSION_KEYS = frozenset({"lang", "csrf_token", "_fresh"})
MAX_PAGES = 256  # per process: pages × languages × query strings; the oldest goes first
VERSION_KEY, MARK_KEY, VISITOR_KEY = "eventsapp.data_version", "eventsapp.page_mark", "eventsapp.visitor"
NO_VISITOR = object()  # not an anonymous visitor whose pages are kept


@dataclass(frozen=True)
class Mark:
    """What a view tells the middleware about the page it rendered (request.environ[MARK_KEY])."""

    version: int
    session_lang: str | None  # the session's language as Flask read it (the cache key's)
    valid_until: datetime | None
    body: bytes
    etag: str
    on_view: Callable[[dict], None] | None


@dataclass(frozen=True)
class CachedPage:
    version: int
    valid_until: datetime | None
    body: bytes
    etag: str
    headers: tuple  # as the whole stack sent them, Cache-Control at cache_control_at
    cache_control_at: int
    not_modified: tuple  # the same for a 304: without the body's headers (werkzeug's rule)
    not_modified_cache_control_at: int
    on_view: Callable[[dict], None] | None

    def fresh(self, version: int | None, moment: datetime) -> bool:
        return version == self.version and (self.valid_until is None or moment < self.valid_until)


def cache_control(config, valid_until: datetime | None, moment: datetime, *, shared: bool) -> str:
    """Cache-Control of an anonymous visitor's page: public for a short while (PUBLIC_PAGE_MAX_AGE,
    then PUBLIC_PAGE_STALE_WHILE_REVALIDATE), never beyond the moment the page changes by the clock;
    a page that sets a cookie is the visitor's own (private) and is asked for again each time."""
    if not shared:
        return "private, no-cache"
    max_age, stale = int(config["PUBLIC_PAGE_MAX_AGE"]), int(config["PUBLIC_PAGE_STALE_WHILE_REVALIDATE"])
    if valid_until is not None:
        left = max(int((valid_until - moment).total_seconds()), 0)
        max_age, stale = min(max_age, left), min(stale, max(left - max_age, 0))
    return f"public, max-age={max_age}, stale-while-revalidate={stale}"


def check_settings(config) -> None:
    """Refuse to start with a max-age that is not a number of seconds, rather than fail on every page."""
    for name in ("PUBLIC_PAGE_MAX_AGE", "PUBLIC_PAGE_STALE_WHILE_REVALIDATE"):
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 86400:
            raise ValueError(f"FLASK_{name} must be a whole number of seconds from 0 to 86400, not {value!r}")


def etag_matches(header: str | None, etag: str) -> bool:
    """If-None-Match's weak comparison; a browser sends back the one tag it holds, checked first."""
    if not header:
        return False
    return header in (f'"{etag}"', f'W/"{etag}"') or parse_etags(header).contains_weak(etag)


class PageCache:
    """WSGI middleware around Flask: answers kept pages, keeps the pages views mark (Mark)."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self.pages: dict[tuple, CachedPage] = {}
        self.paths: set[tuple[str, str]] = set()  # paths with a kept page: no other request pays anything
        self.lock = threading.Lock()
        self.reader: VersionReader | None = None

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] in READS and self.reader is not None \
                and (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", "")) in self.paths \
                and environ.get("CONTENT_LENGTH") in (None, "", "0") and "HTTP_TRANSFER_ENCODING" not in environ:
            key = self.key_of(environ)
            page = self.pages.get(key) if key is not None else None
            if page is not None:
                version = environ[VERSION_KEY] = self.reader.read()
                if page.fresh(version, now()):
                    return self.answer(page, environ, start_response)
        return self.wsgi_app(environ, self.keeping(environ, start_response))

    def key_of(self, environ) -> tuple | None:
        if VISITOR_KEY not in environ:  # decoded once per request
            environ[VISITOR_KEY] = self.visitor_key(environ)
        visitor = environ[VISITOR_KEY]
        if visitor is NO_VISITOR:
            return None
        return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), visitor)

    def visitor_key(self, environ):
        """The session's language (None when it names none) of an anonymous visitor, or NO_VISITOR."""
        if environ.get("HTTP_AUTHORIZATION"):
            return NO_VISITOR
        header = environ.get("HTTP_COOKIE")
        if not header:
            return None
        cookies = parse_cookie(header)
        if self.app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return NO_VISITOR
        value = cookies.get(self.app.config["SESSION_COOKIE_NAME"])
        if value is None:
            return None
        serializer = getattr(self.app.session_interface, "get_signing_serializer", lambda _app: None)(self.app)
        if serializer is None:
            return NO_VISITOR
        try:
            data = serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return NO_VISITOR  # Flask starts an empty session: rendered as usual
        # Flask-Login marks any other session not fresh (a new cookie): those are rendered once more.
        if not isinstance(data, dict) or not set(data) <= VISITOR_SESSION_KEYS \
                or (data and data.get("_fresh") is not False):
            return NO_VISITOR
        return data.get("lang")

    def keeping(self, environ, start_response):
        """start_response that keeps a page its view marked (a 200 to a GET, setting no cookie),
        and makes any answer that sets a cookie private, whatever a view or hook said."""

        def start(status, headers, exc_info=None):
            sets_cookie = any(name.lower() == "set-cookie" for name, _ in headers)
            if sets_cookie:
                headers[:] = [(name, "private, no-cache" if name.lower() == "cache-control" and "public" in value
                               else value) for name, value in headers]
            mark = environ.get(MARK_KEY)
            if mark is not None and not sets_cookie and status.startswith("200 ") and environ["REQUEST_METHOD"] == "GET":
                self.keep(environ, mark, headers)
            return start_response(status, headers, exc_info)

        return start

    def keep(self, environ, mark: Mark, headers: list) -> None:
        key = self.key_of(environ)
        if key is None or key[3] != mark.session_lang:
            return
        not_modified = list(headers)
        remove_entity_headers(not_modified)
        names, names_304 = [name.lower() for name, _ in headers], [name.lower() for name, _ in not_modified]
        if "cache-control" not in names:
            return
        page = CachedPage(mark.version, mark.valid_until, mark.body, mark.etag, tuple(headers),
                          names.index("cache-control"), tuple(not_modified), names_304.index("cache-control"),
                          mark.on_view)
        with self.lock:
            self.pages.pop(key, None)
            while len(self.pages) >= MAX_PAGES:
                self.pages.pop(next(iter(self.pages)))
            self.pages[key] = page
            self.paths = {k[:2] for k in self.pages}

    def answer(self, page: CachedPage, environ, start_response):
        if page.on_view is not None and environ["REQUEST_METHOD"] == "GET":
            try:
                page.on_view(environ)
            except Exception:  # counting a view never costs the page
                log.exception("a kept page's on_view failed")
        control = ("Cache-Control", cache_control(self.app.config, page.valid_until, now(), shared=True))
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH"), page.etag):
            headers = list(page.not_modified)
            headers[page.not_modified_cache_control_at] = control
            start_response("304 NOT MODIFIED", headers)
            return []
        headers = list(page.headers)
        headers[page.cache_control_at] = control
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]

    def read_version(self) -> int | None:
        """The data version for the view of this request (read once per request, before its
        queries). None, and the page is not kept, when the request's session has read already:
        on SQLite its snapshot may be older than the version (a staff member's user, loaded
        before the view; staff pages are never kept anyway)."""
        environ = request.environ
        if db.session().in_transaction():
            environ[VERSION_KEY] = None
        if VERSION_KEY not in environ:
            if self.reader is None:
                self.reader = new_reader(current_app)
            environ[VERSION_KEY] = self.reader.read() if self.reader is not None else None
        return environ[VERSION_KEY]


def page_cache(app: Flask) -> PageCache:
    return app.extensions["pagecache"]


def data_version() -> int | None:
    """Call first in a view whose page may be kept: the version its data is rendered at."""
    return page_cache(current_app).read_version()


def public_page(response: Response, *, version: int | None, valid_until: datetime | None,
                on_view: Callable[[dict], None] | None = None) -> Response:
    """Give a rendered public page its ETag (a hash of the body, so equal pages carry equal tags in
    every process), Vary: Cookie and Cache-Control, answer 304 to a matching If-None-Match, and
    mark it to be kept when the visitor is anonymous and the session stays as it came.
    Staff see their name and a CSRF token on the page: private, no-store, never kept."""
    response.vary.add("Cookie")
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    response.set_etag(etag)
    moment = now()
    # A session sent back as a cookie makes this answer the visitor's own (Flask's own test).
    shared = not (session.modified or current_app.session_interface.should_set_cookie(current_app, session))
    response.headers["Cache-Control"] = cache_control(current_app.config, valid_until, moment, shared=shared)
    if shared and version is not None and (valid_until is None or moment < valid_until):
        request.environ[MARK_KEY] = Mark(version, session.get("lang"), valid_until, body, etag, on_view)
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response.status_code = 304
    return response


def register(app: Flask) -> None:
    """Wrap the application; must run before security.register, whose host check and ProxyFix
    wrap it in turn."""
    check_settings(app.config)
    cache = PageCache(app, app.wsgi_app)
    app.extensions["pagecache"] = cache
    app.wsgi_app = cache
