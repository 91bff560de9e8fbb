"""Logins, slowed down and then locked per user name, whatever the address they come from.

The failures are counted in the database under a row lock, so guesses sent at once to
several workers are judged one after the other and cannot pass the limit. Unknown names
are counted the same way and get the same answers, so a lock tells nobody that a name
exists (README, "Staff accounts and passwords")."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..dates import now
from ..locking import lock_row
from .models import LoginFailures, User
from .service import AuthError, find_user, record

log = logging.getLogger(__name__)
# Checked when the name is unknown or inactive, so that such a refusal costs the same time.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")


@dataclass(frozen=True)
class LoginLimits:
    slowdown_after: int = 3  # failures before each further try must wait
    slowdown_seconds: int = 2  # the first wait; it doubles with each failure, up to a minute
    lock_after: int = 10  # failures that lock the name
    lock_minutes: int = 30

    @classmethod
    def from_config(cls, config) -> "LoginLimits":
        return cls(config["LOGIN_SLOWDOWN_AFTER"], config["LOGIN_SLOWDOWN_SECONDS"],
                   config["LOGIN_LOCK_AFTER"], config["LOGIN_LOCK_MINUTES"])

    def next_try_at(self, failures: int, last_failed_at: datetime | None) -> datetime | None:
        if failures < self.slowdown_after or last_failed_at is None:
            return None
        wait = min(self.slowdown_seconds * 2 ** (failures - self.slowdown_after), 60)
        return last_failed_at + timedelta(seconds=wait)


def _locked_counter(session: Session, username: str) -> LoginFailures:
    """The name's failure counter, created if missing, locked until commit."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(LoginFailures).values(username=username, failures=0)
                    .on_conflict_do_nothing(index_elements=["username"]))
    return lock_row(session, LoginFailures, LoginFailures.username == username)


def authenticate(session: Session, *, username: str, password: str, limits: LoginLimits = LoginLimits()) -> User:
    """The active user with that name and password; every attempt is logged.

    Raises AuthError("wrong_password"), AuthError("slowed_down", until=…) when the name must
    wait before its next try, or AuthError("locked", until=…)."""
    counter = _locked_counter(session, username)
    moment = now()
    if counter.locked_until and counter.locked_until > moment:
        _refuse(session, username, "locked", counter.locked_until)
    next_try = limits.next_try_at(counter.failures, counter.last_failed_at)
    if next_try and next_try > moment:
        _refuse(session, username, "slowed_down", next_try)
    user = session.scalar(select(User).where(User.username == username))
    usable = user is not None and user.active
    if check_password_hash(user.password_hash if usable else _DUMMY_HASH, password) and usable:
        counter.failures, counter.locked_until = 0, None
        record(session, "login", user=user, target=username[:100])
        session.commit()
        return user
    counter.failures += 1
    counter.last_failed_at = moment
    if counter.failures >= limits.lock_after:
        counter.locked_until = moment + timedelta(minutes=limits.lock_minutes)
        record(session, "account_locked", target=username[:100], failures=counter.failures,
               until=counter.locked_until.isoformat())
        log.warning("login name %r locked until %s after %d failed logins",
                    username, counter.locked_until.isoformat(), counter.failures)
        _refuse(session, username, "locked", counter.locked_until)
    _refuse(session, username, "wrong_password", None)


def _refuse(session: Session, username: str, code: str, until: datetime | None):
    record(session, "login_failed", target=username[:100], reason=code)
    session.commit()
    raise AuthError(code, until=until, at=now())


def lock_state(session: Session, usernames: list[str]) -> dict[str, LoginFailures]:
    """The failure counters of these names that are locked now."""
    rows = session.scalars(select(LoginFailures).where(
        LoginFailures.username.in_(usernames), LoginFailures.locked_until > now()))
    return {row.username: row for row in rows}


def unlock(session: Session, *, username: str, by: User | None = None) -> None:
    """Lift the lock and forget the failures of an existing account. Raises AuthError("unknown_user")."""
    user = find_user(session, username)
    counter = _locked_counter(session, user.username)
    was_locked_until = counter.locked_until
    counter.failures, counter.locked_until, counter.last_failed_at = 0, None, None
    record(session, "account_unlocked", user=by, target=user.username,
           was_locked_until=was_locked_until.isoformat() if was_locked_until else None)
    session.commit()
    log.warning("login name %r unlocked by %s", user.username, by.username if by else "CLI")
