"""Persons (one human across all events and years) and organizations."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import now
from ..dbtypes import UTCDateTime
from ..extensions import db


def joined_name(family: str, given: str) -> str:
    """A name (or its furigana) as shown: family then given, one space between, none around.
    Person.display_name and display_kana say it; so does the door's answer, read without
    loading the Person (checkin/service.py)."""
    return f"{family} {given}".strip()


class Organization(db.Model):
    """A hospital, clinic, office or facility. The opening date lets the city count
    participants from newly opened offices; the contact address and the code are how
    surveys of organizations reach it (surveys/org_service.py): the personal link by mail, or,
    for an office without an address, the code printed on a paper letter."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200), unique=True)  # normalised, for matching
    type: Mapped[str] = mapped_column(sa.String(50), default="")  # 事業所種別
    opened_on: Mapped[date | None]
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")  # the office's address for surveys
    # 事業所コード: printed on paper letters, typed at /o to reach the office's survey link;
    # given when the office is first addressed (people/organizations.py ensure_code).
    code: Mapped[str | None] = mapped_column(sa.String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Person(db.Model):
    """A participant. The *_key columns hold normalised values that identity matching
    compares (people/identity.py); the plain columns keep what the person typed."""

    __tablename__ = "persons"
    __table_args__ = (
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(sa.String(100))
    given_name: Mapped[str] = mapped_column(sa.String(100), default="")
    family_kana: Mapped[str] = mapped_column(sa.String(100), default="")
    given_kana: Mapped[str] = mapped_column(sa.String(100), default="")
    kana_key: Mapped[str] = mapped_column(sa.String(200), default="", index=True)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    email_key: Mapped[str] = mapped_column(sa.String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    phone_key: Mapped[str] = mapped_column(sa.String(30), default="", index=True)
    profession: Mapped[str] = mapped_column(sa.String(50), default="")  # 職種
    profession_other: Mapped[str] = mapped_column(sa.String(100), default="")
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    age_band: Mapped[str] = mapped_column(sa.String(20), default="")
    residential_area: Mapped[str] = mapped_column(sa.String(50), default="")
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Set when names, contacts and free text were erased (records/privacy.py); the row stays,
    # so every count of past reports stays the same.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization | None] = relationship()

    @property
    def display_name(self) -> str:
        return joined_name(self.family_name, self.given_name)

    @property
    def display_kana(self) -> str:
        return joined_name(self.family_kana, self.given_kana)


class SharedAddress(db.Model):
    """An e-mail address or phone number used by several persons of different names: a care
    office's shared address or main line (docs/architecture.md, *Identity matching*). Such an
    address never identifies a person by itself, and organizers see it marked as shared."""

    __tablename__ = "shared_addresses"
    __table_args__ = (
        sa.UniqueConstraint("kind", "key", name="uq_shared_addresses_kind_key"),
        sa.CheckConstraint("kind IN ('email', 'phone')", name="kind_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # 'email' | 'phone'
    key: Mapped[str] = mapped_column(sa.String(254))  # the normalised address, as in Person.*_key
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
