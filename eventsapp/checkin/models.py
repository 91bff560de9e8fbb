"""Check-ins at the door, and the scans that were refused."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db
from ..registration.models import Registration


class CheckInMethod(enum.StrEnum):
    """How the person was found at the door: their QR read by the camera, their 受付番号 typed
    (`manual`), picked by name from the search or the 未受付 list (`search`), registered on the
    spot (`walk_in`), or taken from a past paper list (`import`)."""

    QR = "qr"
    MANUAL = "manual"
    SEARCH = "search"
    WALK_IN = "walk_in"
    IMPORT = "import"


class RefusalReason(enum.StrEnum):
    UNKNOWN_TICKET = "unknown_ticket"
    OTHER_EVENT = "other_event"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    INVALID = "invalid"


class CheckIn(db.Model):
    """A registration checked in; at most one per registration, and a client nonce
    is never used twice, so a re-sent offline scan cannot count again."""

    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[CheckInMethod] = mapped_column(enum_type(CheckInMethod, "checkin_method"))
    staff_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    nonce: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the device's clock
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)  # the server's clock
    device: Mapped[str] = mapped_column(sa.String(100), default="")

    registration: Mapped[Registration] = relationship()

    @property
    def checked_in_at(self) -> datetime:
        """When the person came in: the device's time of the scan (an offline scan is sent
        later), else the server's time of the check-in."""
        return self.scanned_at or self.created_at


class RefusedScan(db.Model):
    """A scan that did not check anyone in, kept with its reason for the organizers."""

    __tablename__ = "refused_scans"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    reason: Mapped[RefusalReason] = mapped_column(enum_type(RefusalReason, "refusal_reason"))
    ticket: Mapped[str] = mapped_column(sa.String(100), default="")  # truncated as received
    nonce: Mapped[str] = mapped_column(sa.String(64), default="")
    staff_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    device: Mapped[str] = mapped_column(sa.String(100), default="")
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
