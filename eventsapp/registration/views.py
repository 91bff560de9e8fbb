"""Public registration: the form, the person's own ticket page, the calendar file, cancel.

The ticket page is reached by the registration's manage token only; the ticket token
(in the QR) opens nothing by itself."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.roles import public
from ..catalog.ical import calendar_download
from ..catalog.models import Audience, Event, EventStatus
from ..dates import now
from ..exports import send_download
from ..extensions import db, limiter
from ..formtools import show_at_field
from ..links import map_url
from ..people.organizations import known_organizations
from .availability import PublicState, event_with_state, open_modes, public_state
from .forms import RegistrationForm, fit_to_audience, offer_modes
from .models import Channel, Registration, RegistrationMode, RegistrationStatus
from .online import join_url_on_page, join_url_shown_from
from .service import RegistrationError, cancel, person_field_errors, register, resend_ticket
from .tickets import qr_svg, ticket_card_png

bp = Blueprint("registration", __name__)

# Refusals that mean the form should no longer be served, not that a field is wrong.
CLOSING_CODES = {"event_cancelled", "event_not_published", "registration_not_open", "registration_closed", "full"}


def get_registration_or_404(manage_token: str) -> Registration:
    """The registration of a manage token; a tampered or unknown token is a 404."""
    if not 20 <= len(manage_token) <= 64:
        abort(404)
    registration = db.session.scalar(select(Registration).where(Registration.manage_token == manage_token))
    if registration is None:
        abort(404)
    return registration


def get_open_event_or_404(event_id: int) -> tuple[Event, PublicState]:
    """An event the public may see, with its public state (one query); drafts do not exist
    for the public (404)."""
    found = event_with_state(db.session, event_id)
    if found is None or found[0].status == EventStatus.DRAFT:
        abort(404)
    return found


def chosen_audience(event: Event) -> Audience | None:
    """Whom the form is for: the event's audience, or at a joint event of both audiences the
    answer to the first question (`?audience=`); None while it is unanswered."""
    if event.audience is not None:
        return event.audience
    answer = request.args.get("audience", "")
    return Audience(answer) if answer in set(Audience) else None


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
@public
def register_form(event_id: int):
    """The form of an event that takes registrations; otherwise a page that says why."""
    event, state = get_open_event_or_404(event_id)
    channel = request.args.get("ch")
    modes = open_modes(event, state)
    if not modes:
        if request.method == "GET":
            return render_template("registration/closed.html", event=event, state=state)
        refusal = state.refusal  # a form posted after it closed: say so, not under a field
        return render_template("registration/closed.html", event=event, state=state, message=refusal.message), refusal.status
    audience = chosen_audience(event)
    if audience is None:
        return render_template("registration/audience.html", event=event, channel=channel), 422 if request.method == "POST" else 200
    form = fit_to_audience(RegistrationForm(), audience)
    offer_modes(form, modes)
    if request.method == "GET" and channel in set(Channel):
        form.channel.data = channel  # the link's channel, preselected
    if form.validate_on_submit():
        try:
            result = register(db.session, event_id=event.id, person=form.person_fields(),
                              mode=RegistrationMode(form.mode.data), channel=form.chosen_channel(channel))
        except RegistrationError as error:
            if error.code in CLOSING_CODES:  # the event closed or filled up while the person typed
                return render_template("registration/closed.html", event=event, state=public_state(db.session, event),
                                       message=error.message), error.status
            show_at_field(form, error.field, error.message, fallback="family_name")
        else:
            if not result.created:
                return render_template("registration/already.html", event=event)
            return redirect(url_for("registration.ticket", manage_token=result.registration.manage_token))
    elif form.is_submitted():  # the form's own errors, and beside them what the service would refuse next
        for error in person_field_errors(form.person_fields(), public=True):
            if error.field in form and not form[error.field].errors:
                show_at_field(form, error.field, error.message, fallback="family_name")
    organizations = known_organizations(db.session) if "organization" in form else []
    return render_template("registration/form.html", form=form, event=event, state=state, audience=audience,
                           organizations=organizations, channel=channel), 422 if form.errors else 200


@bp.route("/r/<manage_token>")
@public
def ticket(manage_token: str):
    registration = get_registration_or_404(manage_token)
    event = registration.event
    return render_template(
        "registration/ticket.html", registration=registration, event=event, qr=qr_svg(registration.ticket_token),
        join_url=join_url_on_page(registration, moment=now()), join_url_from=join_url_shown_from(event),
        map_url=map_url(event.venue_address) if event.venue_address else "",
    )


@bp.route("/r/<manage_token>/ticket.png")
@public
def ticket_card(manage_token: str):
    """The ticket as an image to save or print (QR code and 受付番号): for people without
    e-mail above all, whose only copy is this page. Only a live ticket for a venue has one."""
    registration = get_registration_or_404(manage_token)
    if registration.status != RegistrationStatus.REGISTERED or not registration.has_door_ticket:
        abort(404)
    return send_download(ticket_card_png(registration.ticket_token, registration.id),
                         download_name=f"ticket-{registration.id}.png", mimetype="image/png")


@bp.route("/r/<manage_token>/calendar.ics")
@public
def ticket_ics(manage_token: str):
    """The event for the person's calendar; a cancelled registration has none to offer (404)."""
    registration = get_registration_or_404(manage_token)
    if registration.status == RegistrationStatus.CANCELLED:
        abort(404)
    return calendar_download([registration.event], registration.event.title, f"event-{registration.event_id}.ics")


@bp.route("/r/<manage_token>/cancel", methods=["GET", "POST"])
@public
def cancel_own(manage_token: str):
    """The person cancels their own registration, after a confirmation page."""
    registration = get_registration_or_404(manage_token)
    if request.method == "GET" or registration.status == RegistrationStatus.CANCELLED:
        return render_template("registration/cancel.html", registration=registration, event=registration.event)
    try:
        cancel(db.session, registration_id=registration.id)
        flash(_("キャンセルを受け付けました。"))
    except RegistrationError as error:
        flash(error.message, "error")
    return redirect(url_for("registration.ticket", manage_token=manage_token))


@bp.route("/r/<manage_token>/resend", methods=["POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"])
@public
def resend(manage_token: str):
    registration = get_registration_or_404(manage_token)
    if resend_ticket(db.session, registration=registration):
        flash(_("ご登録のメールアドレスに参加票を再送しました。"))
    else:
        flash(_("メールアドレスの登録がないため、再送できません。"), "error")
    return redirect(url_for("registration.ticket", manage_token=manage_token))
