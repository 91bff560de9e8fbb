"""The yearly report's own data: the front matter of each fiscal year (seed 001's top).

The numbers of the report are never stored (reports/summary.py computes them); what is
kept here is the city's prose that frames them — 位置づけ, 対象, 理念, 長期目標 and the
definition of each 中期目標 — edited by organizers and printed at the top of every form
of the document (page, print, CSV, XLSX, JSON, command)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..dates import now
from ..dbtypes import UTCDateTime
from ..extensions import db


class FrontMatter(db.Model):
    __tablename__ = "yearly_front_matter"
    fiscal_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    positioning: Mapped[str] = mapped_column(sa.Text, default="")  # 位置づけ
    target: Mapped[str] = mapped_column(sa.Text, default="")  # 対象
    philosophy: Mapped[str] = mapped_column(sa.Text, default="")  # 理念
    long_term_goal: Mapped[str] = mapped_column(sa.Text, default="")  # 長期目標
    # 中期目標 code → its definition that year (「市民が在宅療養や人生会議(ACP)について知ることができる。」)
    goal_definitions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
