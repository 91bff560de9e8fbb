"""Screens for personal data: the purge with a preview (admins), and one person's export
and erasure on request."""
from datetime import date, time

from flask import Blueprint, Response, current_app, flash, json, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..auth.service import record
from ..dates import now, to_tokyo, tokyo_datetime
from ..extensions import db
from .models import Person
from .privacy import erase_persons, export_person, purge, purge_candidates

bp = Blueprint("privacy_admin", __name__, url_prefix="/admin")
admin_only = role_required(Role.ADMIN)
PREVIEW_SIZE = 50


def cutoff_from(text: str, *, years: int) -> date:
    """The date typed (YYYY-MM-DD), else today minus the retention period."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        today = to_tokyo(now()).date()
        return today.replace(year=today.year - years, day=min(today.day, 28))


@bp.route("/privacy", methods=["GET", "POST"])
@admin_only
def purge_screen():
    day = cutoff_from(request.values.get("before", ""), years=current_app.config["PRIVACY_RETENTION_YEARS"])
    cutoff = tokyo_datetime(day, time(0, 0))
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            flash(_("消去する場合は、確認の欄にチェックを入れてください。"), "error")
        else:
            flash(_("%(count)d人の個人情報を消去しました。", count=purge(db.session, before=cutoff, user=current_user)))
        return redirect(url_for("privacy_admin.purge_screen", before=day.isoformat()))
    candidates = purge_candidates(db.session, before=cutoff)
    return render_template("people/privacy_purge.html", day=day, count=len(candidates),
                           preview=candidates[:PREVIEW_SIZE])


@bp.route("/people/<int:person_id>/export.json")
@role_required(Role.ORGANIZER)
def person_export(person_id: int):
    person = db.get_or_404(Person, person_id)
    record(db.session, "export_person", user=current_user, target=f"person:{person_id}")
    db.session.commit()
    body = json.dumps(export_person(db.session, person), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=person-{person_id}.json"})


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@admin_only
def person_erase(person_id: int):
    """Erase one person's data at their request, after a confirmation page."""
    person = db.get_or_404(Person, person_id)
    if request.method == "GET":
        return render_template("people/erase.html", person=person)
    erase_persons(db.session, [person.id], user=current_user, reason="request")
    flash(_("個人情報を消去しました。参加の記録と集計は残ります。"))
    return redirect(url_for("people_admin.person", person_id=person_id))
