"""The data version of the public pages, and its reader (pagecache.py keeps the pages).

`data_version` holds one number that the database's own triggers (migration 0020) raise in the
same transaction as any change the public pages show. A kept page is answered again only while
the number is the one it was rendered at, so every request for one asks the database for it.

Requests of one process share those reads, and are never answered from an older one: a request
takes the result of a read that *started after it arrived*, so the number it gets was committed
no earlier than the request itself, whatever commit came just before it (README, *Scale*).
While a read is under way, the requests that arrive meanwhile wait for the next one, which
the first of them starts as soon as it ends: one read at a time per process, however many
threads ask. When the database takes a while to answer, the requests that ask meanwhile share
one read instead of queueing for one each.
"""
import logging
import threading

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

log = logging.getLogger(__name__)

READ_VERSION = "SELECT version FROM data_version WHERE id = 1"


class DataVersion(db.Model):
    """One row: the version of the data the public pages show, raised by triggers."""

    __tablename__ = "data_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger)


class VersionReader:
    """Reads the data version with one statement on a small pool of its own in autocommit mode:
    no ping on checkout and no transaction to end, so one round trip; concurrent callers share
    reads that started after they called (see above). A failed read returns None to the callers
    that share it, and their pages are rendered as usual (which answers a lost database the
    usual way)."""

    def __init__(self, engine: sa.Engine, connect_args: dict):
        self.engine = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_pre_ping=False,
                                       pool_reset_on_return=None, connect_args=connect_args)
        self.errors = (sa.exc.SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error)
        self.reads = 0  # statements sent (the query-count tests add them to the app's own)
        self.turn = threading.Condition()
        self.started = 0  # reads started, numbered from 1
        self.finished = 0  # the number of the last read that ended
        self.reading = False
        self.last: int | None = None  # what that read found

    def read(self) -> int | None:
        """The data version as committed at some moment after this call began."""
        with self.turn:
            wanted = self.started + 1  # the first read that starts after now
            while self.finished < wanted:
                if not self.reading:
                    self.reading, self.started = True, self.started + 1
                    number = self.started
                    break
                self.turn.wait()
            else:
                return self.last
        found = None
        try:
            found = self.read_once()
        finally:
            with self.turn:
                self.last, self.finished, self.reading = found, number, False
                self.turn.notify_all()
        return found

    def read_once(self) -> int | None:
        self.reads += 1
        try:
            connection = self.engine.raw_connection()
        except self.errors:
            return None
        try:
            cursor = connection.cursor()
            cursor.execute(READ_VERSION)
            row = cursor.fetchone()
            cursor.close()
        except self.errors as error:
            log.warning("data version not read: %s", type(error).__name__)
            connection.invalidate()
            return None
        finally:
            connection.close()
        return None if row is None else int(row[0])


def new_reader(app: Flask) -> VersionReader | None:
    """None for an in-memory SQLite database, which another pool could not see."""
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    return VersionReader(engine, dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})))
