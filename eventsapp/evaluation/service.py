"""The evaluation framework's rules: indicators, entered values with their provenance, and the
評価 comment of each indicator and year. Views parse input into these keyword values and call
one function; every refusal is an EvaluationError with a stable code and the field at fault.
Each function commits its own change."""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..arith import rate
from ..auth.models import User
from ..auth.service import record
from ..catalog.models import Goal, Scene, Series
from ..dates import YEAR_OUT_OF_RANGE, in_supported_years, is_fiscal_year
from ..domain import DomainError
from ..people.organizations import ORGANIZATION_TYPES
from . import plugins  # noqa: F401  (registers the other capabilities' measure kinds)
from .measures import MEASURES, SURVEY_KEYS
from .models import MAX_INTERVAL, EvaluationComment, EvaluationIndicator, EvaluationValue

MAX_NAME, MAX_UNIT, MAX_TARGET, MAX_TEXT = 200, 20, 100, 2000
MAX_VALUE = Decimal("999999999999.99")  # Numeric(14, 2)
SURVEY_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")  # the indicator keys of surveys


class EvaluationError(DomainError):
    MESSAGES = {
        "unknown_indicator": (_l("指定された評価指標はありません。"), 404),
        "name_required": (_l("評価指標の名前を入力してください。"), 422),
        "too_long": (_l("%(limit)s文字以内で入力してください。"), 422),
        "unknown_goal": (_l("中期目標を一覧から選んでください。"), 422),
        "unknown_scene": (_l("場面を一覧から選んでください。"), 422),
        "interval_out_of_range": (_l("評価の間隔は1〜%(max)s年で入力してください。"), 422),
        "base_year_required": (_l("2年以上ごとに評価する指標は、評価する年度（例：2023）を一つ入力してください。"), 422),
        "year_out_of_range": (YEAR_OUT_OF_RANGE, 422),
        "unknown_measure": (_l("集計の方法を一覧から選んでください。"), 422),
        "series_required": (_l("シリーズを一つ以上選んでください。"), 422),
        "unknown_series": (_l("選んだシリーズが見つかりません。"), 422),
        "one_series_for_scope": (_l("「このシリーズに初めて参加」の割合はシリーズを一つだけ選んでください。"), 422),
        "unknown_key": (_l("アンケートの指標を一覧から選んでください。"), 422),
        "survey_key_invalid": (_l("指標のキーは半角英小文字・数字・_で入力してください（例：emergency_plan）。"), 422),
        "unknown_organization_type": (_l("事業所種別を一覧から選んでください。"), 422),
        "value_required": (_l("値を入力してください（割合なら分子と分母だけでも構いません）。"), 422),
        "value_invalid": (_l("値は数字で入力してください。"), 422),
        "counts_invalid": (_l("分子と分母は0以上の整数で、分子は分母以下、分母は1以上にしてください。"), 422),
        "denominator_required": (_l("分子を入れるときは分母も入力してください。"), 422),
        "taken_on_required": (_l("数値を把握した日を入力してください。"), 422),
        "source_required": (_l("出典（どこから得た数値か）を入力してください。"), 422),
    }


@dataclass
class IndicatorInput:
    goal: str
    scene: str
    name: str
    expected: str = ""
    source: str = ""
    interval_years: int = 1
    base_year: int | None = None
    unit: str = ""
    target: str = ""
    position: int = 0
    measure: str | None = None
    params: dict | None = None


def get_indicator(session: Session, indicator_id: int) -> EvaluationIndicator:
    """The indicator; EvaluationError unknown_indicator (404) when there is none."""
    indicator = session.get(EvaluationIndicator, indicator_id)
    if indicator is None:
        raise EvaluationError("unknown_indicator")
    return indicator


