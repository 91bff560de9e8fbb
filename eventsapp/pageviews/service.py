"""Counting event-page views and reading them back per fiscal year.

A view is counted with one upsert (INSERT … ON CONFLICT DO UPDATE views = views + 1) on a
connection of its own, committed at once: the page's own session only reads, and on SQLite
a write after those reads could fail with SQLITE_BUSY_SNAPSHOT once another writer had
committed (mail/outbox.py says more). A counter that cannot be written (a database busy
beyond its wait) costs one uncounted view and a warning, never the page."""
import logging
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..dates import now, to_tokyo
from .models import EventPageView
from .visitors import is_person

log = logging.getLogger(__name__)


def count_event_page_view(session: Session, *, event_id: int, moment: datetime | None = None) -> bool:
    """Add one view to the event's counter of the day (Tokyo) of `moment` (default now) and
    commit it on a separate connection. Returns False when it could not be written."""
    day = to_tokyo(moment or now()).date()
    engine = session.get_bind()
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(EventPageView).values(event_id=event_id, day=day, views=1)
    statement = statement.on_conflict_do_update(
        index_elements=[EventPageView.event_id, EventPageView.day],
        set_={"views": EventPageView.views + 1},
    )
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError as error:
        log.warning("event page view of event %s not counted: %s", event_id, type(error).__name__)
        return False
    return True


def count_shown_page(_sender, *, session: Session, event_id: int, user_agent: str, purpose: str = "") -> bool:
    """Receiver of catalog's event_page_shown: count the view when a person made it."""
    if not is_person(user_agent, purpose=purpose):
        return False
    return count_event_page_view(session, event_id=event_id)


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
