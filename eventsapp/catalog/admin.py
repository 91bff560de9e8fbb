"""Organizer screens for events: create, edit, publish, cancel, and outreach requests turned
into events. The home and the event list, which show registrations and check-ins, are one
floor up (roster/events.py)."""
from datetime import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import fiscal_year_label, to_tokyo
from ..extensions import db
from ..formtools import choices
from .forms import EventForm
from .models import Event, EventFormat, EventStatus, Goal, Initiative, OutreachRequest, Scene, Series
from .service import (
    CatalogError,
    all_series,
    decline_outreach,
    save_event,
    schedule_outreach,
    set_event_status,
)

bp = Blueprint("catalog_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)

OUTREACH_SERIES_NAME = "出前講座"


def get_event_or_404(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length] + "…"


def fill_choices(form: EventForm) -> None:
    series = all_series(db.session)
    form.series_id.choices = choices((s.id, s.name) for s in series)
    form.joint_series_ids.choices = choices((s.id, s.name) for s in series)
    form.goals.choices = choices((g.code, g.label) for g in db.session.scalars(select(Goal).order_by(Goal.position)))
    form.scenes.choices = choices((s.code, s.label) for s in db.session.scalars(select(Scene).order_by(Scene.position)))
    form.area.choices = choices([("", _("（指定なし）"))] + [(a, a) for a in current_app.config["AREAS"]])
    initiatives = db.session.scalars(
        select(Initiative).order_by(Initiative.fiscal_year.desc(), Initiative.position)
    ).all()
    form.initiative_ids.choices = choices(
        (i.id, f"{fiscal_year_label(i.fiscal_year)} {i.scene.label}：{shorten(i.plan, 60)}") for i in initiatives
    )


def prefill_from_series(form: EventForm, series: Series | None) -> None:
    if series is not None:
        form.series_id.data = series.id
        form.goals.data = [g.code for g in series.goals]
        form.scenes.data = [s.code for s in series.scenes]


def prefill_from_event(form: EventForm, event: Event) -> None:
    start, end = to_tokyo(event.starts_at), to_tokyo(event.ends_at)
    form.day.data, form.start_time.data, form.end_time.data = start.date(), start.time(), end.time()
    form.joint_series_ids.data = [s.id for s in event.joint_series]
    form.goals.data = [g.code for g in event.goals]
    form.scenes.data = [s.code for s in event.scenes]
    form.initiative_ids.data = [i.id for i in event.initiatives]
    form.format.data = event.format.value
    form.area.data = event.area or ""
    for name in ("registration_opens_at", "registration_closes_at", "viewing_opens_at", "viewing_closes_at"):
        value = getattr(event, name)
        getattr(form, name).data = to_tokyo(value).replace(tzinfo=None) if value else None


def render_event_form(form: EventForm, *, event: Event | None = None, outreach: OutreachRequest | None = None):
    status = 422 if form.errors else 200
    series_choices = all_series(db.session)
    return render_template(
        "admin/event_form.html", form=form, event=event, outreach=outreach, all_series=series_choices
    ), status


def submit_event_form(form: EventForm, *, event: Event | None, outreach: OutreachRequest | None):
    """Save through the service; its refusals appear at the field they concern."""
    try:
        if outreach is not None:
            saved = schedule_outreach(db.session, outreach, form.to_input())
        else:
            saved = save_event(db.session, form.to_input(), event=event)
    except CatalogError as error:
        db.session.rollback()
        form.show_service_error(error.field, error.message)
        return None
    flash(_("イベントを保存しました。"))
    return redirect(url_for("catalog_admin.event_edit", event_id=saved.id))


@bp.route("/events/new", methods=["GET", "POST"])
@organizer_only
def event_new():
    outreach_id = request.args.get("outreach", "")
    outreach = db.session.get(OutreachRequest, int(outreach_id)) if outreach_id.isdigit() else None
    form = EventForm()
    fill_choices(form)
    if form.validate_on_submit():
        response = submit_event_form(form, event=None, outreach=outreach)
        if response is not None:
            return response
    elif request.method == "GET":
        series_id = request.args.get("series", "")
        series = db.session.get(Series, int(series_id)) if series_id.isdigit() else None
        if outreach is not None:
            series = db.session.scalar(select(Series).where(Series.name == OUTREACH_SERIES_NAME)) or series
            form.title.data = f"出前講座（{outreach.group_name}）"
            form.capacity.data = outreach.expected_count
            form.venue.data = outreach.venue
            form.description.data = outreach.theme
            form.format.data = EventFormat.IN_PERSON.value
            form.start_time.data, form.end_time.data = time(10, 0), time(11, 30)
        prefill_from_series(form, series)
    return render_event_form(form, outreach=outreach)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@organizer_only
def event_edit(event_id: int):
    event = get_event_or_404(event_id)
    form = EventForm(obj=event)
    fill_choices(form)
    if form.validate_on_submit():
        response = submit_event_form(form, event=event, outreach=None)
        if response is not None:
            return response
    elif request.method == "GET":
        prefill_from_event(form, event)
    return render_event_form(form, event=event)


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
@organizer_only
def event_publish(event_id: int):
    return change_status(get_event_or_404(event_id), EventStatus.PUBLISHED, _("公開しました。"))


@bp.route("/events/<int:event_id>/unpublish", methods=["POST"])
@organizer_only
def event_unpublish(event_id: int):
    return change_status(get_event_or_404(event_id), EventStatus.DRAFT, _("下書きに戻しました。"))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@organizer_only
def event_cancel(event_id: int):
    """Cancelling is shown as a confirmation page first; only the POST cancels."""
    event = get_event_or_404(event_id)
    if request.method == "GET":
        return render_template("admin/event_cancel.html", event=event)
    return change_status(event, EventStatus.CANCELLED, _("中止にしました。"))


def change_status(event: Event, status: EventStatus, message: str):
    try:
        set_event_status(db.session, event, status)
        flash(message)
    except CatalogError as error:
        flash(error.message, "error")
    return redirect(url_for("catalog_admin.event_edit", event_id=event.id))


@bp.route("/outreach")
@organizer_only
def outreach_list():
    requests_ = db.session.scalars(select(OutreachRequest).order_by(OutreachRequest.created_at.desc())).all()
    return render_template("admin/outreach.html", requests=requests_)


@bp.route("/outreach/<int:request_id>/decline", methods=["POST"])
@organizer_only
def outreach_decline(request_id: int):
    try:
        decline_outreach(db.session, db.get_or_404(OutreachRequest, request_id))
        flash(_("見送りにしました。"))
    except CatalogError as error:
        flash(error.message, "error")
    return redirect(url_for("catalog_admin.outreach_list"))
