"""The door's screens: the event list, the scanner page (its JavaScript talks to
checkin/api.py), search with one-tap check-in, walk-ins, and the organizers' live count.

Search and walk-ins are plain forms, so they work on any phone without JavaScript."""
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import public, role_required
from ..catalog.models import Event, EventStatus
from ..dates import format_time, now
from ..extensions import db
from ..formtools import show_at_field
from ..registration.numbers import NUMBER_MAX_DIGITS
from ..registration.service import RegistrationError
from .forms import FORM_FIELD, OneTapForm, WalkInForm
from .models import CheckInMethod
from .service import CheckInError, Scan, admit_walk_in, check_in, enter_door, find_at_door, live_counts
from .window import check_door_hours, open_for_listing

bp = Blueprint("checkin", __name__, url_prefix="/checkin")
sw_bp = Blueprint("checkin_sw", __name__)
reception_only = role_required(Role.RECEPTION)
RECENT = timedelta(days=7)  # organizers' door list: events that ended up to a week ago
bp.record_once(lambda state: check_door_hours(state.app.config))


def event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.status == EventStatus.DRAFT:
        abort(404)
    return event


def door_event(event_id: int, action: str) -> Event:
    """The event if its door is open to the current user (checkin/service.py open_door); aborts
    with 404 for an unknown event, and outside the door's hours with 403 and the scanner page
    saying when the door opens or that it has closed (the refusal is stored)."""
    try:
        return enter_door(db.session, event_id=event_id, staff=current_user, action=action, device=device_name())
    except CheckInError as error:
        if error.code == "unknown_event":
            abort(404)
        abort(closed_door(db.session.get(Event, event_id), error))


def closed_door(event: Event, error: CheckInError):
    page = render_template("checkin/scanner.html", event=event, urls=door_urls(event), closed=error.message,
                           number_max_digits=NUMBER_MAX_DIGITS)
    return make_response(page, 403)


def door_urls(event: Event) -> dict[str, str]:
    """Where the scanner page's script sends and fetches (docs/architecture.md, *JSON API*, and
    checkin/api.py)."""
    api = f"/api/v1/events/{event.id}"
    return {
        "checkin": f"{api}/checkins", "tickets": f"{api}/tickets", "counts": f"{api}/checkin-counts",
        "undo": f"{api}/checkins/undo", "search": url_for("checkin.search", event_id=event.id),
        "walk_in": url_for("checkin.walk_in", event_id=event.id), "live": url_for("checkin.live", event_id=event.id),
        "scanner": url_for("checkin.scanner", event_id=event.id),
    }


def device_name() -> str:
    return request.headers.get("User-Agent", "")[:100]


@bp.route("/")
@reception_only
def index():
    events = db.session.scalars(
        select(Event)
        .where(open_for_listing(current_user.role, now(), recent=RECENT))
        .order_by(Event.starts_at, Event.id)
        .limit(50)
    ).all()
    return render_template("checkin/index.html", events=events)


@bp.route("/events/<int:event_id>")
@reception_only
def scanner(event_id: int):
    event = door_event(event_id, "scanner")
    return render_template("checkin/scanner.html", event=event, urls=door_urls(event),
                           counts=live_counts(db.session, event.id), number_max_digits=NUMBER_MAX_DIGITS)


@bp.route("/events/<int:event_id>/live")
@role_required(Role.ORGANIZER)
def live(event_id: int):
    event = event_or_404(event_id)
    return render_template("checkin/live.html", event=event, urls=door_urls(event),
                           counts=live_counts(db.session, event.id))


@bp.route("/events/<int:event_id>/search", methods=["GET", "POST"])
@reception_only
def search(event_id: int):
    """Find a person who has no QR by part of the name or furigana, or by 受付番号; one tap
    checks them in. The form's nonce makes a double tap harmless."""
    event = door_event(event_id, "search")
    query = request.values.get("q", "").strip()[:100]
    form = OneTapForm()
    if form.validate_on_submit():
        scan = Scan(registration_id=form.registration_id.data, nonce=form.nonce.data,
                    method=CheckInMethod.SEARCH, device=device_name())
        try:
            result = check_in(db.session, event_id=event.id, scan=scan, staff=current_user)
        except CheckInError as error:  # the door may have closed since the page was shown
            flash(error.message, "error")
        else:
            name = result.registration.person.display_name
            if result.created:
                flash(_("%(name)sさんを受付しました。", name=name))
            else:
                flash(_("%(name)sさんは受付済みです（%(time)s）。", name=name,
                        time=format_time(result.checked_in_at)), "error")
        return redirect(url_for("checkin.search", event_id=event.id, q=query))
    found = find_at_door(db.session, event_id=event.id, query=query) if query else []
    return render_template("checkin/search.html", event=event, query=query, found=found, urls=door_urls(event),
                           nonce=secrets.token_urlsafe(16))


@bp.route("/events/<int:event_id>/walk-in", methods=["GET", "POST"])
@reception_only
def walk_in(event_id: int):
    event = door_event(event_id, "walk-in")
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            result = admit_walk_in(db.session, event_id=event.id, person=form.person_fields(), staff=current_user,
                                   device=device_name())
        except RegistrationError as error:
            show_at_field(form, FORM_FIELD.get(error.field, error.field), error.message, fallback="name")
        except CheckInError as error:  # the door closed between the page and the form
            return closed_door(event, error)
        else:
            name = result.registration.person.display_name
            if result.created:
                flash(_("%(name)sさんを当日参加として受付しました。", name=name))
            else:
                flash(_("%(name)sさんは申込済みでした。その申込で受付しました。", name=name))
            return redirect(url_for("checkin.scanner", event_id=event.id))
    status = 422 if form.errors else 200
    return render_template("checkin/walk_in.html", event=event, form=form, urls=door_urls(event)), status


@sw_bp.route("/sw.js")
@public
def service_worker():
    """The scanner's service worker, served from the root so that it may control /checkin/."""
    script = Path(current_app.static_folder, "js", "sw.js").read_bytes()
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
