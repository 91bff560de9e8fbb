"""JSON API for series and events (docs/architecture.md, *JSON API*), documented in
/api/v1/openapi.json."""
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..apikit import INT_MAX, JaSchema, StrictBoolean, TokyoDateTime, text
from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import FIRST_YEAR, FISCAL_YEAR_OUT_OF_RANGE, LAST_YEAR
from ..extensions import db
from .models import GOAL_CODES, MAX_RETENTION_YEARS, SCENE_CODES, Audience, Event, EventFormat, EventStatus
from .service import MAX_TITLE_LENGTH, CatalogError, EventInput, all_series, list_events, save_event, save_series

blp = Blueprint("catalog_api", __name__, url_prefix="/api/v1", description="シリーズとイベント")
organizer_only = role_required(Role.ORGANIZER)

# Unknown codes and ids are refused by the service; codes are listed in the document.
GOALS = fields.List(fields.String(validate=validate.OneOf(GOAL_CODES, error=CatalogError.text_of("unknown_goal"))),
                    load_default=list)
SCENES = fields.List(fields.String(validate=validate.OneOf(SCENE_CODES, error=CatalogError.text_of("unknown_scene"))),
                     load_default=list)


class SeriesInSchema(JaSchema):
    name = text(200, blank=False, required=True)
    audience = fields.Enum(Audience, by_value=True, required=True)
    goals = GOALS
    scenes = SCENES
    description = fields.String(load_default="")
    # years personal data is kept after an event of the series; null: the global default
    retention_years = fields.Integer(load_default=None, allow_none=True, strict=True,
                                     validate=validate.Range(1, MAX_RETENTION_YEARS, error=_l("1から100までの整数で指定してください。")))


class SeriesOutSchema(JaSchema):
    id = fields.Integer()
    name = fields.String()
    audience = fields.Enum(Audience, by_value=True)
    goals = fields.Function(lambda s: [g.code for g in s.goals])
    scenes = fields.Function(lambda s: [c.code for c in s.scenes])
    description = fields.String()
    retention_years = fields.Integer(allow_none=True)


class EventInSchema(JaSchema):
    """The rules between fields are the service's (422): ends_at not before starts_at, the
    registration window closing after it opens and opening before the event starts."""

    title = text(MAX_TITLE_LENGTH, blank=False, required=True)
    series_id = fields.Integer(required=True, strict=True)
    joint_series_ids = fields.List(fields.Integer(strict=True), load_default=list)
    starts_at = TokyoDateTime(required=True)
    ends_at = TokyoDateTime(required=True)
    venue = text(200, load_default="")
    area = text(50, load_default=None, allow_none=True)
    format = fields.Enum(EventFormat, by_value=True, required=True)
    capacity = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(min=0, max=INT_MAX, error=_l("定員は0以上の整数で指定してください。")))
    waitlist = StrictBoolean(load_default=True)
    goals = GOALS
    scenes = SCENES
    registration_opens_at = TokyoDateTime(load_default=None, allow_none=True)
    registration_closes_at = TokyoDateTime(load_default=None, allow_none=True)
    description = fields.String(load_default="")
    initiative_ids = fields.List(fields.Integer(strict=True), load_default=list)


class EventOutSchema(JaSchema):
    id = fields.Integer()
    title = fields.String()
    series_id = fields.Integer()
    joint_series_ids = fields.Function(lambda e: [s.id for s in e.joint_series])
    starts_at = TokyoDateTime()
    ends_at = TokyoDateTime()
    venue = fields.String()
    area = fields.String(allow_none=True)
    format = fields.Enum(EventFormat, by_value=True)
    capacity = fields.Integer(allow_none=True)
    waitlist = StrictBoolean()
    status = fields.Enum(EventStatus, by_value=True)
    goals = fields.Function(lambda e: [g.code for g in e.goals])
    scenes = fields.Function(lambda e: [s.code for s in e.scenes])
    initiative_ids = fields.Function(lambda e: [i.id for i in e.initiatives])
    registration_opens_at = TokyoDateTime(allow_none=True)
    registration_closes_at = TokyoDateTime(allow_none=True)
    description = fields.String()
    fiscal_year = fields.Integer()


class EventQuerySchema(JaSchema):
    fiscal_year = fields.Integer(validate=validate.Range(FIRST_YEAR, LAST_YEAR, error=FISCAL_YEAR_OUT_OF_RANGE))
    series_id = fields.Integer()
    status = fields.Enum(EventStatus, by_value=True)


@blp.route("/series", methods=["GET"])
@organizer_only
@blp.response(200, SeriesOutSchema(many=True))
def series_index():
    """シリーズの一覧"""
    return all_series(db.session, with_tags=True)


@blp.route("/series", methods=["POST"])
@organizer_only
@blp.arguments(SeriesInSchema)
@blp.response(201, SeriesOutSchema)
def series_create(data: dict):
    """シリーズの作成"""
    return save_series(db.session, **data)


@blp.route("/events", methods=["GET"])
@organizer_only
@blp.arguments(EventQuerySchema, location="query")
@blp.response(200, EventOutSchema(many=True))
def event_index(query: dict):
    """イベントの一覧（年度・シリーズ・状態で絞り込み）"""
    status = query.get("status")
    return list_events(
        db.session,
        fiscal_year=query.get("fiscal_year"),
        series_id=query.get("series_id"),
        statuses=(status,) if status else None,
    )


@blp.route("/events", methods=["POST"])
@organizer_only
@blp.arguments(EventInSchema)
@blp.response(201, EventOutSchema)
def event_create(data: dict):
    """イベントの作成（下書きとして）

    項目間の規則（422）: ends_at は starts_at 以降、申込締切は申込開始以降、申込開始は開催日時より前。
    """
    return save_event(db.session, EventInput(**data))


@blp.route("/events/<int:event_id>", methods=["GET"])
@organizer_only
@blp.response(200, EventOutSchema)
def event_show(event_id: int):
    """イベント1件"""
    event = db.session.get(Event, event_id)
    if event is None:
        raise CatalogError("unknown_event")
    return event
