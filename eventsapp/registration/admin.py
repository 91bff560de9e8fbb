"""Organizer actions on an event's registrations: adding by hand, cancelling, admitting from
the waitlist. The list they are taken from, with its check-ins and exports, is one floor up
(roster/admin.py: registration may not read the door); each action returns there."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..extensions import db
from ..formtools import show_at_field
from .forms import RegistrationForm
from .models import RegistrationMode, RegistrationSource
from .service import RegistrationError, admit_waitlisted, cancel, register

bp = Blueprint("registration_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


def back_to_list(event_id: int | None):
    """The registration list (roster/admin.py, by endpoint name), or the admin home."""
    return redirect(url_for("roster_admin.registrations", event_id=event_id) if event_id
                    else url_for("roster_events.index"))


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
            return back_to_list(event.id)
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
    return back_to_list(event_id)


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
    return back_to_list(event_id)

