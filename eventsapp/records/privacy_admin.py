"""Screens for personal data: the purge with a preview (admins), and one person's export
and erasure on request."""
from datetime import date, time

from flask import Blueprint, abort, current_app, flash, json, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import parse_day, tokyo_datetime
from ..exports import send_download
from ..extensions import db
from ..people.models import Person
from .privacy import (
    InactiveSince,
    PastRetention,
    PurgeRule,
    erase_persons,
    export_person,
    past_retention_today,
    purge,
    retention_exceptions,
    years_before,
)

bp = Blueprint("privacy_admin", __name__, url_prefix="/admin")
admin_only = role_required(Role.ADMIN)
PREVIEW_SIZE = 50


def rule_from(values, *, default_years: int) -> tuple[PurgeRule, date]:
    """The rule chosen on the screen, and the date its date field shows: past the retention
    periods (the default), or no activity since the date typed (YYYY-MM-DD, 2000–2100; a date not
    understood shows today minus the default period, for the admin to check). An unknown
    rule is a 400: the confirmation must never erase by another rule than the preview's."""
    standing = past_retention_today(default_years)
    try:
        day = parse_day(values.get("before", ""))  # 0001-01-01 overflowed in UTC: a 500
    except ValueError:
        day = years_before(standing.today, default_years)
    kind = values.get("rule", PastRetention.kind)
    if kind == PastRetention.kind:
        return standing, day
    if kind == InactiveSince.kind:
        return InactiveSince(before=tokyo_datetime(day, time(0, 0))), day
    abort(400)


@bp.route("/privacy", methods=["GET", "POST"])
@admin_only
def purge_screen():
    default_years = current_app.config["PRIVACY_RETENTION_YEARS"]
    rule, day = rule_from(request.values, default_years=default_years)
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            flash(_("消去する場合は、確認の欄にチェックを入れてください。"), "error")
        else:
            flash(_("%(count)d人の個人情報を消去しました。", count=purge(db.session, rule, user=current_user)))
        return redirect(url_for("privacy_admin.purge_screen", rule=rule.kind, before=day.isoformat()))
    candidates = rule.candidates(db.session)
    return render_template("people/privacy_purge.html", rule=rule, day=day, count=len(candidates),
                           preview=candidates[:PREVIEW_SIZE], default_years=default_years,
                           exceptions=retention_exceptions(db.session, default_years=default_years))


@bp.route("/people/<int:person_id>/export.json")
@role_required(Role.ORGANIZER)
def person_export(person_id: int):
    person = db.get_or_404(Person, person_id)
    body = json.dumps(export_person(db.session, person, user=current_user), ensure_ascii=False, indent=2)
    return send_download(body, download_name=f"person-{person_id}.json", mimetype="application/json")


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
