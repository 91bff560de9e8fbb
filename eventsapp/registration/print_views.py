"""The organizers' print pages of an event: the reception list (受付名簿) and the name cards
(名札), laid out for A4 (static/css/print.css). What is on them, and why printing is logged:
registration/printables.py."""
from flask import Blueprint, render_template
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..extensions import db
from ..people.kana import OTHER
from .printables import fit_class, name_cards, reception_list
from .roster import MODE_LABEL

bp = Blueprint("registration_print", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/events/<int:event_id>/reception-list")
@organizer_only
def reception(event_id: int):
    event = db.get_or_404(Event, event_id)
    listing = reception_list(db.session, event_id=event.id, user=current_user)
    return render_template("registration/reception_list.html", event=event, listing=listing, fit=fit_class,
                           modes=MODE_LABEL, other_row=OTHER)


@bp.route("/events/<int:event_id>/name-cards")
@organizer_only
def cards(event_id: int):
    event = db.get_or_404(Event, event_id)
    made = name_cards(db.session, event_id=event.id, user=current_user)
    return render_template("registration/name_cards.html", event=event, cards=made, fit=fit_class)
