"""The personal viewing page of an on-demand registration (/v/<token>) and its visits."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import now
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..registration.models import Registration


class Viewing(db.Model):
    """One per on-demand registration, made when its link is first needed (the mail when the
    viewing period opens, or the person's own ticket page). The token opens the page and
    nothing else; views counts every visit within the period by a person (not a bot)."""

    __tablename__ = "viewings"
    __table_args__ = (sa.CheckConstraint("views >= 0", name="views_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # When the link was queued in the outbox (`flask mail viewing`); NULL: not mailed yet.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    views: Mapped[int] = mapped_column(default=0)
    first_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship()
