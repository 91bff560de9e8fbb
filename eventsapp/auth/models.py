"""Staff accounts, their API tokens and the audit log."""
import enum
import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db


class Role(enum.StrEnum):
    """Staff roles, each including the ones below it."""

    RECEPTION = "reception"
    ORGANIZER = "organizer"
    ADMIN = "admin"

    @property
    def level(self) -> int:
        return list(Role).index(self)

    def includes(self, other: "Role") -> bool:
        return self.level >= other.level


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Raised by logout and by a password change: a session carries the value it was opened
    # with (get_id), so every older session cookie of the user stops working, on every worker.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def has_role(self, role: Role) -> bool:
        return self.role.includes(role)


def hash_token(token: str) -> str:
    """API tokens are stored as SHA-256: they are long random values, so a slow hash adds nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class LoginFailures(db.Model):
    """Failed logins counted per user name, known or not, so that a lock says nothing
    about whether the name exists. The row is locked while an attempt is judged."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditLog(db.Model):
    """Who did what: logins, exports of personal data, merges, erasures."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(50), index=True)
    target: Mapped[str] = mapped_column(sa.String(100), default="")
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str] = mapped_column(sa.String(45), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    user: Mapped[User | None] = relationship()
