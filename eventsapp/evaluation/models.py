"""The plan's evaluation framework as data (seed 000's tables: 期待値, 評価指標, 把握方法, 評価時期).

An indicator belongs to one 中期目標 and one scene. Its value for a fiscal year is either
computed from a measure the system already has (`measure` and `measure_params`, see
measures.py: never stored, recomputed on every view like the yearly report) or entered by an
organizer (EvaluationValue: the figure, n/d, the day it was taken and where it came from, with
who entered it and when). An entered value of a year takes precedence over the computed one:
it is an organizer's deliberate act with its source (sheet.py says so on the sheet).
"""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalog.models import Goal, Scene
from ..dates import now
from ..dbtypes import UTCDateTime
from ..extensions import db

# The years an indicator may be evaluated in; the events' own range (migration 0009).
YEAR_RANGE = "BETWEEN 1999 AND 2100"
MAX_INTERVAL = 10  # 評価時期: every year up to every tenth year


class EvaluationIndicator(db.Model):
    """評価指標: one line of the plan's evaluation table."""

    __tablename__ = "evaluation_indicators"
    __table_args__ = (
        sa.CheckConstraint(f"interval_years BETWEEN 1 AND {MAX_INTERVAL}", name="interval_years_range"),
        sa.CheckConstraint(f"base_year IS NULL OR base_year {YEAR_RANGE}", name="base_year_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id", ondelete="RESTRICT"), index=True)
    scene_id: Mapped[int] = mapped_column(sa.ForeignKey("scenes.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))  # 評価指標
    expected: Mapped[str] = mapped_column(sa.Text, default="")  # 期待値
    source: Mapped[str] = mapped_column(sa.Text, default="")  # 把握方法
    # 評価時期: every `interval_years` years; with more than one, the years base_year + k × interval.
    interval_years: Mapped[int] = mapped_column(default=1)
    base_year: Mapped[int | None]
    unit: Mapped[str] = mapped_column(sa.String(20), default="")  # %, 人, 回, 件…
    target: Mapped[str] = mapped_column(sa.String(100), default="")  # 目標 (optional): 「90%以上」「増加」
    # A measure kind of measures.MEASURES (None: entered values only) and its parameters.
    measure: Mapped[str | None] = mapped_column(sa.String(40))
    measure_params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    goal: Mapped[Goal] = relationship()
    scene: Mapped[Scene] = relationship()

    def is_due(self, fiscal_year: int) -> bool:
        """Whether the plan evaluates the indicator in that year (every year when interval 1)."""
        if self.interval_years <= 1 or self.base_year is None:
            return True
        return (fiscal_year - self.base_year) % self.interval_years == 0


class EvaluationValue(db.Model):
    """An entered value of an indicator for a fiscal year, with its provenance: the figure (and
    n/d where it is a share of counted people or offices), the day it was taken, a source note,
    and who entered it when."""

    __tablename__ = "evaluation_values"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "fiscal_year"),
        sa.CheckConstraint(f"fiscal_year {YEAR_RANGE}", name="fiscal_year_range"),
        sa.CheckConstraint("d IS NULL OR d > 0", name="d_positive"),
        sa.CheckConstraint("n IS NULL OR (n >= 0 AND d IS NOT NULL AND n <= d)", name="n_within_d"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_indicators.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    n: Mapped[int | None]
    d: Mapped[int | None]
    taken_on: Mapped[date]  # the day the figure was taken or published (把握日)
    source_note: Mapped[str] = mapped_column(sa.Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    indicator: Mapped[EvaluationIndicator] = relationship()
    entered_by: Mapped[User | None] = relationship()


class EvaluationComment(db.Model):
    """評価: the organizers' assessment of an indicator in a fiscal year."""

    __tablename__ = "evaluation_comments"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "fiscal_year"),
        sa.CheckConstraint(f"fiscal_year {YEAR_RANGE}", name="fiscal_year_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_indicators.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    updated_by: Mapped[User | None] = relationship()
