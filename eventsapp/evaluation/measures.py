"""The measures an indicator's value may be computed from: a registry, kind → function.

A measure function takes (session, fiscal_year, params) and returns a MeasureValue
{value, n, d, note}, or None when there is no data for that year (then the sheet shows a gap
and the note says why). It never re-implements the indicators' arithmetic: the event-based
measures read reports/summary.py (pooled_summary, fiscal_year_report), which pool counts and
take each rate once from the sums with arith.rate. A rate's `value` is its pct, with n and d.

Which events a series measure counts: the fiscal year's events that the yearly report counts
(published, neither drafts nor cancelled), whose primary or joint series is one of
`series_ids`; a joint event counts once even when it is in two of them. A year without any
such event has no data (not zero: before the system was used nothing was recorded).

The measures whose data other capabilities own (on-demand views, event-page views,
organization surveys) are registered from plugins.py, which says how they plug in.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypedDict

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..catalog.models import Series
from ..reports.summary import fiscal_year_report, pooled_summary


class MeasureValue(TypedDict, total=False):
    value: float | None
    n: int | None
    d: int | None
    note: str


MeasureFunction = Callable[[Session, int, dict], MeasureValue | None]

# Parameters a measure may take (the indicator form offers these fields):
#   series_ids  one or more series (pooled over their events); for new_share one or none
#   key         a survey indicator key (SURVEY_KEYS)
#   scope       "series" or "programme" (new_share)
#   survey_key  an organization survey's indicator key (organization_survey_indicator)
SURVEY_KEYS = ("satisfaction", "collaboration", "applicability", "acp_share")


@dataclass(frozen=True)
class Measure:
    kind: str
    label: object  # a lazy string: 「シリーズの参加者数」
    unit: str  # the unit the indicator form proposes
    params: tuple[str, ...]
    compute: MeasureFunction
    note: object = ""  # shown on the form: what the measure counts
    requires: tuple[str, ...] = field(default=())  # params that must be given


MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> Measure:
    """Add (or replace) a measure kind; plugins.py uses it for the other capabilities' data."""
    MEASURES[measure.kind] = measure
    return measure


# --- one report per year while a sheet is made ---------------------------------------------

_cache: ContextVar[dict | None] = ContextVar("evaluation_reports", default=None)


@contextmanager
def reports_shared() -> Iterator[None]:
    """While a sheet is made, each fiscal year's report and each pooled set of events is
    computed once, however many indicators read it. Outside, every call computes afresh (a
    cache living longer could show numbers older than the data)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def _cached(key: tuple, make):
    cache = _cache.get()
    if cache is None:
        return make()
    if key not in cache:
        cache[key] = make()
    return cache[key]


def year_report(session: Session, year: int) -> dict:
    return _cached(("year", year), lambda: fiscal_year_report(session, year))


def _pooled(session: Session, event_ids: tuple[int, ...]) -> dict:
    return _cached(("pooled", event_ids), lambda: pooled_summary(session, list(event_ids)))


# --- the event measures ----------------------------------------------------------------------

def series_ids_of(params: dict) -> list[int]:
    return [int(i) for i in params.get("series_ids") or []]


def _series_names(session: Session, ids: list[int]) -> str:
    names = [series.name for i in ids if (series := session.get(Series, i)) is not None]
    return "・".join(names)


def events_of_series(session: Session, year: int, series_ids: list[int]) -> tuple[int, ...]:
    """The year's counted events of any of the series (primary or joint), each once."""
    wanted = set(series_ids)
    return tuple(event["event_id"] for event in year_report(session, year)["events"]
                 if wanted & {event["series_id"], *event["joint_series_ids"]})


def _pooled_of(session: Session, year: int, params: dict) -> tuple[dict | None, str]:
    ids = series_ids_of(params)
    names = _series_names(session, ids)
    events = events_of_series(session, year, ids) if ids else ()
    if not events:
        return None, str(_l("%(series)sのイベントはありません", series=names or _l("シリーズ")))
    return _pooled(session, events), names


