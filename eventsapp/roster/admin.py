"""The organizer's registration list of an event: who registered, who came (check-in time and
method, 当日参加), filters, the attendance-list exports (logged), and the undo of a check-in.

Adding, cancelling and admitting stay on registration's blueprint (registration/admin.py);
the import of a past list on check-in's (checkin/import_admin.py)."""
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..checkin.labels import METHOD
from ..checkin.service import CheckInError, undo_check_in
from ..dates import format_moment, format_time, to_tokyo
from ..exports import csv_bytes, download
from ..extensions import db
from ..people.professions import PROFESSIONS
from ..registration.models import Channel, RegistrationMode, RegistrationStatus
from ..registration.roster import CHANNEL_LABEL, MODE_LABEL, STATUS_LABEL
from .labels import ATTENDANCE
from .listing import Attendance, RosterFilter, list_registrations, log_export
from .sheets import ROSTER_HEADER, roster_rows, roster_xlsx

bp = Blueprint("roster_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)
FILTER_NAMES = ("status", "mode", "profession", "channel", "attendance")


def enum_arg(values: MultiDict, name: str, enum_class):
    value = values.get(name, "")
    return enum_class(value) if value in set(enum_class) else None


def roster_filter(values: MultiDict) -> RosterFilter:
    """The list's filters from the query (or a form echoing it); an unknown value is no filter."""
    profession = values.get("profession")
    return RosterFilter(
        status=enum_arg(values, "status", RegistrationStatus),
        mode=enum_arg(values, "mode", RegistrationMode),
        channel=enum_arg(values, "channel", Channel),
        profession=profession if profession in PROFESSIONS else None,
        attendance=enum_arg(values, "attendance", Attendance),
    )


def filter_args(only: RosterFilter) -> dict[str, str]:
    """The filters in force, as query arguments (for the export links and the way back)."""
    values = {name: getattr(only, name) for name in FILTER_NAMES}
    return {name: str(value) for name, value in values.items() if value}


def moment_on(event: Event):
    """How the list writes a check-in time: 18:42 on the event's day, 和暦 and time on another."""
    day = to_tokyo(event.starts_at).date()

    def write(value: datetime) -> str:
        return format_time(value) if to_tokyo(value).date() == day else format_moment(value)

    return write


@bp.route("/events/<int:event_id>/registrations")
@organizer_only
def registrations(event_id: int):
    event = db.get_or_404(Event, event_id)
    only = roster_filter(request.args)
    return render_template(
        "roster/registrations.html", event=event, entries=list_registrations(db.session, event_id=event.id, only=only),
        filters=only, args=filter_args(only), professions=PROFESSIONS, statuses=STATUS_LABEL, modes=MODE_LABEL,
        channels=CHANNEL_LABEL, attendance=ATTENDANCE, methods=METHOD, moment=moment_on(event),
    )


@bp.route("/events/<int:event_id>/registrations.<any(csv, xlsx):kind>")
@organizer_only
def export(event_id: int, kind: str):
    """The attendance list: personal data, so organizers only, and every export is logged."""
    event = db.get_or_404(Event, event_id)
    rows = roster_rows(list_registrations(db.session, event_id=event.id, only=roster_filter(request.args)))
    log_export(db.session, event_id=event.id, user=current_user, format=kind, rows=len(rows))
    body = csv_bytes(ROSTER_HEADER, rows) if kind == "csv" else roster_xlsx(event, rows)
    return download(body, kind=kind, filename=f"attendance-{event.id}")


@bp.route("/events/<int:event_id>/registrations/<int:registration_id>/undo-checkin", methods=["POST"])
@organizer_only
def undo_checkin(event_id: int, registration_id: int):
    """Take back a check-in from the list (after a confirmation on the page); organizers have no
    five-minute limit (checkin/service.py undo_check_in), and the undo is logged."""
    try:
        undo_check_in(db.session, event_id=event_id, registration_id=registration_id, staff=current_user)
        flash(_("受付を取り消しました（受付番号 %(number)s）。", number=registration_id))
    except CheckInError as error:
        if error.code == "unknown_event":
            abort(404)
        flash(error.message, "error")
    back = filter_args(roster_filter(request.form))
    return redirect(url_for("roster_admin.registrations", event_id=event_id, **back))
