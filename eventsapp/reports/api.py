"""JSON API of the indicators (docs/architecture.md, *JSON API*): an event's summary, the
fiscal-year report and the yearly report (the city's table).

The schemas only document and serialise what reports/summary.py computes; their keys are
the contract's, key for key."""
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import JaSchema, TokyoDateTime
from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import FISCAL_YEAR_OUT_OF_RANGE, is_fiscal_year
from ..domain import UNKNOWN_EVENT, DomainError
from ..extensions import db
from .summary import fiscal_year_report, summary_of_event
from .yearly_document import yearly_document

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="集計")
organizer_only = role_required(Role.ORGANIZER)


class ReportError(DomainError):
    """A refused report: an event that does not exist, a fiscal year out of range."""

    MESSAGES = {"unknown_event": UNKNOWN_EVENT, "invalid_fiscal_year": (FISCAL_YEAR_OUT_OF_RANGE, 422)}


class RateSchema(JaSchema):
    n = fields.Integer(required=True)
    d = fields.Integer(required=True)
    pct = fields.Float(allow_none=True, metadata={"description": "小数1桁。d = 0 のとき null"})


class RegisteredSchema(JaSchema):
    in_person = fields.Integer()
    on_demand = fields.Integer()
    total = fields.Integer()


class AttendedSchema(JaSchema):
    in_person = fields.Integer(metadata={"description": "受付済みの実人数（当日参加を含む）"})
    walk_in = fields.Integer()
    on_demand = fields.Integer()
    total = fields.Integer()


class OnDemandViewsSchema(JaSchema):
    viewers = fields.Integer(metadata={"description": "視聴ページを開いた申込者の数（イベントごとの実人数、合計は延べ）"})
    views = fields.Integer(metadata={"description": "視聴ページの閲覧回数（視聴期間内、ボットを除く）"})


class NewParticipantsSchema(JaSchema):
    series = fields.Nested(RateSchema)
    programme = fields.Nested(RateSchema)


class CountsSchema(JaSchema):
    """The summary without event_id: what every row of the report carries."""

    registered = fields.Nested(RegisteredSchema)
    waitlisted = fields.Integer()
    cancelled = fields.Integer()
    attended = fields.Nested(AttendedSchema)
    on_demand_views = fields.Nested(OnDemandViewsSchema)
    attendance_rate = fields.Nested(RateSchema)
    new_participants = fields.Nested(NewParticipantsSchema)
    new_organizations = fields.Nested(RateSchema)
    indicators = fields.Dict(keys=fields.String(), values=fields.Nested(RateSchema))
    responses = fields.Nested(RateSchema)


class SummarySchema(CountsSchema):
    event_id = fields.Integer()


class PooledSchema(CountsSchema):
    events = fields.Integer()
    distinct_persons = fields.Integer(metadata={"description": "実人数"})


class ReportEventSchema(SummarySchema):
    title = fields.String()
    series = fields.String()
    series_id = fields.Integer()
    joint_series_ids = fields.List(fields.Integer())
    starts_at = TokyoDateTime()
    ends_at = TokyoDateTime()
    goals = fields.List(fields.String())
    scenes = fields.List(fields.String())
    area = fields.String(allow_none=True)


class SeriesRowSchema(PooledSchema):
    series_id = fields.Integer()
    name = fields.String()


class TagRowSchema(PooledSchema):
    code = fields.String()
    label = fields.String()


class FiscalYearReportSchema(JaSchema):
    fiscal_year = fields.Integer()
    label = fields.String()
    events = fields.List(fields.Nested(ReportEventSchema))
    by_series = fields.List(fields.Nested(SeriesRowSchema))
    by_goal = fields.List(fields.Nested(TagRowSchema))
    by_scene = fields.List(fields.Nested(TagRowSchema))
    total = fields.Nested(PooledSchema)


class GoalDefinitionSchema(JaSchema):
    code = fields.String()
    label = fields.String()
    definition = fields.String()


class FrontMatterSchema(JaSchema):
    title = fields.String(metadata={"description": "令和7年度 〇〇市在宅医療介護連携推進事業実績報告"})
    positioning = fields.String(metadata={"description": "位置づけ"})
    target = fields.String(metadata={"description": "対象"})
    philosophy = fields.String(metadata={"description": "理念"})
    long_term_goal = fields.String(metadata={"description": "長期目標"})
    goals = fields.List(fields.Nested(GoalDefinitionSchema), metadata={"description": "中期目標とその内容"})


class YearlyRowSchema(JaSchema):
    scene = fields.String(metadata={"description": "場面"})
    goal = fields.String(metadata={"description": "中期目標"})
    target = fields.String(metadata={"description": "対象"})
    initiative_id = fields.Integer()
    plan = fields.String(metadata={"description": "計画"})
    result = fields.String(metadata={"description": "実績（欄の全文。行は改行で区切る）"})


class YearlyReportSchema(JaSchema):
    fiscal_year = fields.Integer()
    label = fields.String()
    front_matter = fields.Nested(FrontMatterSchema)
    rows = fields.List(fields.Nested(YearlyRowSchema))


@blp.route("/events/<int:event_id>/summary")
@organizer_only
@blp.response(200, SummarySchema)
def event_summary(event_id: int):
    """イベントの集計（申込・参加・新規参加者・アンケート指標）"""
    summary = summary_of_event(db.session, event_id)
    if summary is None:
        raise ReportError("unknown_event")
    return summary


@blp.route("/reports/fiscal-year/<fiscal_year:year>")
@organizer_only
@blp.response(200, FiscalYearReportSchema)
def fiscal_year(year: int):
    """年度の報告（イベントごとの集計と、シリーズ・中期目標・場面ごとの合計）"""
    if not is_fiscal_year(year):
        raise ReportError("invalid_fiscal_year")
    return fiscal_year_report(db.session, year)


@blp.route("/reports/yearly/<fiscal_year:year>")
@organizer_only
@blp.response(200, YearlyReportSchema)
def yearly(year: int):
    """年度の実績報告（市の様式の表：前文と、場面・中期目標・取組ごとの計画と実績）"""
    if not is_fiscal_year(year):
        raise ReportError("invalid_fiscal_year")
    return yearly_document(db.session, year)
