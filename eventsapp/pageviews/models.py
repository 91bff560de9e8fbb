"""The daily counter of an event's public page.

One row per event and Tokyo calendar day, holding only how many times the page was shown
that day: no address, no user agent, no cookie, no time of day. The city's plan asks for
ホームページアクセス数; these rows give the event pages' share of it, per fiscal year."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class EventPageView(db.Model):
    __tablename__ = "event_page_views"
    __table_args__ = (
        sa.CheckConstraint("views >= 0", name="views_not_negative"),
        # A fiscal year's total reads a range of days across every event.
        sa.Index("ix_event_page_views_day", "day"),
    )
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)  # the Tokyo calendar day of the views
    views: Mapped[int] = mapped_column(default=0)
