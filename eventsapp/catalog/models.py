"""Series, events, their goal and scene tags, the plan's initiatives, outreach requests."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..dates import fiscal_year_of, now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db


class Audience(enum.StrEnum):
    PROFESSIONALS = "professionals"
    CITIZENS = "citizens"


class EventFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    ON_DEMAND = "on_demand"
    HYBRID = "hybrid"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class OutreachStatus(enum.StrEnum):
    NEW = "new"
    SCHEDULED = "scheduled"
    DECLINED = "declined"


def _table_of(entity: str) -> str:
    return entity if entity == "series" else f"{entity}s"


def _link_table(name: str, left: str, right: str) -> sa.Table:
    """A many-to-many table whose rows vanish with either side."""
    return sa.Table(
        name,
        db.metadata,
        *(
            sa.Column(f"{side}_id", sa.ForeignKey(f"{_table_of(side)}.id", ondelete="CASCADE"), primary_key=True)
            for side in (left, right)
        ),
    )


series_goals = _link_table("series_goals", "series", "goal")
series_scenes = _link_table("series_scenes", "series", "scene")
event_goals = _link_table("event_goals", "event", "goal")
event_scenes = _link_table("event_scenes", "event", "scene")
event_joint_series = _link_table("event_joint_series", "event", "series")
event_initiatives = _link_table("event_initiatives", "event", "initiative")
initiative_goals = _link_table("initiative_goals", "initiative", "goal")


# The stable codes the migrations seed (the API's contract; labels are data).
GOAL_CODES = ("awareness", "acp", "sharing", "collaboration")
SCENE_CODES = ("daily", "admission", "emergency", "end_of_life", "disaster", "common")


class Goal(db.Model):
    """A mid-term goal (中期目標). The code is stable; the label is data the city may edit."""

    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)


class Scene(db.Model):
    """A scene (場面) of home care: 日常の療養支援, 入退院支援, 急変時の対応, 看取り…"""

    __tablename__ = "scenes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)


MAX_RETENTION_YEARS = 100  # the longest retention period a series may set

# The survey indicators a series' lines of the yearly report carry when it names none
# (Series.report_indicators NULL): the city's items for each audience (seed 001).
DEFAULT_REPORT_INDICATORS = {
    Audience.PROFESSIONALS: ("satisfaction", "collaboration", "applicability"),
    Audience.CITIZENS: ("satisfaction", "acp_share"),
}
# Who the yearly report says took part: 「45名参加」 for 参加者, 「委員6名参加」 for a committee.
PARTICIPANT_LABELS = ("参加者", "委員")
# How the yearly report names a joint event: 「市民公開講座と合同開催」 or 「…と同時開催」.
JOINT_LABELS = ("合同開催", "同時開催")


class Series(db.Model):
    """A recurring kind of event; "new participant" is counted within a series."""

    __tablename__ = "series"  # singular and plural alike
    __table_args__ = (
        sa.CheckConstraint(f"retention_years IS NULL OR retention_years BETWEEN 1 AND {MAX_RETENTION_YEARS}",
                           name="retention_years_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Years personal data is kept after an event of this series (records/privacy.py);
    # NULL follows the global PRIVACY_RETENTION_YEARS.
    retention_years: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # How the yearly report writes this series' events (reports/yearly.py): the indicator
    # keys of their lines, space-separated (NULL: DEFAULT_REPORT_INDICATORS of the audience,
    # "" none, as for a committee), whether the new-participant share is written, and who
    # took part (参加者 or 委員; a committee's event title is written as its 議題).
    report_indicators: Mapped[str | None] = mapped_column(sa.String(200))
    report_new_share: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    participant_label: Mapped[str] = mapped_column(sa.String(20), default="参加者", server_default="参加者")
    goals: Mapped[list[Goal]] = relationship(secondary=series_goals, order_by=Goal.position)
    scenes: Mapped[list[Scene]] = relationship(secondary=series_scenes, order_by=Scene.position)

    @property
    def yearly_indicators(self) -> tuple[str, ...]:
        """The indicator keys the yearly report writes for this series' events."""
        if self.report_indicators is None:
            return DEFAULT_REPORT_INDICATORS.get(self.audience, ("satisfaction",))
        return tuple(self.report_indicators.split())

    @property
    def is_committee(self) -> bool:
        return self.participant_label == "委員"


