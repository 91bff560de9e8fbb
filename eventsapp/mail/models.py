"""The mail outbox: one row per mail, written with the change that caused it."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..dates import now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db


class MailKind(enum.StrEnum):
    CONFIRMATION = "confirmation"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    REMINDER = "reminder"
    ALREADY_REGISTERED = "already_registered"
    SURVEY = "survey"  # the personal survey link, after the event
    JOIN_URL = "join_url"  # an online event's join link changed: the new one
    ORG_SURVEY = "org_survey"  # an organization's personal link to a survey of organizations
    VIEWING = "viewing"  # the on-demand viewing page, when the viewing period opens (viewing/)


class OutboxMail(db.Model):
    """A mail waiting to be sent (sent_at null) or sent. A sender owns a row while
    claimed_until lies in the future; a crashed sender's claim simply runs out."""

    __tablename__ = "outbox_mails"
    __table_args__ = (
        # The sender's scan: only unsent rows, which stay few.
        sa.Index(
            "ix_outbox_mails_pending",
            "id",
            sqlite_where=sa.text("sent_at IS NULL"),
            postgresql_where=sa.text("sent_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(320))
    # Empty while a mail written at sending (snapshot not NULL) waits; the sender stores what
    # it wrote (not the attachments), so a sent row still says what the person received.
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # [{"filename": "ticket.png", "mimetype": "image/png", "content_base64": "…"}]
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    kind: Mapped[MailKind] = mapped_column(enum_type(MailKind, "mail_kind"))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    # Not NULL: the mail is written when it is sent, by the capability that owns its kind
    # (mail/signals.py content_wanted), from what these facts say was true when it was queued
    # (registration/mails.py: the registration's status then, the join link it was given).
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    # "reminder:<registration id>": the same mail is never queued twice.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
