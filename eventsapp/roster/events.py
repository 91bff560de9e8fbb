"""The organizer's home and event list (under /admin/): each event with 申込/定員, 受付済み and
回答, and the ways to its registration list, door, 集計表 and survey results.

Here rather than in catalog/ because the numbers come from registrations, check-ins and
surveys, which the catalogue may not read; the catalogue's own screens stay in catalog/admin.py."""
from flask import Blueprint, render_template, request
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event, OutreachRequest, OutreachStatus
from ..catalog.service import list_events
from ..dates import fiscal_year_of, now, parse_fiscal_year
from ..extensions import db
from .counts import event_counts

bp = Blueprint("roster_events", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/")
@organizer_only
def index():
    upcoming = list_events(db.session, upcoming=True)
    outreach = db.session.scalars(
        select(OutreachRequest).where(OutreachRequest.status == OutreachStatus.NEW).order_by(OutreachRequest.created_at)
    ).all()
    return render_template("admin/index.html", upcoming=upcoming, outreach=outreach,
                           counts=event_counts(db.session, [e.id for e in upcoming]))


@bp.route("/events")
@organizer_only
def events():
    fiscal_year = parse_fiscal_year(request.args.get("fy")) or fiscal_year_of(now())
    years = sorted(set(db.session.scalars(select(Event.fiscal_year).distinct())) | {fiscal_year_of(now())})
    listed = list_events(db.session, fiscal_year=fiscal_year)
    return render_template("admin/events.html", events=listed, fiscal_year=fiscal_year, years=years,
                           counts=event_counts(db.session, [e.id for e in listed]))
