"""JSON API for registrations (docs/architecture.md, *JSON API*): staff register people and cancel
registrations."""
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import EMAIL, KANA, PHONE, JaSchema, text
from ..auth.models import Role
from ..auth.roles import role_required
from ..extensions import db
from ..people.identity import PersonFields
from .models import Channel, RegistrationMode, RegistrationSource, RegistrationStatus
from .service import MAX_FIELD_LENGTH, NARROW_FIELDS, RegistrationError, cancel, register

blp = Blueprint("registration_api", __name__, url_prefix="/api/v1", description="申込")
organizer_only = role_required(Role.ORGANIZER)
message_of = RegistrationError.text_of  # the service's own words for the schema's checks


class PersonInSchema(JaSchema):
    """The person fields of people.identity.PersonFields, as staff send them. Besides the
    name, ふりがな, an e-mail or a phone is needed to tell people apart (422 otherwise)."""

    family_name = text(MAX_FIELD_LENGTH, blank=False, controls=False, required=True,
                       message=message_of("name_required"))
    given_name = text(MAX_FIELD_LENGTH, controls=False, load_default="", message=message_of("control_characters"))
    family_kana = text(MAX_FIELD_LENGTH, pattern=KANA, load_default="", message=message_of("kana_invalid"))
    given_kana = text(MAX_FIELD_LENGTH, pattern=KANA, load_default="", message=message_of("kana_invalid"))
    email = text(MAX_FIELD_LENGTH, pattern=EMAIL, load_default="", message=message_of("email_invalid"))
    phone = text(NARROW_FIELDS["phone"], pattern=PHONE, load_default="", message=message_of("phone_invalid"))
    profession = text(NARROW_FIELDS["profession"], controls=False, load_default="", message=message_of("control_characters"))
    organization = text(MAX_FIELD_LENGTH, controls=False, load_default="", message=message_of("control_characters"))


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


@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@organizer_only
@blp.arguments(RegistrationInSchema)
@blp.response(201, RegistrationOutSchema)
@blp.alt_response(200, schema=RegistrationOutSchema, description="すでに申込済み（同じ申込を返します）")
def registration_create(data: dict, event_id: int):
    """申込の登録（職員による。過去のイベントへの後日入力も可）

    項目間の規則（422）: 姓のほか、ふりがな・メールアドレス・電話番号のいずれかが必要です。
    """
    mode, channel = data.pop("mode"), data.pop("channel")
    result = register(
        db.session, event_id=event_id, person=PersonFields(**data), mode=mode, channel=channel,
        source=RegistrationSource.STAFF,
    )
    return result.registration, 201 if result.created else 200


@blp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@organizer_only
@blp.response(200, CancelOutSchema)
def registration_cancel(registration_id: int):
    """申込のキャンセル（キャンセル待ちの先頭を繰り上げます）"""
    result = cancel(db.session, registration_id=registration_id)
    promoted = result.promoted.id if result.promoted else None
    return {"id": result.registration.id, "status": result.registration.status, "promoted": promoted}
