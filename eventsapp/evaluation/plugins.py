"""The measures whose data other capabilities own: on-demand views (viewing/), event-page views
(pageviews/) and the shares of offices in the surveys addressed to organizations (surveys/
org_results.py). Each answers in the registry's shape (measures.MeasureFunction): value, n, d and
a note, or value None for a year without data.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Event
from ..pageviews.service import event_page_views as page_views_of_year, event_page_views_by_event
from ..surveys.org_results import organization_indicator_of_year
from ..viewing.counts import on_demand_views as viewing_counts
from .measures import Measure, MeasureValue, register_measure


def on_demand_views(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """オンデマンド配信閲覧数: visits of the personal viewing pages of the year's events
    (params: series_ids, optional; none = every series). value = views (all visits); n = viewers
    (registrants who opened their page, once per event), d = None."""
    series_ids = params.get("series_ids") or [None]
    counts = [viewing_counts(session, fiscal_year=fiscal_year, series_id=series_id) for series_id in series_ids]
    views, viewers = sum(c["views"] for c in counts), sum(c["viewers"] for c in counts)
    if not views:  # nothing recorded (a year before the viewing pages, or no recording): no data, not 0
        return {"value": None, "n": None, "d": None, "note": str(_l("この年度の視聴の記録はありません"))}
    return {"value": views, "n": viewers, "d": None, "note": ""}


def event_page_views(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """イベントページ閲覧数: the year's views of the system's public event pages (params:
    series_ids, optional), counted on the day of the view. Only these pages: never the city's
    whole homepage."""
    series_ids = params.get("series_ids")
    if not series_ids:
        views = page_views_of_year(session, fiscal_year=fiscal_year)
    else:
        events = set(session.scalars(select(Event.id).where(Event.series_id.in_(series_ids))))
        by_event = event_page_views_by_event(session, fiscal_year=fiscal_year)
        views = sum(count for event_id, count in by_event.items() if event_id in events)
    if not views:  # a year before the counter, or no page shown: no data, not 0
        return {"value": None, "n": None, "d": None, "note": str(_l("この年度の閲覧の記録はありません"))}
    return {"value": views, "n": None, "d": None, "note": ""}


def organization_survey_indicator(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """A share of offices in the year's surveys addressed to organizations (params: survey_key,
    the question's indicator key; organization_type, optional 事業所種別): value = pct, n =
    offices answering positively, d = offices that answered the question."""
    rate = organization_indicator_of_year(session, fiscal_year=fiscal_year, key=params["survey_key"],
                                          organization_type=params.get("organization_type") or None)
    if not rate["d"]:
        return {"value": None, "n": None, "d": None, "note": str(_l("この年度の事業所向けアンケートに回答がありません"))}
    return {"value": rate["pct"], "n": rate["n"], "d": rate["d"], "note": ""}


register_measure(Measure("on_demand_views", _l("オンデマンド配信閲覧数"), "回", ("series_ids",), on_demand_views,
                         _l("オンデマンド視聴ページを開いた回数（n は開いた方の延べ人数）。")))
register_measure(Measure("event_page_views", _l("イベントページ閲覧数"), "回", ("series_ids",), event_page_views,
                         _l("このシステムの公開イベントページの閲覧数。市のホームページ全体のアクセス数ではありません。")))
register_measure(Measure("organization_survey_indicator", _l("事業所向けアンケートの指標"), "%",
                         ("survey_key", "organization_type"), organization_survey_indicator,
                         _l("事業所向けアンケートで肯定的に答えた事業所の割合。"),
                         requires=("survey_key",)))
