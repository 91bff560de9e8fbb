"""JSON API for registrations (DESIGN §6): staff register people and cancel registrations."""
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import ApiError, JaSchema
from ..auth.models import Role
from ..auth.roles import role_required
from ..extensions import db
from ..people.identity import PersonFields
from .models import Channel, RegistrationMode, RegistrationSource, RegistrationStatus
from .service import RegistrationError, cancel, register

blp = Blueprint("registration_api", __name__, url_prefix="/api/v1", description="申込")
organizer_only = role_required(Role.ORGANIZER)

STATUS_OF = {
    "unknown_event": 404,
    "unknown_registration": 404,
    "event_cancelled": 409,
    "full": 409,
    "already_cancelled": 409,
}


class PersonInSchema(JaSchema):
    """The person fields of people.identity.PersonFields, as staff send them."""

    family_name = fields.String(required=True)
    given_name = fields.String(load_default="")
    family_kana = fields.String(load_default="")
    given_kana = fields.String(load_default="")
    email = fields.String(load_default="")
    phone = fields.String(load_default="")
    profession = fields.String(load_default="")
    organization = fields.String(load_default="")


class RegistrationInSchema(PersonInSchema):
    mode = fields.Enum(RegistrationMode, by_value=True, load_default=RegistrationMode.IN_PERSON)
    channel = fields.Enum(Channel, by_value=True, load_default=None, allow_none=True)


class RegistrationOutSchema(JaSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    event_id = fields.Integer()
    mode = fields.Enum(RegistrationMode, by_value=True)
    status = fields.Enum(RegistrationStatus, by_value=True)
    ticket = fields.String(attribute="ticket_token")


class CancelOutSchema(JaSchema):
    id = fields.Integer()
    status = fields.Enum(RegistrationStatus, by_value=True)
    promoted = fields.Integer(allow_none=True)


def refused(error: RegistrationError) -> ApiError:
    status = STATUS_OF.get(error.code, 422)
    return ApiError(status, error.code, error.message, {error.field: [error.message]} if error.field else None)


@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@organizer_only
@blp.arguments(RegistrationInSchema)
@blp.response(201, RegistrationOutSchema)
@blp.alt_response(200, schema=RegistrationOutSchema, description="すでに申込済み（同じ申込を返します）")
def registration_create(data: dict, event_id: int):
    """申込の登録（職員による。過去のイベントへの後日入力も可）"""
    mode, channel = data.pop("mode"), data.pop("channel")
    try:
        result = register(
            db.session, event_id=event_id, person=PersonFields(**data), mode=mode, channel=channel,
            source=RegistrationSource.STAFF,
        )
    except RegistrationError as error:
        raise refused(error) from None
    return result.registration, 201 if result.created else 200


@blp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@organizer_only
@blp.response(200, CancelOutSchema)
def registration_cancel(registration_id: int):
    """申込のキャンセル（キャンセル待ちの先頭を繰り上げます）"""
    try:
        result = cancel(db.session, registration_id=registration_id)
    except RegistrationError as error:
        raise refused(error) from None
    promoted = result.promoted.id if result.promoted else None
    return {"id": result.registration.id, "status": result.registration.status, "promoted": promoted}
