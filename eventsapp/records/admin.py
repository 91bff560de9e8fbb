"""Organizer screens for persons and organizations: search, history, merge."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import role_required
from ..extensions import db
from ..people.identity import possible_duplicates, search_persons, shared_addresses_of
from ..people.models import Organization, Person
from ..people.organizations import ORGANIZATION_TYPES, OrganizationError, describe_organization
from .history import person_history
from .merge import IdentityError, merge_persons

bp = Blueprint("people_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/people")
@organizer_only
def people():
    query = request.args.get("q", "").strip()[:100]
    found = search_persons(db.session, query) if query else []
    return render_template("people/search.html", query=query, people=found)


@bp.route("/people/<int:person_id>")
@organizer_only
def person(person_id: int):
    shown = db.get_or_404(Person, person_id)
    return render_template(
        "people/person.html", person=shown, history=person_history(db.session, shown.id),
        related=possible_duplicates(db.session, shown), shared=shared_addresses_of(db.session, shown),
        merged_into=db.session.get(Person, shown.merged_into_id) if shown.merged_into_id else None,
    )


@bp.route("/people/<int:person_id>/merge/<int:absorb_id>", methods=["GET", "POST"])
@organizer_only
def merge(person_id: int, absorb_id: int):
    """Merge absorb_id into person_id, after a confirmation page that shows both."""
    keep, absorb = db.get_or_404(Person, person_id), db.get_or_404(Person, absorb_id)
    if request.method == "GET":
        return render_template("people/merge.html", keep=keep, absorb=absorb,
                               keep_history=person_history(db.session, keep.id),
                               absorb_history=person_history(db.session, absorb.id))
    try:
        merge_persons(db.session, keep=keep, absorb=absorb, user=current_user)
        flash(_("同じ方として統合しました。"))
    except IdentityError as error:
        flash(error.message, "error")
    return redirect(url_for("people_admin.person", person_id=person_id))


@bp.route("/organizations")
@organizer_only
def organizations():
    rows = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    return render_template("people/organizations.html", organizations=rows)


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@organizer_only
def organization(organization_id: int):
    """事業所種別 and opening date, so that newly opened offices can be counted, and the
    contact address that surveys of organizations are mailed to."""
    row = db.get_or_404(Organization, organization_id)
    error = None
    if request.method == "POST":
        kind = request.form.get("type", "")
        opened = request.form.get("opened_on", "").strip()
        try:
            opened_on = date.fromisoformat(opened) if opened else None
            describe_organization(db.session, row, kind=kind, opened_on=opened_on,
                                  contact_email=request.form.get("contact_email", ""))
        except ValueError:
            error = _("開設日の形式が正しくありません（例: 2025-04-01）。")
        except OrganizationError as refusal:
            error = refusal.message
        else:
            flash(_("保存しました。"))
            return redirect(url_for("people_admin.organizations"))
    return render_template("people/organization.html", organization=row, types=ORGANIZATION_TYPES, error=error), 422 if error else 200