def _text(value: str | None, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise EvaluationError("too_long", field, limit=limit)
    return text


def _tag(session: Session, model, code: str, *, field: str):
    tag = session.scalar(select(model).where(model.code == code))
    if tag is None:
        raise EvaluationError(f"unknown_{field}", field)
    return tag


def check_params(session: Session, measure: str | None, params: dict | None) -> dict:
    """The measure's parameters, kept only those it takes, checked: the series exist, the keys
    are known. Raises EvaluationError (field `measure` or the parameter's)."""
    if not measure:
        return {}
    kind = MEASURES.get(measure)
    if kind is None:
        raise EvaluationError("unknown_measure", "measure")
    params = {name: value for name, value in (params or {}).items() if name in kind.params and value not in (None, "", [])}
    if "series_ids" in params:
        ids = sorted({int(i) for i in params["series_ids"]})
        if len(session.scalars(select(Series.id).where(Series.id.in_(ids))).all()) != len(ids):
            raise EvaluationError("unknown_series", "series_ids")
        params["series_ids"] = ids
    if "series_ids" in kind.requires and not params.get("series_ids"):
        raise EvaluationError("series_required", "series_ids")
    if "scope" in kind.params:
        params["scope"] = "series" if params.get("scope") == "series" else "programme"
        if params["scope"] == "series" and len(params.get("series_ids", [])) != 1:
            raise EvaluationError("one_series_for_scope", "series_ids")
    if "key" in kind.params and params.get("key") not in SURVEY_KEYS:
        raise EvaluationError("unknown_key", "key")
    if "survey_key" in kind.params and not SURVEY_KEY.match(str(params.get("survey_key", ""))):
        raise EvaluationError("survey_key_invalid", "survey_key")
    if params.get("organization_type") and params["organization_type"] not in ORGANIZATION_TYPES:
        raise EvaluationError("unknown_organization_type", "organization_type")
    return params


def save_indicator(session: Session, data: IndicatorInput, *, indicator: EvaluationIndicator | None = None
                   ) -> EvaluationIndicator:
    """Create or change an indicator. Raises EvaluationError for a missing name, an unknown
    goal, scene, measure, series or key, a text too long, or a timing out of range."""
    name = _text(data.name, field="name", limit=MAX_NAME)
    if not name:
        raise EvaluationError("name_required", "name")
    if not 1 <= int(data.interval_years or 0) <= MAX_INTERVAL:
        raise EvaluationError("interval_out_of_range", "interval_years", max=MAX_INTERVAL)
    base_year = data.base_year if data.interval_years > 1 else None
    if data.interval_years > 1 and base_year is None:
        raise EvaluationError("base_year_required", "base_year")
    if base_year is not None and not is_fiscal_year(base_year):
        raise EvaluationError("year_out_of_range", "base_year")
    indicator = indicator or EvaluationIndicator()
    indicator.goal = _tag(session, Goal, data.goal, field="goal")
    indicator.scene = _tag(session, Scene, data.scene, field="scene")
    indicator.name = name
    indicator.expected = _text(data.expected, field="expected", limit=MAX_TEXT)
    indicator.source = _text(data.source, field="source", limit=MAX_TEXT)
    indicator.unit = _text(data.unit, field="unit", limit=MAX_UNIT)
    indicator.target = _text(data.target, field="target", limit=MAX_TARGET)
    indicator.interval_years, indicator.base_year = data.interval_years, base_year
    indicator.position = data.position or 0
    indicator.measure_params = check_params(session, data.measure, data.params)
    indicator.measure = data.measure or None
    session.add(indicator)
    session.commit()
    return indicator


def delete_indicator(session: Session, indicator: EvaluationIndicator) -> None:
    """Delete the indicator with its entered values and comments (after the screen's confirmation)."""
    for model in (EvaluationValue, EvaluationComment):  # before the row they point to, on any engine
        session.execute(delete(model).where(model.indicator_id == indicator.id))
    session.delete(indicator)
    session.commit()


def _decimal(text) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise EvaluationError("value_invalid", "value") from None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise EvaluationError("value_invalid", "value")
    return value.quantize(Decimal("0.01"))


def _counts(n, d) -> tuple[int | None, int | None]:
    if n is None and d is None:
        return None, None
    if d is None:
        raise EvaluationError("denominator_required", "d")
    if d < 1 or (n is not None and not 0 <= n <= d):
        raise EvaluationError("counts_invalid", "n")
    return n, d


def entered_value(session: Session, indicator: EvaluationIndicator, year: int) -> EvaluationValue | None:
    return session.scalar(select(EvaluationValue).where(EvaluationValue.indicator_id == indicator.id,
                                                        EvaluationValue.fiscal_year == year))


def save_value(session: Session, indicator: EvaluationIndicator, year: int, *, value, n: int | None, d: int | None,
               taken_on: date | None, source_note: str, user: User | None) -> EvaluationValue:
    """Enter (or correct) the indicator's value for a fiscal year, with its provenance: the
    figure (left empty, it is the rate of n/d), n/d where there are any, the day it was taken,
    the source, and who entered it. Raises EvaluationError for a bad figure, counts, day or
    year, or a missing source."""
    if not is_fiscal_year(year):
        raise EvaluationError("year_out_of_range", "fiscal_year")
    number = _decimal(value)
    n, d = _counts(n, d)
    if number is None:
        if n is None:
            raise EvaluationError("value_required", "value")
        number = Decimal(str(rate(n, d)["pct"])).quantize(Decimal("0.01"))
    if taken_on is None:
        raise EvaluationError("taken_on_required", "taken_on")
    if not in_supported_years(taken_on):
        raise EvaluationError("year_out_of_range", "taken_on")
    note = _text(source_note, field="source_note", limit=MAX_TEXT)
    if not note:
        raise EvaluationError("source_required", "source_note")
    row = entered_value(session, indicator, year) or EvaluationValue(indicator_id=indicator.id, fiscal_year=year)
    row.value, row.n, row.d, row.taken_on, row.source_note = number, n, d, taken_on, note
    row.entered_by = user
    session.add(row)
    session.commit()
    return row


def delete_value(session: Session, indicator: EvaluationIndicator, year: int) -> bool:
    """Remove the entered value of that year (the computed one, if any, shows again)."""
    row = entered_value(session, indicator, year)
    if row is not None:
        session.delete(row)
        session.commit()
    return row is not None


def save_comment(session: Session, indicator: EvaluationIndicator, year: int, *, text: str, user: User | None
                 ) -> EvaluationComment | None:
    """The 評価 of the indicator for a year; an empty text removes it. Raises EvaluationError
    for a year out of range or a text longer than MAX_TEXT."""
    if not is_fiscal_year(year):
        raise EvaluationError("year_out_of_range", "fiscal_year")
    text = _text(text, field="text", limit=MAX_TEXT)
    row = session.scalar(select(EvaluationComment).where(EvaluationComment.indicator_id == indicator.id,
                                                         EvaluationComment.fiscal_year == year))
    if not text:
        if row is not None:
            session.delete(row)
            session.commit()
        return None
    row = row or EvaluationComment(indicator_id=indicator.id, fiscal_year=year)
    row.text, row.updated_by = text, user
    session.add(row)
    session.commit()
    return row


def log_export(session: Session, *, year: int, user: User, format: str, rows: int) -> None:
    """The 評価シート left the system as a file: logged like the yearly report (the city's
    record of its evaluation); commits."""
    record(session, "export_report", user=user, target=f"evaluation:{year}", format=format, rows=rows)
    session.commit()
