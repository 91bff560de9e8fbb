"""Registrations: a person for an event, with the secret tokens of their ticket."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Event
from ..dates import now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db
from ..people.identity import PersonFields, display_kana
from ..people.models import Person


class RegistrationMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ON_DEMAND = "on_demand"


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Channel(enum.StrEnum):
    """Where the person heard of the event: their answer to 「この催しを何で知りましたか」, or the
    ?ch= of the link they followed. In the order the form asks (labels.py CHANNEL); the codes
    of the first contract stay, `bulletin` and `word_of_mouth` came with issue 17 (0010)."""

    LINE = "line"
    MAIL = "mail"  # 市のメール配信
    BULLETIN = "bulletin"  # 広報紙
    FLYER = "flyer"  # チラシ
    SIGNAGE = "signage"  # ポスター・デジタルサイネージ
    HOMEPAGE = "homepage"
    WORD_OF_MOUTH = "word_of_mouth"  # 職場・知人
    OTHER = "other"


class RegistrationSource(enum.StrEnum):
    """How the registration was made: walk-ins are not pre-registrations."""

    PUBLIC = "public"
    STAFF = "staff"
    WALK_IN = "walk_in"
    IMPORT = "import"


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One live registration per person and event; cancelled rows keep their history.
        sa.Index(
            "uq_registrations_live_person_event",
            "event_id",
            "person_id",
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        ),
        # A person's registrations with event, status and mode (and the id: SQLite's rowid,
        # INCLUDE on PostgreSQL) without reading the table: the reports' first attendances of
        # a person (reports/summary.py) and the privacy rules (records/privacy.py) go from a
        # person to their registrations (issue 7, migration 0005). It also serves the
        # person_id foreign key.
        sa.Index("ix_registrations_person_event", "person_id", "event_id", "status", "mode",
                 postgresql_include=["id"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="RESTRICT"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id", ondelete="RESTRICT"))
    mode: Mapped[RegistrationMode] = mapped_column(enum_type(RegistrationMode, "registration_mode"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus, "registration_status"), default=RegistrationStatus.REGISTERED
    )
    source: Mapped[RegistrationSource] = mapped_column(
        enum_type(RegistrationSource, "registration_source"), default=RegistrationSource.PUBLIC
    )
    channel: Mapped[Channel | None] = mapped_column(enum_type(Channel, "registration_channel"))
    # The QR carries the ticket token and nothing else; the manage token opens the
    # person's own page. Both are ≥128-bit random values (secrets.token_urlsafe).
    ticket_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    manage_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The name and furigana as typed for this registration (display forms), which identity
    # matching may have attached to a person stored under a slightly different spelling. They
    # show what a merge mixed up, and what a split should restore (records/split.py).
    # NULL on registrations made before they were kept (migration 0009).
    typed_family_name: Mapped[str | None] = mapped_column(sa.String(100))
    typed_given_name: Mapped[str | None] = mapped_column(sa.String(100))
    typed_family_kana: Mapped[str | None] = mapped_column(sa.String(100))
    typed_given_kana: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()

    @property
    def typed(self) -> PersonFields | None:
        """The name as typed for this registration, or None when it was not kept."""
        if self.typed_family_name is None:
            return None
        return PersonFields(family_name=self.typed_family_name, given_name=self.typed_given_name or "",
                            family_kana=self.typed_family_kana or "", given_kana=self.typed_given_kana or "")


def typed_columns(fields: PersonFields) -> dict[str, str]:
    """The typed_* values of a registration made with these fields (furigana in display form)."""
    return {"typed_family_name": fields.family_name.strip(), "typed_given_name": fields.given_name.strip(),
            "typed_family_kana": display_kana(fields.family_kana), "typed_given_kana": display_kana(fields.given_kana)}
