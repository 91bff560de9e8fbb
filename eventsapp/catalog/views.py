"""Public pages: the event list, an event's page, calendar feeds, outreach requests.

The list and the event page are kept for anonymous visitors while their data and the clock
leave them as they are (pagecache.py): each reads the data version before any query, and says
until when the clock leaves it unchanged (service.shown_until)."""
from functools import partial

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.roles import public
from ..dates import fiscal_year_of, now, parse_fiscal_year
from ..extensions import db, limiter
from ..pagecache import data_version, public_page
from .forms import OutreachRequestForm
from .ical import calendar_download
from .models import Audience, Event, EventStatus
from .service import all_series, event_fiscal_years, list_events, shown_until, submit_outreach_request
from .signals import event_page_shown, public_states

bp = Blueprint("catalog", __name__)

VISIBLE = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def get_public_event_or_404(event_id: int) -> Event:
    """A published or cancelled event; drafts do not exist for the public (404)."""
    event = db.session.get(Event, event_id)
    if event is None or event.status not in VISIBLE:
        abort(404)
    return event


def int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.route("/")
@public
def index():
    version, moment = data_version(), now()  # the version first: see pagecache.py
    series_id = int_arg("series")
    audience = request.args.get("audience")
    audience = Audience(audience) if audience in set(Audience) else None
    filters = dict(series_id=series_id, audience=audience, statuses=VISIBLE)
    upcoming = list_events(db.session, upcoming=True, **filters)
    past_years = event_fiscal_years(db.session, upcoming=False, **filters)
    fiscal_year = parse_fiscal_year(request.args.get("fy")) or (past_years[0] if past_years else fiscal_year_of(now()))
    past = list_events(db.session, upcoming=False, fiscal_year=fiscal_year, **filters)
    series_choices = all_series(db.session)
    states = public_states(current_app._get_current_object(), session=db.session, events=[*upcoming, *past])
    page = make_response(render_template(
        "catalog/index.html",
        upcoming=upcoming,
        past=past,
        states=states,
        past_years=past_years,
        fiscal_year=fiscal_year,
        all_series=series_choices,
        series_id=series_id,
        audience=audience,
    ))
    until = shown_until([*upcoming, *past], [s.until for s in states.values()], moment)
    return public_page(page, version=version, valid_until=until)


def announce_view(app, event_id: int, environ) -> None:
    """Tell who counts views that an event page was shown (a fresh page or a kept one)."""
    event_page_shown.send(app, event_id=event_id, user_agent=environ.get("HTTP_USER_AGENT", ""),
                          purpose=environ.get("HTTP_SEC_PURPOSE") or environ.get("HTTP_PURPOSE", ""))


@bp.route("/events/<int:event_id>")
@public
def event_detail(event_id: int):
    version, moment = data_version(), now()  # the version first: see pagecache.py
    event = get_public_event_or_404(event_id)
    app = current_app._get_current_object()
    on_view = partial(announce_view, app, event.id)
    if request.method == "GET":  # a HEAD request shows nobody the page
        on_view(request.environ)
    states = public_states(app, session=db.session, events=[event])
    page = make_response(render_template("catalog/event.html", event=event, state=states.get(event.id),
                                         channel=request.args.get("ch")))
    until = shown_until([event], [s.until for s in states.values()], moment)
    return public_page(page, version=version, valid_until=until, on_view=on_view)


@bp.route("/events/<int:event_id>/calendar.ics")
@public
def event_ics(event_id: int):
    event = get_public_event_or_404(event_id)
    return calendar_download([event], event.title, f"event-{event.id}.ics")


@bp.route("/calendar.ics")
@public
def calendar_ics():
    events = list_events(db.session, statuses=(EventStatus.PUBLISHED,))
    return calendar_download(events, _("在宅医療・介護連携 イベント"), "events.ics")


@bp.route("/outreach", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
@public
def outreach_request():
    form = OutreachRequestForm()
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        submit_outreach_request(db.session, **values)
        flash(_("出前講座のお申込みを受け付けました。担当者からご連絡します。"))
        return redirect(url_for("catalog.outreach_thanks"))
    return render_template("catalog/outreach.html", form=form), 422 if form.errors else 200


@bp.route("/outreach/thanks")
@public
def outreach_thanks():
    return render_template("catalog/outreach_thanks.html")
