"""Row locks that hold on both engines, for the rules that must not race (capacity, check-in).

PostgreSQL locks the row with SELECT … FOR UPDATE. SQLite has no row locks: a no-op UPDATE
of the row as the transaction's first write takes the database's write lock, and other
writers wait on busy_timeout. Either way the lock lasts until commit or rollback. Numbers
rather than rows (lock_numbers) are PostgreSQL's advisory locks, held as long."""
from collections.abc import Iterable

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, scoped_session

# Transaction-level advisory locks, taken in the order given (lock_numbers sorts them).
ADVISORY_LOCKS = text("SELECT pg_advisory_xact_lock(n) FROM unnest(CAST(:numbers AS bigint[])) AS n")


def lock_row(session: Session, model, condition):
    """The row of `model` matching `condition`, fresh from the database and locked for the
    rest of the transaction; None when there is none."""
    write_lock(session, model, condition)
    return session.scalar(
        select(model).where(condition).with_for_update().execution_options(populate_existing=True)
    )


def write_lock(session: Session, model, condition) -> None:
    """SQLite's half of a row lock: the no-op UPDATE that takes the database's write lock. It
    goes before the SELECT … FOR UPDATE that reads the row (PostgreSQL's half, which SQLite
    leaves out); lock_row does both, checkin/service.py read_door reads the door's whole answer
    in its SELECT."""
    if is_sqlite(session):
        session.execute(update(model).where(condition).values(id=model.id))


def lock_numbers(session: Session, numbers: Iterable[int]) -> None:
    """PostgreSQL: lock these 64-bit numbers for the rest of the transaction (advisory locks), in
    ascending order, so that two transactions asking for overlapping sets never wait on each
    other crosswise; one statement whatever their count. SQLite has one write lock for
    everything: its callers take it (write_lock) instead."""
    wanted = sorted(set(numbers))
    if wanted:
        session.execute(ADVISORY_LOCKS, {"numbers": wanted})


def start_locking(session: Session) -> None:
    """Ready the session for a lock that must be its transaction's first write. SQLite: commit
    what the session did so far, since a transaction that has read cannot take the write lock
    once another writer has committed (WAL's SQLITE_BUSY_SNAPSHOT, which busy_timeout does not
    wait out). PostgreSQL needs nothing: at READ COMMITTED (its default, and ours) each
    statement reads what is committed when it starts, and SELECT … FOR UPDATE returns the row
    as committed when the lock is granted, so earlier reads may share the lock's transaction;
    a commit there would cost a COMMIT, a BEGIN and the pool's ping."""
    if is_sqlite(session):
        session.commit()


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring what the session holds. What a locked transaction read and
    wrote is what the database holds at its commit, so the answer built from it right after
    needs no reload (for a check-in, three queries fewer). Later requests use a new session."""
    current = session() if isinstance(session, scoped_session) else session
    keep = current.expire_on_commit
    current.expire_on_commit = False
    try:
        current.commit()
    finally:
        current.expire_on_commit = keep
