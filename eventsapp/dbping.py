"""A pooled connection is checked before use only when it has lain idle a while.

SQLAlchemy's pool_pre_ping sends one statement on every checkout: for a check-in, one round
trip in six. A connection handed back a moment ago is as alive as the request that used it,
so here only one idle for DATABASE_PING_AFTER_IDLE_SECONDS or longer is pinged, and replaced
when the server is gone: after a restart at night, the morning's first requests get new
connections, never a dead one. A connection cut while in use, or within the moment before
its next use, fails that one request as a lost database (errors.py: a 503 with Retry-After,
nothing committed), and SQLAlchemy then replaces every older connection of the pool: so no
second request meets a dead connection either. A new connection is never pinged, as with
pool_pre_ping. README, *Deployment*.
"""
import time

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SINCE = "eventsapp.idle_since"  # in the connection record's info: cleared with a new connection


def check_setting(config) -> None:
    """Refuse to start with a wait that is not a number of seconds, rather than fail on every request."""
    value = config["DATABASE_PING_AFTER_IDLE_SECONDS"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
        raise ValueError(f"FLASK_DATABASE_PING_AFTER_IDLE_SECONDS must be a number of seconds from 0 to 3600,"
                         f" not {value!r}")


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Listen on the engine's pool (kept by engine.dispose(), which recreates the pool with its events)."""
    dialect = engine.dialect

    def returned(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    def taken(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            # The pool replaces this connection and every one older, then checks out a new one.
            raise exc.InvalidatePoolError("the database connection was lost while idle") from error

    event.listen(engine.pool, "checkin", returned)
    event.listen(engine.pool, "checkout", taken)


def register(app: Flask, engine: Engine) -> None:
    check_setting(app.config)
    ping_when_idle(engine, float(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))
