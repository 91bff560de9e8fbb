"""Organizer screens for what identity matching cannot settle alone: addresses shared by
colleagues, and splitting a person who is two humans (records/shared.py, records/split.py)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..extensions import db
from ..people.identity import PersonFields, names_agree
from ..people.models import Person
from ..registration.roster import MODE_LABEL, STATUS_LABEL
from ..registration.service import RegistrationError, check_person_fields
from .history import person_history
from .merge import IdentityError
from .shared import shared_address_groups, split_candidates
from .split import SplitPlan, absorbed_persons, merged_registration_ids, split_person

bp = Blueprint("identity_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)
NEW_PERSON_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "email", "phone")


@bp.route("/people/shared")
@organizer_only
def shared():
    return render_template("people/shared.html", groups=shared_address_groups(db.session),
                           candidates=split_candidates(db.session))


def _proposal(person: Person, history) -> dict[str, str]:
    """The new person's fields as first shown: the name typed on a registration that
    disagrees with the person's, and the person's own address (a colleague's shared one)."""
    typed = next((r.typed for r, _c in history if r.typed and not names_agree(r.typed, person)), None)
    values = {name: getattr(typed, name) for name in NEW_PERSON_FIELDS[:4]} if typed else {}
    return values | {"email": person.email, "phone": person.phone}


def _chosen(form) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in form.getlist("registration") if v.isdigit() and len(v) < 10}))


def _plan_from(form, values: dict[str, str], *, absorbed_ids) -> SplitPlan:
    """The split the form asks for. Raises IdentityError (nothing chosen, a person to restore
    that was not merged into this one) and RegistrationError for a new person's fields that
    a registration would refuse (the same rule, check_person_fields)."""
    ids, target = _chosen(form), form.get("target", "new")
    if not ids:
        raise IdentityError("nothing_chosen")
    if target != "new":
        if not target.isdigit() or int(target) not in absorbed_ids:
            raise IdentityError("not_absorbed")
        return SplitPlan(ids, restore_id=int(target))
    fields = PersonFields(**values)
    check_person_fields(fields, public=False)
    return SplitPlan(ids, new=fields)


@bp.route("/people/<int:person_id>/split", methods=["GET", "POST"])
@organizer_only
def split(person_id: int):
    """Choose → confirm → split: the first POST shows what will move, the second (confirmed) splits."""
    person = db.get_or_404(Person, person_id)
    history = person_history(db.session, person.id)
    absorbed = absorbed_persons(db.session, person)
    restore_choice = {a.id: merged_registration_ids(db.session, keep_id=person.id, absorbed_id=a.id) for a in absorbed}
    values, plan, error = _proposal(person, history), None, None
    chosen = {r.id for r, _c in history if r.typed and not names_agree(r.typed, person)}
    if request.method == "POST":
        chosen = set(_chosen(request.form))
        values = {name: request.form.get(name, "").strip()[:200] for name in NEW_PERSON_FIELDS}
        try:
            plan = _plan_from(request.form, values, absorbed_ids=restore_choice.keys())
            if request.form.get("confirmed") == "yes":
                target = split_person(db.session, source=person, plan=plan, user=current_user)
                flash(_("申込を別の方に分けました。"))
                return redirect(url_for("people_admin.person", person_id=target.id))
        except (IdentityError, RegistrationError) as refused:
            error, plan = refused.message, None
    return render_template(
        "people/split.html", person=person, history=history, absorbed=absorbed, restore_choice=restore_choice,
        values=values, plan=plan, chosen=chosen, target=request.form.get("target", "new"),
        error=error, statuses=STATUS_LABEL, modes=MODE_LABEL,
    ), 422 if error else 200
