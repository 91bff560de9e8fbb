"""GET /api/v1/reports/evaluation/{year}: the 評価シート as JSON (docs/architecture.md, *JSON API*).
The schema writes the contract's keys of sheet.evaluation_sheet, plus each value's 評価
(`comment`), so the JSON holds what the CSV and XLSX hold."""
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import JaSchema
from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import FISCAL_YEAR_OUT_OF_RANGE, is_fiscal_year
from ..domain import DomainError
from ..extensions import db
from .sheet import COMPUTED, ENTERED, evaluation_sheet

blp = Blueprint("evaluation_api", __name__, url_prefix="/api/v1", description="評価シート")


class EvaluationApiError(DomainError):
    MESSAGES = {"invalid_fiscal_year": (FISCAL_YEAR_OUT_OF_RANGE, 422)}


class PlainNumber(fields.Float):
    """A number written as computed: 45 stays 45 (a count), 79.2 stays 79.2 (a share)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class ValueSchema(JaSchema):
    fiscal_year = fields.Integer()
    value = PlainNumber(allow_none=True, metadata={"description": "値（割合は%、小数1桁）。データがない年度は null"})
    n = fields.Integer(allow_none=True, metadata={"description": "分子（ある場合）"})
    d = fields.Integer(allow_none=True, metadata={"description": "分母（ある場合）"})
    kind = fields.String(metadata={"enum": [COMPUTED, ENTERED],
                                   "description": "computed: システムの集計、entered: 職員が入力した値"})
    note = fields.String(metadata={"description": "出所（入力値は出典・把握日・入力者）、または値がない理由"})
    comment = fields.String(metadata={"description": "その年度の評価"})


class IndicatorSchema(JaSchema):
    id = fields.Integer()
    goal = fields.String(metadata={"description": "中期目標"})
    scene = fields.String(metadata={"description": "場面"})
    expected = fields.String(metadata={"description": "期待値"})
    name = fields.String(metadata={"description": "評価指標"})
    source = fields.String(metadata={"description": "把握方法"})
    timing = fields.String(metadata={"description": "評価時期"})
    unit = fields.String()
    target = fields.String(allow_none=True)
    values = fields.List(fields.Nested(ValueSchema), metadata={"description": "直近5年度（古い順）"})


class EvaluationSheetSchema(JaSchema):
    fiscal_year = fields.Integer()
    label = fields.String()
    indicators = fields.List(fields.Nested(IndicatorSchema))


@blp.route("/reports/evaluation/<fiscal_year:year>")
@role_required(Role.ORGANIZER)
@blp.response(200, EvaluationSheetSchema)
def evaluation(year: int):
    """評価シート（計画の評価指標と直近5年度の値・評価）"""
    if not is_fiscal_year(year):
        raise EvaluationApiError("invalid_fiscal_year")
    return evaluation_sheet(db.session, year)
