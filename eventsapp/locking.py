"""Row locks that hold on both engines, for the rules that must not race (capacity, check-in).

PostgreSQL locks the row with SELECT … FOR UPDATE. SQLite has no row locks: a no-op UPDATE
of the row as the transaction's first write takes the database's write lock, and other
writers wait on busy_timeout. Either way the lock lasts until commit or rollback."""
from sqlalchemy import select, update
from sqlalchemy.orm import Session, scoped_session


def lock_row(session: Session, model, condition):
    """The row of `model` matching `condition`, fresh from the database and locked for the
    rest of the transaction; None when there is none."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(model).where(condition).values(id=model.id))
    return session.scalar(
        select(model).where(condition).with_for_update().execution_options(populate_existing=True)
    )


def before_lock(session: Session) -> None:
    """Ready the session for lock_row. SQLite: commit any read transaction, so that the lock
    (a write there) is the first statement of its transaction: one that has read cannot take
    the write lock once another writer has committed (SQLITE_BUSY_SNAPSHOT, which busy_timeout
    does not wait out). PostgreSQL needs nothing: at READ COMMITTED (its default, and ours)
    each statement reads what is committed when it starts, and SELECT … FOR UPDATE returns the
    row as committed when the lock is granted, so earlier reads may share the lock's
    transaction; a commit here would cost a COMMIT, a BEGIN and the pool's ping."""
    if session.get_bind().dialect.name == "sqlite":
        session.commit()


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
