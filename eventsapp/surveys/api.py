"""JSON API for surveys (docs/architecture.md, *JSON API*): read an event's survey, and enter
a response (paper entry by staff: blanks allowed, not bound by the closing date)."""
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import JaSchema, StrictBoolean
from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Audience
from ..extensions import db
from .models import QuestionKind, ResponseSource
from .service import answers_of, event_survey, submit_response

blp = Blueprint("surveys_api", __name__, url_prefix="/api/v1", description="アンケート")
organizer_only = role_required(Role.ORGANIZER)


class OptionOutSchema(JaSchema):
    code = fields.String()
    label = fields.String()
    positive = StrictBoolean()


class QuestionOutSchema(JaSchema):
    key = fields.String()
    text = fields.String()
    kind = fields.Enum(QuestionKind, by_value=True)
    indicator = fields.String(allow_none=True)
    audience = fields.Enum(Audience, by_value=True, allow_none=True,
                           metadata={"description": "この設問を聞く対象（null は全員）。合同開催で対象の異なるシリーズの設問"})
    options = fields.List(fields.Nested(OptionOutSchema))


class SurveyOutSchema(JaSchema):
    id = fields.Integer()
    questions = fields.List(fields.Nested(QuestionOutSchema))


class ResponseInSchema(JaSchema):
    registration_id = fields.Integer(load_default=None, allow_none=True, strict=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True,
                          metadata={"description": "{設問キー: 選択肢コード | [コード…] | 文章}。未回答の設問は省きます。"})
    audience = fields.Enum(Audience, by_value=True, load_default=None, allow_none=True,
                           metadata={"description": "「医療・介護の仕事をされていますか」への回答（はい: professionals、"
                                                    "いいえ: citizens）。省くと申込の職種か、回答した設問から判断します"})


class ResponseOutSchema(JaSchema):
    id = fields.Integer()
    event_id = fields.Integer()
    registration_id = fields.Integer(allow_none=True)
    source = fields.Enum(ResponseSource, by_value=True)
    audience = fields.Enum(Audience, by_value=True, allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw())


@blp.route("/events/<int:event_id>/survey")
@organizer_only
@blp.response(200, SurveyOutSchema)
def survey_show(event_id: int):
    """イベントのアンケート（設問・選択肢・指標キー）"""
    _event, survey = event_survey(db.session, event_id)
    return survey


@blp.route("/events/<int:event_id>/responses", methods=["POST"])
@organizer_only
@blp.arguments(ResponseInSchema)
@blp.response(201, ResponseOutSchema)
def response_create(data: dict, event_id: int):
    """回答の登録（紙の回答の入力。未回答の設問は省く。締切後も入力できます）"""
    response = submit_response(
        db.session, event_id=event_id, answers=data["answers"], source=ResponseSource.PAPER,
        registration_id=data["registration_id"], entered_by_id=current_user.id, audience=data["audience"],
    )
    return {"id": response.id, "event_id": event_id, "registration_id": response.registration_id,
            "source": response.source, "audience": response.audience, "answers": answers_of(db.session, response)}