def series_participants(session: Session, year: int, params: dict) -> MeasureValue | None:
    """参加者数 (延べ) of the series' events: attended.total pooled, on-demand viewers included."""
    pooled, names = _pooled_of(session, year, params)
    if pooled is None:
        return {"value": None, "n": None, "d": None, "note": names}
    return {"value": pooled["attended"]["total"], "n": None, "d": None,
            "note": str(_l("%(series)s %(events)s回の延べ参加者", series=names, events=pooled["events"]))}


def series_events(session: Session, year: int, params: dict) -> MeasureValue | None:
    """開催回数: the series' counted events of the year (a joint event once)."""
    pooled, names = _pooled_of(session, year, params)
    if pooled is None:
        return {"value": None, "n": None, "d": None, "note": names}
    return {"value": pooled["events"], "n": None, "d": None, "note": str(_l("%(series)sの開催回数", series=names))}


def _rate_value(found: dict, note: str) -> MeasureValue:
    if not found or not found.get("d"):
        return {"value": None, "n": (found or {}).get("n"), "d": (found or {}).get("d"),
                "note": note + str(_l("（回答なし）"))}
    return {"value": found["pct"], "n": found["n"], "d": found["d"], "note": note}


def survey_indicator(session: Session, year: int, params: dict) -> MeasureValue | None:
    """A survey indicator (満足度, 連携, 今後に活かせる, ACP) pooled over the series' events:
    positives / answers summed over the events (surveys/indicators.py), one rate."""
    pooled, names = _pooled_of(session, year, params)
    if pooled is None:
        return {"value": None, "n": None, "d": None, "note": names}
    return _rate_value(pooled["indicators"].get(params.get("key", "")),
                       str(_l("%(series)s %(events)s回のアンケート", series=names, events=pooled["events"])))


def new_share(session: Session, year: int, params: dict) -> MeasureValue | None:
    """新規参加者の割合. With one series: its row of the year's report, new to that series
    (scope "series") or to the whole programme ("programme"), a joint event counted against
    the series as the report does. Without a series: the year's total, new to the programme."""
    report = year_report(session, year)
    ids = series_ids_of(params)
    scope = "series" if params.get("scope") == "series" and ids else "programme"
    if ids:
        row = next((row for row in report["by_series"] if row["series_id"] == ids[0]), None)
        names = _series_names(session, ids[:1])
        if row is None:
            return {"value": None, "n": None, "d": None, "note": str(_l("%(series)sのイベントはありません", series=names))}
    else:
        row, names = report["total"], str(_l("全イベント"))
        if not row["events"]:
            return {"value": None, "n": None, "d": None, "note": str(_l("この年度のイベントはありません"))}
    note = (_l("%(series)s：このシリーズに初めて参加した人の割合", series=names) if scope == "series"
            else _l("%(series)s：事業に初めて参加した人の割合", series=names))
    return _rate_value(row["new_participants"][scope], str(note))


SERIES_NOTE = _l("選んだシリーズ（合同開催を含む）の、その年度のイベントを合わせて数えます。")
register_measure(Measure("series_participants", _l("シリーズの参加者数（延べ）"), "人", ("series_ids",),
                         series_participants, SERIES_NOTE, requires=("series_ids",)))
register_measure(Measure("series_events", _l("シリーズの開催回数"), "回", ("series_ids",),
                         series_events, SERIES_NOTE, requires=("series_ids",)))
register_measure(Measure("new_share", _l("新規参加者の割合"), "%", ("series_ids", "scope"), new_share,
                         _l("シリーズを一つ選ぶとそのシリーズの、選ばないと事業全体の新規参加者の割合です。")))
register_measure(Measure("survey_indicator", _l("アンケートの指標（満足度など）"), "%", ("series_ids", "key"),
                         survey_indicator, SERIES_NOTE, requires=("series_ids", "key")))


def compute(session: Session, kind: str | None, year: int, params: dict) -> MeasureValue | None:
    """The measure's value for the year; None for an indicator without a measure or an unknown kind."""
    measure = MEASURES.get(kind or "")
    if measure is None:
        return None
    return measure.compute(session, year, params or {})
