"""JSON API of who registered and who came (docs/architecture.md, *JSON API*): an event's
registrations with their check-ins, for organizers; every call is logged as an export of
personal data."""
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import fields

from ..apikit import JaSchema, TokyoDateTime
from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..checkin.models import CheckInMethod
from ..extensions import db
from ..registration.models import Channel, RegistrationMode, RegistrationSource, RegistrationStatus
from .listing import Attendance, RosterEntry, RosterError, RosterFilter, list_registrations, log_export

blp = Blueprint("roster_api", __name__, url_prefix="/api/v1", description="申込者と受付")
organizer_only = role_required(Role.ORGANIZER)

# The API's word for each source: "web" is the public form (the model's "public").
SOURCE_CODE = {RegistrationSource.PUBLIC: "web", RegistrationSource.STAFF: "staff",
               RegistrationSource.WALK_IN: "walk_in", RegistrationSource.IMPORT: "import"}


class RosterQuerySchema(JaSchema):
    status = fields.Enum(RegistrationStatus, by_value=True, metadata={"description": "申込の状態で絞り込み"})
    checked_in = fields.Boolean(truthy={"true"}, falsy={"false"},
                                metadata={"description": "true: 受付済み、false: 未受付（当日参加は受付済み）"})


class RosterRowSchema(JaSchema):
    id = fields.Integer()
    number = fields.Integer(metadata={"description": "受付番号"})
    person_id = fields.Integer()
    family_name = fields.String()
    given_name = fields.String()
    family_kana = fields.String()
    given_kana = fields.String()
    organization = fields.String(allow_none=True)
    profession = fields.String()
    mode = fields.Enum(RegistrationMode, by_value=True)
    status = fields.Enum(RegistrationStatus, by_value=True)
    channel = fields.Enum(Channel, by_value=True, allow_none=True)
    source = fields.String(metadata={"enum": list(SOURCE_CODE.values())})
    checked_in_at = TokyoDateTime(allow_none=True)
    check_in_method = fields.Enum(CheckInMethod, by_value=True, allow_none=True)


def roster_row(entry: RosterEntry) -> dict:
    registration, person = entry.registration, entry.person
    return {
        "id": registration.id, "number": registration.id, "person_id": person.id,
        "family_name": person.family_name, "given_name": person.given_name,
        "family_kana": person.family_kana, "given_kana": person.given_kana,
        "organization": entry.organization or None, "profession": entry.profession,
        "mode": registration.mode, "status": registration.status, "channel": registration.channel,
        "source": SOURCE_CODE[registration.source],
        "checked_in_at": entry.checked_in_at, "check_in_method": entry.check_in_method,
    }


@blp.route("/events/<int:event_id>/registrations", methods=["GET"])
@organizer_only
@blp.arguments(RosterQuerySchema, location="query")
@blp.response(200, RosterRowSchema(many=True))
def registration_index(query: dict, event_id: int):
    """申込者の一覧（受付時刻・受付方法つき。個人情報の書き出しとして記録されます）"""
    if db.session.get(Event, event_id) is None:
        raise RosterError("unknown_event")
    checked_in = query.get("checked_in")
    attendance = None if checked_in is None else Attendance.CHECKED_IN if checked_in else Attendance.NOT_CHECKED_IN
    entries = list_registrations(db.session, event_id=event_id,
                                 only=RosterFilter(status=query.get("status"), attendance=attendance))
    rows = [roster_row(entry) for entry in entries]  # before the commit expires what was loaded
    log_export(db.session, event_id=event_id, user=current_user, format="api", rows=len(rows))
    return rows
