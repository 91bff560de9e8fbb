"""The organizer screen that imports a past attendance list (checkin/importer.py).

It lives here because the import writes check-ins; its URL stays beside the registration
list it returns to (/admin/events/<id>/import).
"""
import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..extensions import db
from .importer import AttendanceImportError, import_attendance

bp = Blueprint("checkin_import", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/events/<int:event_id>/import", methods=["GET", "POST"])
@organizer_only
def import_list(event_id: int):
    """Upload a past attendance list, see each row as "matched X" or "new person", then
    import. The preview form carries the file back (base64), so nothing is kept between."""
    event = db.get_or_404(Event, event_id)
    if request.method == "GET":
        return render_template("checkin/import.html", event=event, report=None)
    upload = request.files.get("file")
    carried = request.form.get("data", "")
    try:
        data = upload.read() if upload else base64.b64decode(carried, validate=True)
    except (binascii.Error, ValueError):
        data = b""
    commit = request.form.get("action") == "import" and not upload
    try:
        report = import_attendance(db.session, event_id=event.id, data=data, commit=commit, user=current_user)
    except AttendanceImportError as error:
        return render_template("checkin/import.html", event=event, report=None, error=error.message), 422
    if report.committed:
        flash(_("%(n)s行を取り込みました。", n=len(report.rows)))
        return redirect(url_for("registration_admin.registrations", event_id=event.id))
    status = 422 if report.rejected else 200
    return render_template("checkin/import.html", event=event, report=report,
                           data=base64.b64encode(data).decode("ascii")), status
