"""Organizer screens for what identity matching cannot settle alone: addresses shared by
colleagues, and splitting a person who is two humans (records/shared.py, records/split.py)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..extensions import db
from ..people.identity import PersonFields, families_differ, names_agree
from ..people.models import Person
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


def _proposal(person: Person, history, restore_choice: dict[int, list[int]],
              absorbed: list[Person]) -> tuple[dict[str, str], set[int], str]:
    """What the form first shows: the registrations typed under a name that disagrees with the
    person's, checked; a merged-in person of another family furigana as the target (restoring
    them undoes that merge exactly, with the registrations it moved checked); else a new
    person named as typed on such a registration, with the person's own (shared) address."""
    chosen = {r.id for r, _c in history if r.typed and not names_agree(r.typed, person)}
    restore = next((a.id for a in absorbed if families_differ(a, person)), None)
    if restore is not None:
        chosen |= set(restore_choice[restore])
    typed = next((r.typed for r, _c in history if r.id in chosen and r.typed), None)
    values = {name: getattr(typed, name) for name in NEW_PERSON_FIELDS[:4]} if typed else {}
    values |= {"email": person.email, "phone": person.phone}
    return values, chosen, str(restore) if restore else "new"


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
    values, chosen, target = _proposal(person, history, restore_choice, absorbed)
    plan, error = None, None
    if request.method == "POST":
        target = request.form.get("target", "new")
        chosen = set(_chosen(request.form))
        values = {name: request.form.get(name, "").strip()[:200] for name in NEW_PERSON_FIELDS}
        try:
            plan = _plan_from(request.form, values, absorbed_ids=restore_choice.keys())
            if request.form.get("confirmed") == "yes":
                moved_to = split_person(db.session, source=person, plan=plan, user=current_user)
                flash(_("申込を別の方に分けました。"))
                return redirect(url_for("people_admin.person", person_id=moved_to.id))
        except (IdentityError, RegistrationError) as refused:
            error, plan = refused.message, None
    return render_template(
        "people/split.html", person=person, history=history, absorbed=absorbed, restore_choice=restore_choice,
        values=values, plan=plan, chosen=chosen, target=target,
        error=error,
    ), 422 if error else 200
