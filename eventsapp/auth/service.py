"""Accounts, passwords, sessions, API tokens and the audit log, as plain functions over a session."""
import logging
import math
from datetime import datetime
from secrets import token_urlsafe

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..dates import format_date, format_time, now
from ..domain import DomainError
from .models import ApiToken, AuditLog, Role, User, hash_token
from .passwords import generate_password, password_problem

log = logging.getLogger(__name__)


class AuthError(DomainError):
    """A refusal with a stable code; `until` is when a lock or slowdown ends, if it is one."""

    MESSAGES = {
        "password_too_short": (_l("パスワードは12文字以上にしてください。"), 422),
        "password_contains_username": (_l("パスワードにユーザー名を含めないでください。"), 422),
        "password_too_common": (_l("このパスワードはよく使われているか推測されやすいため使えません。"
                                   "別の語を組み合わせてください。"), 422),
        "username_taken": (_l("そのユーザー名はすでに使われています。"), 409),
        "unknown_user": (_l("そのユーザーはいません。"), 404),
        "token_not_found": (_l("その番号のトークンはありません。"), 404),
        "token_already_revoked": (_l("そのトークンはすでに無効です。"), 409),
        # A login refused says the same for a known and an unknown name: it must not tell which.
        "wrong_password": (_l("ユーザー名またはパスワードが違います。"), 401),
        "locked": (_l("ログインの失敗が続いたため、このアカウントはロックされています。%(until)s までログインできません。"),
                   429),
        "slowed_down": (_l("ログインの失敗が続いています。%(seconds)d 秒待ってからもう一度お試しください。"), 429),
    }

    def __init__(self, code: str, *, until: datetime | None = None, at: datetime | None = None):
        """`at`: the moment of the refusal, from which a slowdown's wait is counted (now)."""
        params = {}
        if code == "locked":
            params["until"] = format_date(until) + format_time(until)
        elif code == "slowed_down":
            params["seconds"] = max(1, math.ceil((until - (at or now())).total_seconds()))
        super().__init__(code, **params)
        self.until = until


def check_password_rule(password: str, *, username: str) -> None:
    """Raises AuthError with the code of the rule the password breaks (passwords.py)."""
    problem = password_problem(password, username=username)
    if problem:
        raise AuthError(problem)


def create_user(
    session: Session, *, username: str, role: Role, password: str | None = None, display_name: str = ""
) -> tuple[User, str]:
    """Create a staff account; returns it with its password (generated when none is given).

    Raises AuthError("username_taken") or a password-rule code (passwords.py)."""
    if password is None:
        password = generate_password()
    check_password_rule(password, username=username)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=generate_password_hash(password),  # scrypt, salted
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AuthError("username_taken") from None
    return user, password


def end_sessions(session: Session, *, user: User) -> None:
    """End every session of the user, on every device and worker: raise the epoch that each
    session cookie carries (User.get_id). The caller commits."""
    session.execute(update(User).where(User.id == user.id).values(session_epoch=User.session_epoch + 1))
    session.refresh(user, ["session_epoch"])


def log_out(session: Session, *, user: User) -> None:
    """Logging out ends all of the user's sessions, not only this browser's."""
    end_sessions(session, user=user)
    record(session, "logout", user=user, target=user.username)
    session.commit()


def set_password(session: Session, *, user: User, password: str, by: User | None = None) -> None:
    """Give the user a new password (reset by an admin or the CLI, or the user's own change)
    and end all of the user's sessions. Raises a password-rule AuthError."""
    check_password_rule(password, username=user.username)
    user.password_hash = generate_password_hash(password)
    end_sessions(session, user=user)
    record(session, "password_changed", user=by or user, target=user.username)
    session.commit()
    log.info("password of %s changed by %s", user.username, (by or user).username)


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    """The user's own change: the current password first. Raises AuthError("wrong_password")
    or a password-rule code."""
    if not check_password_hash(user.password_hash, current):
        raise AuthError("wrong_password")
    set_password(session, user=user, password=new)


def issue_token(session: Session, *, user: User, label: str = "") -> str:
    """A new API token for the user. Only its hash is stored: the value is shown once."""
    token = token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label))
    record(session, "token_issued", user=user, target=user.username)
    session.commit()
    return token


def user_tokens(session: Session, *, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first, revoked ones included."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(session: Session, *, token_id: int, by: User | None = None) -> ApiToken:
    """Revoke an API token at once (its next call gets 401). Raises AuthError("token_not_found")
    or AuthError("token_already_revoked")."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise AuthError("token_not_found")
    if token.revoked_at is not None:
        raise AuthError("token_already_revoked")
    token.revoked_at = now()
    record(session, "token_revoked", user=by, target=token.user.username, token_id=token.id, label=token.label)
    session.commit()
    log.warning("API token %s of %s revoked by %s", token.id, token.user.username, by.username if by else "CLI")
    return token


def find_user(session: Session, username: str) -> User:
    """The user with that name; raises AuthError("unknown_user")."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AuthError("unknown_user")
    return user


def record(session: Session, action: str, *, user: User | None = None, target: str = "", **detail) -> None:
    """Add an audit-log row to the session; the caller's commit keeps it with the act."""
    ip = (request.remote_addr or "") if has_request_context() else ""
    session.add(AuditLog(user_id=user.id if user else None, action=action, target=target, detail=detail, ip=ip))
