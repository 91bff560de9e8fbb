"""Counting event-page views and reading them back per fiscal year.

Views are written with upserts (INSERT … ON CONFLICT DO UPDATE views = views + n) on a
connection of their own, committed at once: the page's own session only reads, and on SQLite
a write after those reads could fail with SQLITE_BUSY_SNAPSHOT once another writer had
committed (mail/outbox.py says more). The event page's views come in batches (tally.py); a
counter that cannot be written (a database busy beyond its wait) costs its views and a
warning, never the page."""
import logging
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..dates import now, to_tokyo
from .models import EventPageView

log = logging.getLogger(__name__)


def count_event_page_view(session: Session, *, event_id: int, moment: datetime | None = None) -> bool:
    """Add one view to the event's counter of the day (Tokyo) of `moment` (default now) and
    commit it on a separate connection. Returns False when it could not be written."""
    day = to_tokyo(moment or now()).date()
    return write_views(session.get_bind(), {(event_id, day): 1}) == 1


def _upsert(engine: Engine):
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(EventPageView)
    return statement.on_conflict_do_update(
        index_elements=[EventPageView.event_id, EventPageView.day],
        set_={"views": EventPageView.views + statement.excluded.views},
    )


def write_views(engine: Engine, counts: Mapping[tuple[int, date], int]) -> int:
    """Add views to the counters, {(event id, day): views}, with one upsert per counter in one
    transaction on a connection of its own; in the order of the keys, so that two processes
    writing the same counters never deadlock. When that fails, each counter is tried alone, and
    one that cannot be written (its event deleted, a database busy beyond its wait) is logged and
    dropped. Returns the views written."""
    rows = [{"event_id": event_id, "day": day, "views": views} for (event_id, day), views in sorted(counts.items())]
    if not rows:
        return 0
    try:
        with engine.begin() as connection:
            connection.execute(_upsert(engine), rows)
        return sum(row["views"] for row in rows)
    except SQLAlchemyError:
        if len(rows) == 1:
            log.warning("%d views of event page %s not counted", rows[0]["views"], rows[0]["event_id"])
            return 0
    return sum(write_views(engine, {(row["event_id"], row["day"]): row["views"]}) for row in rows)


def _days_of(fiscal_year: int):
    return EventPageView.day.between(date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31))


def event_page_views(session: Session, *, fiscal_year: int) -> int:
    """Views of every public event page on the days of the fiscal year (April–March, by the
    day of the view, not of the event): the evaluation sheet's 「イベントページ閲覧数」."""
    total = session.scalar(select(func.sum(EventPageView.views)).where(_days_of(fiscal_year)))
    return int(total or 0)


def event_page_views_by_event(session: Session, *, fiscal_year: int) -> dict[int, int]:
    """The same views per event: {event id: views}, events without a view left out."""
    rows = session.execute(
        select(EventPageView.event_id, func.sum(EventPageView.views))
        .where(_days_of(fiscal_year))
        .group_by(EventPageView.event_id)
    )
    return {event_id: int(views) for event_id, views in rows}
