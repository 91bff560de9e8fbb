"""The door's screens: the event list, the scanner page (its JavaScript talks to
checkin/api.py), search with one-tap check-in, the 未受付 list, walk-ins, the undo of a
check-in just made, and the organizers' live count.

Search, the 未受付 list, walk-ins and undo are plain forms, so they work on any phone without
JavaScript: a one-tap check-in posts, and the page it came from comes back with the person's
name and an offer to take the check-in back (`done`), for the five minutes undo allows."""
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
from .desk import not_arrived, undo_offer
from .forms import FORM_FIELD, OneTapForm, WalkInForm
from .models import CheckInMethod
from .service import (
    CheckInError,
    Scan,
    admit_walk_in,
    check_in,
    enter_door,
    find_at_door,
    live_counts,
    undo_check_in,
)
from .window import check_door_hours, closed_kind, door_window, open_for_listing

bp = Blueprint("checkin", __name__, url_prefix="/checkin")
sw_bp = Blueprint("checkin_sw", __name__)
reception_only = role_required(Role.RECEPTION)
RECENT = timedelta(days=7)  # organizers' door list: events that ended up to a week ago
# The pages a door form may send staff back to (never a URL from the request: no open redirect).
BACK_TO = {"scanner": "checkin.scanner", "search": "checkin.search", "walk_in": "checkin.walk_in",
           "live": "checkin.live"}
bp.record_once(lambda state: check_door_hours(state.app.config))


def event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.status == EventStatus.DRAFT:
        abort(404)
    return event


def door_event(event_id: int, action: str) -> Event:
    """The event if its door is open to the current user (checkin/service.py open_door); aborts
    with 404 for an unknown event, and outside the door's hours with 403 and a page saying
    when the door opens or that it has closed (the refusal is stored)."""
    try:
        return enter_door(db.session, event_id=event_id, staff=current_user, action=action, device=device_name())
    except CheckInError as error:
        if error.code == "unknown_event":
            abort(404)
        abort(closed_door(db.session.get(Event, event_id), error))


def closed_door(event: Event, error: CheckInError):
    """The page of a shut door: the event, its date, and the sentence of window.py."""
    kind = closed_kind(door_window(event, current_user.role), now())
    page = render_template("checkin/closed.html", event=event, kind=kind, sentence=error.message)
    return make_response(page, 403)


def door_urls(event: Event) -> dict[str, str]:
    """Where the scanner page's script sends and fetches (docs/architecture.md, *JSON API*, and
    checkin/api.py)."""
    api = f"/api/v1/events/{event.id}"
    return {
        "checkin": f"{api}/checkins", "tickets": f"{api}/tickets", "counts": f"{api}/checkin-counts",
        "undo": f"{api}/checkins/undo", "search": url_for("checkin.search", event_id=event.id),
        "walk_in": url_for("checkin.walk_in", event_id=event.id), "live": url_for("checkin.live", event_id=event.id),
        "scanner": url_for("checkin.scanner", event_id=event.id), "tap": url_for("checkin.tap", event_id=event.id),
    }


def back_url(event: Event, back: str | None, **params) -> str:
    """The door page a form came from (scanner when unknown), with its query (q, done)."""
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return url_for(BACK_TO.get(back or "", "checkin.scanner"), event_id=event.id, **params)


def device_name() -> str:
    return request.headers.get("User-Agent", "")[:100]


def done_offer(event: Event):
    """The undo offered for the check-in this page was sent back with (`?done=<受付番号>`)."""
    done = request.args.get("done", type=int)
    return undo_offer(db.session, event_id=event.id, registration_id=done, at=now())


def desk_page(template: str, event: Event, **context):
    """A door page with what every one shows: its links, the counts and the undo on offer."""
    return render_template(template, event=event, urls=door_urls(event), counts=live_counts(db.session, event.id),
                           offer=done_offer(event), number_max_digits=NUMBER_MAX_DIGITS, **context)


def arrivals(event: Event, back: str) -> dict:
    """The 未受付 list and what its one-tap forms need."""
    return {"arrivals": not_arrived(db.session, event.id), "nonce": secrets.token_urlsafe(16), "back": back}


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
    return desk_page("checkin/scanner.html", event, **arrivals(event, "scanner"))


@bp.route("/events/<int:event_id>/live")
@role_required(Role.ORGANIZER)
def live(event_id: int):
    event = event_or_404(event_id)
    return desk_page("checkin/live.html", event, **arrivals(event, "live"))


