"""Defaults. DATABASE_URL and SECRET_KEY come from the environment as they are; every
other setting through Flask's FLASK_-prefixed variables (FLASK_RATELIMIT_STORAGE_URI=…)."""
import os


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: SQLite in instance/ unless DATABASE_URL says otherwise.
    A bare postgres:// URL is taken to mean psycopg 3."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "eventsapp.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


# PostgreSQL waits are bounded, so that a cut or lost database costs one request a 503 within
# seconds instead of holding a worker's thread (README, "The application"): at most 5 s for a
# free connection of the pool and for a new connection; idle connections are probed with TCP
# keepalives (a dead server noticed in ~25 s, not the system's 2 hours).
POSTGRESQL_POOL_TIMEOUT = 5
POSTGRESQL_CONNECT_ARGS = {
    "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
}


def engine_options(url: str) -> dict:
    """SQLAlchemy engine options for that URL. A connection idle in the pool for a while is
    checked before use (dbping.py, DATABASE_PING_AFTER_IDLE_SECONDS), not every one."""
    options = {}
    if url.startswith("postgresql"):
        options |= {"pool_timeout": POSTGRESQL_POOL_TIMEOUT, "connect_args": dict(POSTGRESQL_CONNECT_ARGS)}
    return options


class Defaults:
    SECRET_KEY = "dev-only-not-secret"  # production refuses to start with it (security.py)
    # FLASK_PRODUCTION=true: real SECRET_KEY and FLASK_PUBLIC_BASE_URL required, requests for
    # other hosts refused (400), cookies over HTTPS only (security.py).
    PRODUCTION = False
    # A pooled connection idle this long is checked before use (dbping.py); a busy one is not.
    DATABASE_PING_AFTER_IDLE_SECONDS = 1.0
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads (attendance lists) above 5 MB get a 413
    # CSRF is checked app-wide in a before_request hook that lets Bearer-token API calls through.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    RATELIMIT_ENABLED = True
    # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted (1 behind
    # one nginx; X-Forwarded-Host never is); rate limits count per client address only with it.
    TRUSTED_PROXIES = 0
    RATELIMIT_STORAGE_URI = "memory://"
    # One trip to the store per limited request: the moving window's count-and-check is one
    # script; the X-RateLimit-* headers would ask the store twice more on every answer, so
    # only a refusal says when to come back (Retry-After, errors.py retry_after).
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # Failed logins per user name, from any address: after LOGIN_SLOWDOWN_AFTER each next try
    # waits LOGIN_SLOWDOWN_SECONDS, doubling up to a minute; LOGIN_LOCK_AFTER lock the name
    # for LOGIN_LOCK_MINUTES (an admin can unlock it: /admin/users/, flask users unlock).
    LOGIN_SLOWDOWN_AFTER = 3
    LOGIN_SLOWDOWN_SECONDS = 2
    LOGIN_LOCK_AFTER = 10
    LOGIN_LOCK_MINUTES = 30
    PUBLIC_FORM_RATE_LIMIT = "20 per minute"
    # Scans per address: a busy door with several phones behind one router stays far below.
    CHECKIN_RATE_LIMIT = "600 per minute"
    # The door's hours (checkin/window.py): reception from this many hours before an event's
    # start until this many hours after its end; organizers and admins from the same opening on.
    # The public list and event pages (pagecache.py): how long a browser or a proxy may keep an
    # anonymous visitor's page without asking, then show it while asking again in the background;
    # never past the moment the page changes by the clock. Seconds.
    PUBLIC_PAGE_MAX_AGE = 10
    PUBLIC_PAGE_STALE_WHILE_REVALIDATE = 30
    # Event-page views are counted in memory and written at most this often (seconds; 0: at once),
    # one upsert per event and day, and at exit (pageviews/tally.py).
    PAGE_VIEWS_FLUSH_SECONDS = 5
    CHECKIN_OPENS_BEFORE = 24
    CHECKIN_CLOSES_AFTER = 24
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Outgoing mail (flask --app eventsapp mail send): FLASK_MAIL_SERVER, FLASK_MAIL_PORT=587,
    # FLASK_MAIL_USE_TLS=true (STARTTLS), FLASK_MAIL_USERNAME, FLASK_MAIL_PASSWORD.
    # Every absolute link (mails, .ics files, QR codes) starts with this, never with the
    # request's Host; production refuses to start without it (security.py).
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # The municipality named in the yearly report's title (「令和7年度 流山市在宅医療介護連携推進事業実績報告」).
    MUNICIPALITY_NAME = ""
    MAIL_SEND_AFTER_REQUEST = False  # `make run` turns it on: mails go out without cron
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "no-reply@localhost"
    # The privacy notice (/privacy): whom people ask, and after how many years without
    # activity their names, contacts and free text are erased (flask … privacy purge).
    PRIVACY_CONTACT = "市役所 在宅医療・介護連携推進担当（電話 000-000-0000）"
    PRIVACY_RETENTION_YEARS = 5
    # The 事務局 named in every mail, the public footer and the ticket pages (contact.py):
    # FLASK_ORGANIZER_CONTACT='{"name": "…", "phone": "…", "email": "…"}'.
    ORGANIZER_CONTACT = {
        "name": "在宅医療・介護連携推進事業 事務局",
        "phone": "000-000-0000",
        "email": "zaitaku-renkei@example.jp",
    }
    # Areas (圏域) of the city, offered when tagging an event.
    AREAS = ("東部", "西部", "南部", "北部", "中部", "市全域")
    API_TITLE = "eventsapp API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            }
        },
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        # What eventsapp/inputguard.py refuses on every route, before any schema is read.
        "info": {"description": "NUL 文字・対になっていないサロゲート（\\ud800 など）を含む入力と、"
                                "20段より深い JSON は 400（invalid_characters / json_too_deep）で拒否します。"},
    }
