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


class Defaults:
    SECRET_KEY = "dev-only-not-secret"  # production refuses to start with it (security.py)
    PRODUCTION = False  # FLASK_PRODUCTION=true: real SECRET_KEY required, cookies over HTTPS only
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads (attendance lists) above 5 MB get a 413
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # CSRF is checked app-wide in a before_request hook that lets Bearer-token API calls through.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    RATELIMIT_ENABLED = True
    # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto/-Host are trusted
    # (1 behind one nginx); rate limits count per client address only with it (security.py).
    TRUSTED_PROXIES = 0
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    PUBLIC_FORM_RATE_LIMIT = "20 per minute"
    # Scans per address: a busy door with several phones behind one router stays far below.
    CHECKIN_RATE_LIMIT = "600 per minute"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Outgoing mail (flask --app eventsapp mail send): FLASK_MAIL_SERVER, FLASK_MAIL_PORT=587,
    # FLASK_MAIL_USE_TLS=true (STARTTLS), FLASK_MAIL_USERNAME, FLASK_MAIL_PASSWORD.
    # Links in mails written outside a request (cron jobs) start with this.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
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
