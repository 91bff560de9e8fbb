"""Geometry of the dashboard's charts, drawn as server-side SVG by templates/reports/_charts.html.

No JavaScript and no style attributes (the Content-Security-Policy allows neither inline
script nor inline style): the template writes SVG presentation attributes (x, y, width,
height, fill) from the numbers computed here. Every chart is followed on the page by a table
of the same numbers, so nothing is only in the picture.
"""
from dataclasses import dataclass, field

WIDTH = 720
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 48, 16, 44
BAR_ROW = 26  # height of one row of a horizontal bar chart
LABEL_WIDTH = 220  # room for series or profession names left of horizontal bars
VALUE_WIDTH = 130  # room for "95.2% (40/42)" right of horizontal bars


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass
class Point:
    x: float
    y: float
    value: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    left_ticks: list[Tick] = field(default_factory=list)
    right_ticks: list[Tick] = field(default_factory=list)
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def nice_ceiling(value: int) -> int:
    """A round top for an axis: 74 → 80, 129 → 150, 0 → 10."""
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def participants_chart(rows: list[dict]) -> Chart:
    """Bars: participants of each event in date order (left axis, persons); points joined by
    a line: the share of new participants (right axis, 0–100 %). rows: {label, attended,
    new_pct} with new_pct None when there is nobody to count."""
    height = 260
    left, top, right, bottom = PLOT_LEFT, PLOT_TOP, WIDTH - PLOT_RIGHT, height - PLOT_BOTTOM
    chart = Chart(width=WIDTH, height=height, plot=(left, top, right, bottom))
    top_value = nice_ceiling(max((r["attended"] for r in rows), default=0))
    for step in range(5):
        fraction = step / 4
        y = bottom - fraction * (bottom - top)
        chart.left_ticks.append(Tick(y=y, label=str(round(top_value * fraction))))
        chart.right_ticks.append(Tick(y=y, label=f"{round(100 * fraction)}%"))
    slot = (right - left) / max(len(rows), 1)
    for index, row in enumerate(rows):
        bar_height = (bottom - top) * row["attended"] / top_value if top_value else 0
        x = left + index * slot
        chart.bars.append(Bar(x=x + slot * 0.15, y=bottom - bar_height, width=slot * 0.7, height=bar_height,
                              label=row["label"], value=str(row["attended"])))
        if row["new_pct"] is not None:
            chart.points.append(Point(x=x + slot / 2, y=bottom - (bottom - top) * row["new_pct"] / 100,
                                      value=f"{row['new_pct']:.1f}%"))
    return chart


def horizontal_chart(rows: list[dict], *, scale: float | None = None) -> Chart:
    """One bar per row: {label, amount, value}; bar length amount/scale (scale defaults to the
    largest amount; 100 for percentages). Rows with amount None get no bar, only their value."""
    height = PLOT_TOP + BAR_ROW * max(len(rows), 1) + 8
    left, right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    chart = Chart(width=WIDTH, height=height, plot=(left, PLOT_TOP, right, height - 8))
    scale = scale or max((r["amount"] or 0 for r in rows), default=0) or 1
    for index, row in enumerate(rows):
        y = PLOT_TOP + index * BAR_ROW
        width = (right - left) * (row["amount"] or 0) / scale
        chart.bars.append(Bar(x=left, y=y + 4, width=width, height=BAR_ROW - 8, label=row["label"], value=row["value"]))
    return chart
