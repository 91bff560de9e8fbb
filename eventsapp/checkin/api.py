"""JSON API of the door (docs/architecture.md, *JSON API*): scans, walk-ins, the offline ticket
list, live counts."""
from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import fields, pre_load, validate

from ..apikit import JaSchema, StrictBoolean, TokyoDateTime
from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..dates import now
from ..extensions import db, limiter
from ..people.identity import PersonFields
from ..registration.api import PersonInSchema
from ..registration.models import RegistrationStatus
from .models import CheckInMethod
from .service import (
    NONCE_SHAPE,
    CheckInError,
    Scan,
    ScanResult,
    admit_walk_in,
    check_in,
    enter_door,
    live_counts,
    ticket_list,
    undo_check_in,
)

blp = Blueprint("checkin_api", __name__, url_prefix="/api/v1", description="受付")
reception_only = role_required(Role.RECEPTION)
scan_rate_limit = limiter.limit(lambda: current_app.config["CHECKIN_RATE_LIMIT"])

NONCE_MESSAGE = CheckInError.text_of("invalid_nonce")
# The input schemas are given as instances: from a class, webargs builds a new schema (its
# fields deep-copied) on every request.
LEGACY_MANUAL = "manual"


class ScanInSchema(JaSchema):
    ticket = fields.String(load_default=None)
    registration_id = fields.Integer(load_default=None, strict=True)
    nonce = fields.String(required=True, validate=validate.Regexp(f"^{NONCE_SHAPE.pattern}$", error=NONCE_MESSAGE))
    scanned_at = TokyoDateTime(load_default=None)
    method = fields.Enum(CheckInMethod, by_value=True, load_default=CheckInMethod.QR,
                         validate=validate.OneOf([CheckInMethod.QR, CheckInMethod.NUMBER, CheckInMethod.SEARCH]))
    device = fields.String(load_default="", validate=validate.Length(max=100))
    admit = StrictBoolean(load_default=False)

    @pre_load
    def read_legacy_method(self, data, **kwargs):
        """A scan queued offline by a scanner page older than migration 0012 says "manual" for a
        typed 受付番号: it is still delivered, as "number"."""
        if isinstance(data, dict) and data.get("method") == LEGACY_MANUAL:
            data = {**data, "method": CheckInMethod.NUMBER.value}
        return data


class ScanOutSchema(JaSchema):
    result = fields.String()
    registration_id = fields.Integer()
    name = fields.String()
    kana = fields.String()
    organization = fields.String()
    checked_in_at = TokyoDateTime()


class WalkInSchema(PersonInSchema):
    device = fields.String(load_default="", validate=validate.Length(max=100))


class WalkInOutSchema(JaSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    status = fields.Enum(RegistrationStatus, by_value=True)
    ticket = fields.String()
    checked_in_at = TokyoDateTime()


class TicketSchema(JaSchema):
    number = fields.Integer()
    ticket_hash = fields.String()
    name = fields.String()
    kana = fields.String()
    organization = fields.String()
    status = fields.String()
    mode = fields.String()
    checked_in_at = TokyoDateTime(allow_none=True)


class TicketListSchema(JaSchema):
    event_id = fields.Integer()
    ends_at = TokyoDateTime()
    generated_at = TokyoDateTime()
    tickets = fields.List(fields.Nested(TicketSchema))


class CountsSchema(JaSchema):
    """checkin/service.py live_counts: 「事前申込 受付済み registered_checked_in / registered」,
    「当日参加 walk_in」, 「合計 checked_in」."""

    event_id = fields.Integer()
    checked_in = fields.Integer(metadata={"description": "合計: 会場で受付した全員（当日参加を含む）"})
    registered = fields.Integer(metadata={"description": "参集の事前申込（当日参加を除く）"})
    registered_checked_in = fields.Integer(metadata={"description": "参集の事前申込のうち受付済み"})
    walk_in = fields.Integer()
    on_demand = fields.Integer()
    waitlisted = fields.Integer()


class UndoInSchema(JaSchema):
    registration_id = fields.Integer(required=True, strict=True)


class UndoOutSchema(JaSchema):
    result = fields.String()
    registration_id = fields.Integer()


def scan_answer(result: ScanResult) -> dict:
    return {
        "result": result.result, "registration_id": result.registration_id, **result.card,
        "checked_in_at": result.checked_in_at,
    }


def existing_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise CheckInError("unknown_event")
    return event


@blp.route("/events/<int:event_id>/checkins", methods=["POST"])
@scan_rate_limit
@reception_only
@blp.arguments(ScanInSchema())
@blp.response(201, ScanOutSchema)
@blp.alt_response(200, schema=ScanOutSchema, description="受付済み（最初の受付時刻を返します）")
def checkin_create(data: dict, event_id: int):
    """QRコードの読み取り・受付番号の入力による受付（同じ nonce の再送は最初の答えを返します）

    項目間の規則（422）: ticket と registration_id のどちらか一方を送ります。scanned_at は開始24時間前から現在まで。
    """
    scan = Scan(**data)
    result = check_in(db.session, event_id=event_id, scan=scan, staff=current_user)
    return scan_answer(result), 201 if result.created else 200


@blp.route("/events/<int:event_id>/walk-ins", methods=["POST"])
@scan_rate_limit
@reception_only
@blp.arguments(WalkInSchema())
@blp.response(201, WalkInOutSchema)
@blp.alt_response(200, schema=WalkInOutSchema, description="申込済みの人でした（その申込を受付します）")
def walk_in_create(data: dict, event_id: int):
    """当日参加の登録と受付（本人照合のうえ、申込済みならその申込を受付します）

    項目間の規則（422）: 姓のほか、ふりがな・メールアドレス・電話番号のいずれかが必要です。
    """
    device = data.pop("device")
    walk_in = admit_walk_in(db.session, event_id=event_id, person=PersonFields(**data), staff=current_user,
                            device=device)
    registration = walk_in.registration
    answer = {"id": registration.id, "person_id": registration.person_id, "status": registration.status,
              "ticket": registration.ticket_token, "checked_in_at": walk_in.checked_in_at}
    return answer, 201 if walk_in.created else 200


@blp.route("/events/<int:event_id>/tickets")
@reception_only
@blp.response(200, TicketListSchema)
def ticket_list_get(event_id: int):
    """受付端末がオフラインでも名前と受付済みを示せるよう、チケット一覧（ハッシュ）を返します（受付時間内のみ）"""
    event = enter_door(db.session, event_id=event_id, staff=current_user, action="tickets")
    return {"event_id": event.id, "ends_at": event.ends_at, "generated_at": now(),
            "tickets": ticket_list(db.session, event.id)}


@blp.route("/events/<int:event_id>/checkin-counts")
@reception_only
@blp.response(200, CountsSchema)
def checkin_counts(event_id: int):
    """事前申込の受付済み／申込、当日参加、合計、オンデマンド、キャンセル待ちの人数"""
    return live_counts(db.session, existing_event(event_id).id)


@blp.route("/events/<int:event_id>/checkins/undo", methods=["POST"])
@reception_only
@blp.arguments(UndoInSchema())
@blp.response(200, UndoOutSchema)
def checkin_undo(data: dict, event_id: int):
    """受付の取り消し（受付係は受付から5分以内、事務局・管理者はいつでも。記録されます）"""
    undo_check_in(db.session, event_id=event_id, registration_id=data["registration_id"], staff=current_user)
    return {"result": "undone", "registration_id": data["registration_id"]}