class Event(db.Model):
    """One dated event of a primary series, possibly held jointly with other series."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_closes_at >= registration_opens_at",
            name="registration_window_ordered",
        ),
        # The years of dates.FIRST_YEAR–LAST_YEAR, as fiscal years (migration 0009).
        sa.CheckConstraint("fiscal_year BETWEEN 1999 AND 2100", name="fiscal_year_range"),
        sa.CheckConstraint(
            "viewing_opens_at IS NULL OR viewing_closes_at IS NULL OR viewing_closes_at >= viewing_opens_at",
            name="viewing_period_ordered",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="RESTRICT"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fiscal_year: Mapped[int] = mapped_column(index=True)
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    # The venue's postal address: the mails give it with a map link (links.map_url).
    venue_address: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # The online meeting's link (Zoom etc.), for its online registrants only: never on a
    # public page, in the API or in a calendar file (registration/online.py says who sees it).
    join_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # The recording (YouTube 限定公開, Vimeo, the city's own server) and when it may be watched:
    # shown only on each on-demand registrant's own viewing page (viewing/), never publicly.
    # No opening moment: no viewing yet; no closing moment: open without an end.
    on_demand_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    viewing_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    viewing_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    area: Mapped[str | None] = mapped_column(sa.String(50))
    format: Mapped[EventFormat] = mapped_column(enum_type(EventFormat, "event_format"))
    capacity: Mapped[int | None]
    waitlist: Mapped[bool] = mapped_column(default=True)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[EventStatus] = mapped_column(
        enum_type(EventStatus, "event_status"), default=EventStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The initiative whose 実績 cell writes this event's lines in the yearly report (the
    # others linked refer to it); NULL: the first linked in plan order.
    main_initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="SET NULL"))
    joint_label: Mapped[str] = mapped_column(sa.String(20), default="合同開催", server_default="合同開催")

    series: Mapped[Series] = relationship()
    joint_series: Mapped[list[Series]] = relationship(secondary=event_joint_series, order_by=Series.id)
    goals: Mapped[list[Goal]] = relationship(secondary=event_goals, order_by=Goal.position)
    scenes: Mapped[list[Scene]] = relationship(secondary=event_scenes, order_by=Scene.position)
    initiatives: Mapped[list["Initiative"]] = relationship(
        secondary=event_initiatives, back_populates="events"
    )

    @validates("starts_at")
    def _derive_fiscal_year(self, _key, value: datetime) -> datetime:
        self.fiscal_year = fiscal_year_of(value)
        return value

    @property
    def all_series(self) -> list[Series]:
        return [self.series, *[s for s in self.joint_series if s.id != self.series_id]]

    @property
    def audience(self) -> Audience | None:
        """Whom the event is for: the one audience of all its series, or None when its series
        (a joint event's included) span both, which the public pages call どなたでも."""
        audiences = {s.audience for s in self.all_series}
        return audiences.pop() if len(audiences) == 1 else None

    @property
    def offers_on_demand(self) -> bool:
        return self.format in (EventFormat.ON_DEMAND, EventFormat.HYBRID)

    @property
    def offers_in_person(self) -> bool:
        return self.format != EventFormat.ON_DEMAND


class Initiative(db.Model):
    """A line of the yearly plan (取組): under one scene, tagged with goals, linked to events."""

    __tablename__ = "initiatives"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(index=True)
    scene_id: Mapped[int] = mapped_column(sa.ForeignKey("scenes.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(default=0)
    target: Mapped[str] = mapped_column(sa.String(100), default="")  # 対象
    plan: Mapped[str] = mapped_column(sa.Text)  # 計画
    expected_value: Mapped[str] = mapped_column(sa.Text, default="")  # 期待値
    result_note: Mapped[str] = mapped_column(sa.Text, default="")  # 実績 prose beside the computed numbers
    # The city writes the event lines first and its notes after; some cells the other way.
    prose_first: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    scene: Mapped[Scene] = relationship()
    goals: Mapped[list[Goal]] = relationship(secondary=initiative_goals, order_by=Goal.position)
    events: Mapped[list[Event]] = relationship(
        secondary=event_initiatives, back_populates="initiatives", order_by=Event.starts_at
    )


class OutreachRequest(db.Model):
    """A citizens' group asking for an outreach talk (出前講座)."""

    __tablename__ = "outreach_requests"
    __table_args__ = (
        sa.CheckConstraint("expected_count IS NULL OR expected_count > 0", name="expected_count_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_name: Mapped[str] = mapped_column(sa.String(200))
    contact_name: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    wished_dates: Mapped[str] = mapped_column(sa.Text)
    expected_count: Mapped[int | None]
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[OutreachStatus] = mapped_column(
        enum_type(OutreachStatus, "outreach_status"), default=OutreachStatus.NEW
    )
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    event: Mapped[Event | None] = relationship()
