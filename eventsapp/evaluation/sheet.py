"""The 評価シート of a fiscal year: every indicator, goal by goal, with its values of the last
five fiscal years side by side, the target and the year's 評価 comment.

evaluation_sheet() makes the one document every form is made from: the page, its print, the
CSV, the XLSX and GET /api/v1/reports/evaluation/{year}. Each value says where it came from:
`kind` "entered" (an organizer's figure: its note holds the source, the day it was taken and
who entered it) or "computed" (a measure of measures.py, recomputed on every view). An entered
value of a year takes precedence over the computed one. A year with neither has value None
and a note: 未入力, the measure's reason (no events of the series that year), or that the plan
does not evaluate the indicator that year (評価時期 every N years).
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Goal, Scene
from ..dates import fiscal_year_label, format_date, is_fiscal_year
from ..reports.dashboard import known_years
from . import plugins  # noqa: F401  (registers the other capabilities' measure kinds)
from .measures import MEASURES, compute, reports_shared
from .models import EvaluationComment, EvaluationIndicator, EvaluationValue

YEARS_SHOWN = 5
COMPUTED, ENTERED = "computed", "entered"
KIND_LABEL = {COMPUTED: _l("集計"), ENTERED: _l("入力")}


def sheet_years(year: int) -> list[int]:
    """The five fiscal years a sheet shows, oldest first, ending with `year` (none before 2000)."""
    return [y for y in range(year - YEARS_SHOWN + 1, year + 1) if is_fiscal_year(y)]


def timing_label(indicator: EvaluationIndicator) -> str:
    """評価時期 as the plan writes it: 毎年度末, or 3年に1回（令和2年度から）."""
    if indicator.interval_years <= 1 or indicator.base_year is None:
        return str(_l("毎年度末"))
    return str(_l("%(n)s年に1回（%(year)sから）", n=indicator.interval_years,
                  year=fiscal_year_label(indicator.base_year)))


def plain_number(value) -> float | int | None:
    """A Decimal or float as JSON writes it: 45 for 45.00, 79.2 for 79.20."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def entered_note(row: EvaluationValue) -> str:
    """The provenance of an entered value, in one line: source, day taken, who entered it (no
    one for the demo's and other loaded figures)."""
    if row.entered_by is None:
        return str(_l("%(source)s（把握日 %(day)s）", source=row.source_note, day=format_date(row.taken_on)))
    who = row.entered_by.display_name or row.entered_by.username
    return str(_l("%(source)s（把握日 %(day)s、入力 %(who)s）", source=row.source_note,
                  day=format_date(row.taken_on), who=who))


def _value(indicator: EvaluationIndicator, year: int, entered: EvaluationValue | None, comment: str, session) -> dict:
    base = {"fiscal_year": year, "comment": comment, "due": indicator.is_due(year), "entered": entered}
    if entered is not None:
        return base | {"value": plain_number(entered.value), "n": entered.n, "d": entered.d, "kind": ENTERED,
                       "note": entered_note(entered)}
    found = compute(session, indicator.measure, year, indicator.measure_params) if indicator.measure else None
    kind = COMPUTED if indicator.measure in MEASURES else ENTERED
    value = plain_number((found or {}).get("value"))
    if value is not None:
        return base | {"value": value, "n": found.get("n"), "d": found.get("d"), "kind": kind,
                       "note": found.get("note", "")}
    if not base["due"]:
        note = str(_l("この年度は評価時期ではありません"))
    elif kind == COMPUTED:
        note = (found or {}).get("note") or str(_l("データなし"))
    else:
        note = str(_l("未入力"))
    return base | {"value": None, "n": None, "d": None, "kind": kind, "note": note}


def ordered_indicators(session: Session) -> list[EvaluationIndicator]:
    """Every indicator, goal by goal in the city's order, then by scene and position."""
    return list(session.scalars(
        select(EvaluationIndicator)
        .join(Goal, Goal.id == EvaluationIndicator.goal_id)
        .join(Scene, Scene.id == EvaluationIndicator.scene_id)
        .options(joinedload(EvaluationIndicator.goal), joinedload(EvaluationIndicator.scene))
        .order_by(Goal.position, Goal.id, Scene.position, Scene.id, EvaluationIndicator.position,
                  EvaluationIndicator.id)
    ).unique())


def _rows(session: Session, indicators: list[EvaluationIndicator], years: list[int]) -> list[dict]:
    ids = [indicator.id for indicator in indicators]
    entered = {(row.indicator_id, row.fiscal_year): row for row in session.scalars(
        select(EvaluationValue).options(joinedload(EvaluationValue.entered_by))
        .where(EvaluationValue.fiscal_year.in_(years), EvaluationValue.indicator_id.in_(ids)))}
    comments = {(row.indicator_id, row.fiscal_year): row.text for row in session.scalars(
        select(EvaluationComment).where(EvaluationComment.fiscal_year.in_(years),
                                        EvaluationComment.indicator_id.in_(ids)))}
    rows = []
    with reports_shared():
        for indicator in indicators:
            measure = MEASURES.get(indicator.measure or "")
            rows.append({
                "id": indicator.id, "goal": indicator.goal.label, "goal_code": indicator.goal.code,
                "scene": indicator.scene.label, "expected": indicator.expected, "name": indicator.name,
                "source": indicator.source, "timing": timing_label(indicator), "unit": indicator.unit,
                "target": indicator.target or None, "measure": str(measure.label) if measure else None,
                "values": [_value(indicator, y, entered.get((indicator.id, y)), comments.get((indicator.id, y), ""),
                                  session) for y in years],
            })
    return rows


def evaluation_sheet(session: Session, year: int) -> dict:
    """{fiscal_year, label, years, indicators: [{id, goal, scene, expected, name, source, timing,
    unit, target, measure, values: [{fiscal_year, value, n, d, kind, note, comment, …}]}]}; the
    API writes the contract's keys of it (api.py), the page and the files the rest."""
    years = sheet_years(year)
    return {"fiscal_year": year, "label": fiscal_year_label(year), "years": years,
            "indicators": _rows(session, ordered_indicators(session), years)}


def indicator_sheet_row(session: Session, indicator: EvaluationIndicator, year: int) -> dict:
    """One indicator's row of the year's sheet (its screen of one year)."""
    return _rows(session, [indicator], sheet_years(year))[0]


def sheet_year_links(session: Session, year: int) -> list[int]:
    """The years the sheet links to: those with counted events or entered values, and this one."""
    entered = set(session.scalars(select(EvaluationValue.fiscal_year).distinct()))
    return sorted(set(known_years(session, year)) | entered)


def number_text(value, unit: str) -> str:
    """45人, 79.2%, 1,234回: thousands separated, the unit after."""
    if value is None:
        return "—"
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def value_parts(entry: dict, unit: str) -> tuple[str, str]:
    """The figure and its counts as the sheet prints them: ("79.2%", "（19/24）"), ("45人", "")."""
    counts = entry["value"] is not None and entry.get("n") is not None and entry.get("d") is not None
    return number_text(entry["value"], unit), f"（{entry['n']}/{entry['d']}）" if counts else ""


def value_text(entry: dict, unit: str) -> str:
    """A value as the sheet prints it: 79.2%（19/24）, 45人, or — when there is none."""
    return "".join(value_parts(entry, unit))
