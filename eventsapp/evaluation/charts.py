"""The small trend chart beside each computed indicator on the 評価シート: server-side SVG like
the dashboard's (reports/charts.py; no script, no style attributes), drawn by
templates/evaluation/_trend.html. Its numbers are the row's own cells, which the chart's
description repeats for screen readers.

One slot per year of the sheet; a dot per year with a value (filled: computed, hollow:
entered), joined by a line across consecutive years only, so a missing year shows as a gap.
Shares are drawn on 0–100 %, counts on 0 to a round top above the largest value.
"""
import math
from dataclasses import dataclass, field
from datetime import date

from ..dates import era_of
from ..reports.charts import nice_ceiling

WIDTH, HEIGHT = 150, 56
LEFT, RIGHT, TOP, BOTTOM = 6, 6, 6, 14  # room for the year ticks below


@dataclass
class TrendPoint:
    x: float
    y: float
    filled: bool
    title: str


@dataclass
class TrendChart:
    width: int
    height: int
    top_label: str
    baseline: float
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, 令和N's N) under each slot
    points: list[TrendPoint] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # polyline point lists


def trend_chart(values: list[dict], *, unit: str, texts: list[str], short_years: list[str]) -> TrendChart:
    """values: the sheet's entries of one indicator (oldest first); texts: each as printed
    (79.2%（19/24）); short_years: the tick under each slot (R3…R7)."""
    numbers = [v["value"] for v in values]
    top = 100 if unit == "%" else nice_ceiling(math.ceil(max((n for n in numbers if n is not None), default=0)))
    chart = TrendChart(width=WIDTH, height=HEIGHT, top_label=f"{top}{unit}", baseline=HEIGHT - BOTTOM)
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    run: list[str] = []
    for index, (entry, text, tick) in enumerate(zip(values, texts, short_years, strict=True)):
        x = LEFT + slot * (index + 0.5)
        chart.ticks.append((x, tick))
        if entry["value"] is None:
            if len(run) > 1:
                chart.segments.append(" ".join(run))
            run = []
            continue
        share = max(0.0, min(1.0, float(entry["value"]) / top))
        y = HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP)
        chart.points.append(TrendPoint(x=x, y=y, filled=entry["kind"] == "computed", title=f"{tick}: {text}"))
        run.append(f"{x:.1f},{y:.1f}")
    if len(run) > 1:
        chart.segments.append(" ".join(run))
    return chart


ERA_INITIALS = {"令和": "R", "平成": "H", "昭和": "S"}


def short_year(fiscal_year: int) -> str:
    """R7 for fiscal 2025: the tick under a slot, as city documents abbreviate 令和7年度."""
    name, year = era_of(date(fiscal_year, 5, 1))
    return f"{ERA_INITIALS.get(name, name)}{year}"
