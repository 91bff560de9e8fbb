"""One error module, app-wide: JSON for the API and for clients that ask for it,
an HTML page for people. Every refusal carries a stable code and a message translated
into the visitor's language when it is written (Japanese unless they chose English)."""
import time

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from .domain import DomainError
from .extensions import db, limiter

DEFAULTS = {
    400: ("bad_request", _l("リクエストが正しくありません。")),
    401: ("unauthorized", _l("ログインが必要です。")),
    403: ("forbidden", _l("この操作を行う権限がありません。")),
    404: ("not_found", _l("お探しのページまたはデータは見つかりません。")),
    405: ("method_not_allowed", _l("この方法では操作できません。")),
    409: ("conflict", _l("ほかの操作と重なったため、処理できませんでした。")),
    413: ("too_large", _l("送信されたデータが大きすぎます。")),
    415: ("unsupported_media_type", _l("JSON（application/json）で送ってください。")),
    422: ("validation_error", _l("入力内容に誤りがあります。")),
    429: ("rate_limited", _l("短い時間に操作が集中しました。しばらく待ってからもう一度お試しください。")),
    500: ("internal_error", _l("サーバーで問題が発生しました。時間をおいてもう一度お試しください。")),
    503: ("database_unavailable", _l("一時的にデータベースに接続できません。少し待ってからもう一度お試しください。")),
}
RETRY_AFTER_SECONDS = "2"
CSRF_MESSAGE = _l("フォームの有効期限が切れたか、正しく送信されませんでした。ページを読み込み直してもう一度お試しください。")
INVALID_JSON_MESSAGE = _l("JSON の形式が正しくありません。")


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, code: str, message, fields: dict | None = None, headers=None):
    """The refusal as the API's error body or the error page; a lazy message is translated here."""
    headers, message = list(headers or []), str(message)
    if wants_json():
        body = {"code": code, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify(error=body), status, headers
    return render_template("errors/error.html", status=status, message=message), status, headers


def validation_fields(error: HTTPException) -> dict | None:
    """webargs puts marshmallow's messages in error.data["messages"][location]."""
    messages = (getattr(error, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    merged: dict = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            merged.update(location_messages)
    return as_message_lists(merged) or None


def as_message_lists(problems):
    """marshmallow wraps a plain str message in a list but keeps a lazy one as it is: every
    message becomes a list of translated texts again, as the API has always answered."""
    if isinstance(problems, dict):
        return {key: as_message_lists(value) for key, value in problems.items()}
    if isinstance(problems, list):
        return [str(item) if not isinstance(item, dict | list) else as_message_lists(item) for item in problems]
    return [str(problems)]


def summarise(fields: dict) -> str:
    parts = []
    for name, problems in list(fields.items())[:5]:
        text = problems if isinstance(problems, str) else _first_text(problems)
        parts.append(f"{name}: {text}")
    return " / ".join(parts)


def _first_text(problems) -> str:
    if isinstance(problems, list) and problems:
        return _first_text(problems[0])
    if isinstance(problems, dict) and problems:
        return _first_text(next(iter(problems.values())))
    return str(problems)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    code, message = DEFAULTS.get(status, ("http_error", error.description or ""))
    fields = None
    if isinstance(error, CSRFError):
        code, message = "csrf_failed", CSRF_MESSAGE
    elif status == 422:
        fields = validation_fields(error)
        if fields:
            message = f"{message} {summarise(fields)}"
    elif status == 400 and getattr(error, "data", None):  # webargs could not parse the body
        code, message = "invalid_json", INVALID_JSON_MESSAGE
    # Keep what the exception says beyond its body: Allow on a 405.
    extra = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if status == 429:
        extra.append(("Retry-After", retry_after()))
    return error_response(status, code, message, fields, extra)


def retry_after() -> str:
    """Seconds until the refused rate limit lets a request through again: asked of the store
    on a refusal only (config.py RATELIMIT_HEADERS_ENABLED). Should the store not answer, the
    limit's whole window, which is never too short."""
    limit = limiter.current_limit
    if limit is None:
        return RETRY_AFTER_SECONDS
    try:
        return str(max(1, int(limit.reset_at - time.time())))
    except Exception:  # noqa: BLE001 (the store's client raises its own errors)
        return str(limit.limit.get_expiry())


def handle_domain_error(error: DomainError):
    """A business rule refused: what it did not commit is dropped, and the refusal is answered
    with its own status, as the API's error body or the error page."""
    db.session.rollback()
    body = error.body()
    return error_response(error.status, body["code"], body["message"], body.get("fields"))


def handle_internal_error(error: InternalServerError):
    db.session.rollback()
    return error_response(500, *DEFAULTS[500])


def handle_lost_database(error: DBAPIError):
    """The database went away mid-request (restarted, connection cut): nothing was committed,
    so the client may send the same request again — a 503 with Retry-After says so. The
    pool forgets the broken connection and every older one (invalidated by SQLAlchemy), and
    one idle a while is checked before its next use (dbping.py)."""
    if not error.connection_invalidated and not isinstance(error, OperationalError):
        raise error
    try:
        db.session.rollback()
    except DBAPIError:
        pass
    return error_response(503, *DEFAULTS[503], headers=[("Retry-After", RETRY_AFTER_SECONDS)])


def handle_busy_pool(_error: PoolTimeout):
    """No connection of the pool came free within pool_timeout: nothing was done, so the
    client may retry, as when the database is away."""
    db.session.rollback()
    return error_response(503, *DEFAULTS[503], headers=[("Retry-After", RETRY_AFTER_SECONDS)])


def close_session_even_without_database(exception: BaseException | None) -> None:
    """End the request's session before Flask-SQLAlchemy removes it (teardowns run in
    reverse order). If the connection died after the answer was written, the rollback of
    closing would raise during teardown; the connection is then discarded instead."""
    try:
        db.session.close()
    except DBAPIError:
        db.session().invalidate()


def register(app: Flask) -> None:
    app.teardown_appcontext(close_session_even_without_database)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(DBAPIError, handle_lost_database)
    app.register_error_handler(PoolTimeout, handle_busy_pool)