@bp.route("/events/<int:event_id>/not-arrived")
@reception_only
def not_arrived_list(event_id: int):
    """The 未受付 list alone, for the scanner and live pages to refresh it in place."""
    event = door_event(event_id, "not-arrived")
    back = "live" if request.args.get("back") == "live" else "scanner"
    return render_template("checkin/_not_arrived.html", event=event, urls=door_urls(event), **arrivals(event, back))


def tap_in(event: Event, form: OneTapForm, *, back: str, query: str = ""):
    """Check in the person tapped on a list (method search) and go back to that list, with
    the person's name and the undo on offer; a double tap sends the same nonce: no second row."""
    scan = Scan(registration_id=form.registration_id.data, nonce=form.nonce.data,
                method=CheckInMethod.SEARCH, device=device_name())
    try:
        result = check_in(db.session, event_id=event.id, scan=scan, staff=current_user)
    except CheckInError as error:  # the door may have closed since the page was shown
        flash(error.message, "error")
        return redirect(back_url(event, back, q=query))
    name = result.card["name"]
    if not result.created:
        flash(_("%(name)sさんは受付済みです（%(time)s）。", name=name, time=format_time(result.checked_in_at)), "error")
        return redirect(back_url(event, back, q=query))
    flash(_("%(name)sさんを受付しました。", name=name))
    return redirect(back_url(event, back, q=query, done=result.registration_id))


@bp.route("/events/<int:event_id>/tap", methods=["POST"])
@reception_only
def tap(event_id: int):
    """One tap on the 未受付 list of the scanner or live page (the search page posts to itself)."""
    event = door_event(event_id, "search")
    form = OneTapForm()
    back = request.form.get("back", "scanner")
    if not form.validate_on_submit():  # no 受付番号 or nonce: not a form of ours
        abort(422)
    return tap_in(event, form, back=back)


@bp.route("/events/<int:event_id>/search", methods=["GET", "POST"])
@reception_only
def search(event_id: int):
    """Find a person who has no QR by part of the name or furigana, or by 受付番号; one tap
    checks them in. The form's nonce makes a double tap harmless."""
    event = door_event(event_id, "search")
    query = request.values.get("q", "").strip()[:100]
    form = OneTapForm()
    if form.validate_on_submit():
        return tap_in(event, form, back="search", query=query)
    found = find_at_door(db.session, event_id=event.id, query=query) if query else []
    return desk_page("checkin/search.html", event, query=query, found=found, nonce=secrets.token_urlsafe(16))


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
            if result.already_checked_in:  # as a second tap on a list says it: no new check-in, no undo
                flash(_("%(name)sさんは受付済みです（%(time)s）。", name=name, time=format_time(result.checked_in_at)),
                      "error")
                return redirect(back_url(event, "scanner"))
            if result.created:
                flash(_("%(name)sさんを当日参加として受付しました。", name=name))
            else:
                flash(_("%(name)sさんは申込済みでした。その申込で受付しました。", name=name))
            return redirect(back_url(event, "scanner", done=result.registration.id))
    status = 422 if form.errors else 200
    return desk_page("checkin/walk_in.html", event, form=form), status


@bp.route("/events/<int:event_id>/undo/<int:registration_id>", methods=["GET", "POST"])
@reception_only
def undo(event_id: int, registration_id: int):
    """Take back a check-in made at this desk: a confirmation page, then the undo itself
    (checkin/service.py undo_check_in: its time rule, logged), back to the page it came from."""
    back, query = request.values.get("back", "scanner"), request.values.get("q", "")[:100]
    event = door_event(event_id, f"undo #{registration_id}")
    offer = undo_offer(db.session, event_id=event.id, registration_id=registration_id, at=now())
    error = None
    if request.method == "POST":
        try:
            undo_check_in(db.session, event_id=event.id, registration_id=registration_id, staff=current_user)
        except CheckInError as refusal:
            if refusal.code == "outside_checkin_window":
                return closed_door(event, refusal)
            error = refusal
        else:
            name = offer.name if offer else _("受付番号 %(number)s", number=registration_id)
            flash(_("%(name)sさんの受付を取り消しました。", name=name))
            return redirect(back_url(event, back, q=query))
    page = render_template("checkin/undo.html", event=event, urls=door_urls(event), offer=offer, error=error,
                           registration_id=registration_id, back=back, query=query,
                           back_href=back_url(event, back, q=query))
    return page, (error.status if error else 200 if offer else 409)


@sw_bp.route("/sw.js")
@public
def service_worker():
    """The scanner's service worker, served from the root so that it may control /checkin/."""
    script = Path(current_app.static_folder, "js", "sw.js").read_bytes()
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
