"""Organizer screens for an event's registrations: the list with filters, adding by hand,
cancelling, admitting from the waitlist, and the attendance-list exports (logged). The
import of a past attendance list is on this blueprint too, written in checkin/import_admin.py."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..auth.service import record
from ..catalog.models import Event
from ..exports import table_download
from ..extensions import db
from ..formtools import show_at_field
from ..people.professions import PROFESSIONS
from .forms import RegistrationForm
from .models import Channel, RegistrationMode, RegistrationSource, RegistrationStatus
from .roster import CHANNEL_LABEL, MODE_LABEL, ROSTER_HEADER, STATUS_LABEL, list_registrations, roster_rows
from .service import RegistrationError, admit_waitlisted, cancel, register

bp = Blueprint("registration_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


def enum_arg(name: str, enum_class):
    value = request.args.get(name, "")
    return enum_class(value) if value in set(enum_class) else None


def filters() -> dict:
    return dict(
        status=enum_arg("status", RegistrationStatus),
        mode=enum_arg("mode", RegistrationMode),
        channel=enum_arg("channel", Channel),
        profession=request.args.get("profession") if request.args.get("profession") in PROFESSIONS else None,
    )


@bp.route("/events/<int:event_id>/registrations")
@organizer_only
def registrations(event_id: int):
    event = db.get_or_404(Event, event_id)
    rows = list_registrations(db.session, event_id=event.id, **filters())
    return render_template(
        "registration/admin_list.html", event=event, registrations=rows, filters=filters(),
        professions=PROFESSIONS, statuses=STATUS_LABEL, modes=MODE_LABEL, channels=CHANNEL_LABEL,
    )


@bp.route("/events/<int:event_id>/registrations.<any(csv, xlsx):kind>")
@organizer_only
def export(event_id: int, kind: str):
    """The attendance list: personal data, so organizers only, and every export is logged."""
    event = db.get_or_404(Event, event_id)
    rows = roster_rows(list_registrations(db.session, event_id=event.id, **filters()))
    record(db.session, "export_attendance", user=current_user, target=f"event:{event.id}", format=kind, rows=len(rows))
    db.session.commit()
    return table_download(ROSTER_HEADER, rows, kind=kind, filename=f"attendance-{event.id}", title="参加者名簿")


@bp.route("/events/<int:event_id>/registrations/new", methods=["GET", "POST"])
@organizer_only
def add(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = RegistrationForm()
    del form.consent  # staff register people who gave consent on paper or by phone
    del form.channel  # a registration typed in by staff came through no shared link
    if form.validate_on_submit():
        try:
            result = register(db.session, event_id=event.id, person=form.person_fields(),
                              mode=RegistrationMode(form.mode.data), source=RegistrationSource.STAFF)
            flash(_("登録しました。") if result.created else _("すでに登録済みの方です。"))
            return redirect(url_for("registration_admin.registrations", event_id=event.id))
        except RegistrationError as error:
            show_at_field(form, error.field, error.message, fallback="family_name")
    return render_template("registration/admin_add.html", form=form, event=event), 422 if form.errors else 200


@bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@organizer_only
def cancel_registration(registration_id: int):
    try:
        result = cancel(db.session, registration_id=registration_id)
        flash(_("キャンセルしました。") + (_("キャンセル待ちの方を繰り上げました。") if result.promoted else ""))
        event_id = result.registration.event_id
    except RegistrationError as error:
        flash(error.message, "error")
        event_id = request.form.get("event_id", type=int)
    return redirect(url_for("registration_admin.registrations", event_id=event_id) if event_id else url_for("catalog_admin.index"))


@bp.route("/registrations/<int:registration_id>/admit", methods=["POST"])
@organizer_only
def admit(registration_id: int):
    try:
        registration = admit_waitlisted(db.session, registration_id=registration_id)
        flash(_("キャンセル待ちから参加に変更しました。"))
        event_id = registration.event_id
    except RegistrationError as error:
        flash(error.message, "error")
        event_id = request.form.get("event_id", type=int)
    return redirect(url_for("registration_admin.registrations", event_id=event_id) if event_id else url_for("catalog_admin.index"))

