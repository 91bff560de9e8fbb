"""Accounts, API tokens and the audit log, as plain functions over a session."""
import secrets

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .models import ApiToken, AuditLog, Role, User, hash_token

MIN_PASSWORD_LENGTH = 12


class AuthError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def create_user(
    session: Session, *, username: str, role: Role, password: str | None = None, display_name: str = ""
) -> tuple[User, str]:
    """Create a staff account; returns it with its password (generated when none is given).

    Raises AuthError("username_taken") or AuthError("password_too_short")."""
    if password is None:
        password = secrets.token_urlsafe(15)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("password_too_short")
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


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active user with that name and password, or None; every attempt is logged."""
    user = session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    record(session, "login" if ok else "login_failed", user=user if ok else None, target=username[:100])
    session.commit()
    return user if ok else None


def issue_token(session: Session, *, user: User, label: str = "") -> str:
    """A new API token for the user. Only its hash is stored: the value is shown once."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label))
    record(session, "token_issued", user=user, target=user.username)
    session.commit()
    return token


def record(session: Session, action: str, *, user: User | None = None, target: str = "", **detail) -> None:
    """Add an audit-log row to the session; the caller's commit keeps it with the act."""
    ip = (request.remote_addr or "") if has_request_context() else ""
    session.add(AuditLog(user_id=user.id if user else None, action=action, target=target, detail=detail, ip=ip))
