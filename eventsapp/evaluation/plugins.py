"""The measures whose data other capabilities own, registered here until that data exists.

The plan evaluates three things the system does not record yet: オンデマンド配信閲覧数 (把握方法
「オンデマンドページ内」), the event pages' share of ホームページアクセス数, and the shares of care
offices in the surveys addressed to organizations. Each kind below answers "no data" (value
None) with a note saying why, so indicators can be linked to them now and fill themselves in
once the data exists.

How a capability plugs in (the function's contract is measures.MeasureFunction):
write, in the package that owns the data, a function

    def evaluation_measure(session, fiscal_year: int, params: dict) -> dict | None:
        return {"value": <number or None>, "n": <int or None>, "d": <int or None>, "note": "<日本語>"}

(None, or value None, when the year has no data), and replace the body of the matching
function below with a call to it, e.g. `return viewing_measure(session, fiscal_year, params)`.
The kinds, their parameters and the unit are kept: indicators already linked keep working.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .measures import Measure, MeasureValue, register_measure


def _no_data(note) -> MeasureValue:
    return {"value": None, "n": None, "d": None, "note": str(note)}


def on_demand_views(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """オンデマンド配信閲覧数: visits of the personal viewing pages of the year's events
    (params: series_ids, optional; none = every series). value = views (all visits); n = viewers
    (distinct registrants who opened their page) may be given beside it, d = None."""
    return _no_data(_l("オンデマンド視聴ページの閲覧はまだ記録されていません"))


def event_page_views(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """イベントページ閲覧数: the year's views of the system's public event pages (params:
    series_ids, optional). Only these pages: never the city's whole homepage."""
    return _no_data(_l("イベントページの閲覧数はまだ記録されていません"))


def organization_survey_indicator(session: Session, fiscal_year: int, params: dict) -> MeasureValue | None:
    """A share of offices in a survey addressed to organizations (params: survey_key, the
    question's indicator key; organization_type, optional 事業所種別): value = pct, n = offices
    answering positively, d = offices that answered the question."""
    return _no_data(_l("事業所向けアンケートはまだ集計できません"))


register_measure(Measure("on_demand_views", _l("オンデマンド配信閲覧数"), "回", ("series_ids",), on_demand_views,
                         _l("オンデマンド視聴ページを開いた回数（この機能の準備中は「データなし」）。")))
register_measure(Measure("event_page_views", _l("イベントページ閲覧数"), "回", ("series_ids",), event_page_views,
                         _l("このシステムの公開イベントページの閲覧数。市のホームページ全体のアクセス数ではありません。")))
register_measure(Measure("organization_survey_indicator", _l("事業所向けアンケートの指標"), "%",
                         ("survey_key", "organization_type"), organization_survey_indicator,
                         _l("事業所向けアンケートで肯定的に答えた事業所の割合（この機能の準備中は「データなし」）。"),
                         requires=("survey_key",)))
