"""Views of the viewing pages over a fiscal year: the evaluation sheet's オンデマンド配信閲覧数.

The event summaries count the same visits per event (reports/summary.py, on_demand_views);
this is their total over the fiscal year's events, which the sheet asks for without
building every summary."""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..catalog.models import Event, EventStatus, event_joint_series
from ..registration.models import Registration
from .models import Viewing


def on_demand_views(session: Session, *, fiscal_year: int, series_id: int | None = None) -> dict[str, int]:
    """{viewers, views} of the fiscal year's events (neither drafts nor cancelled, as the
    fiscal-year report takes them), of one series when series_id is given (primary or
    joint). viewers: registrants who opened their page, once per event (延べ, as the report's
    totals add the events' viewers); views: every visit. One query."""
    events = select(Event.id).where(
        Event.fiscal_year == fiscal_year, Event.status.not_in([EventStatus.DRAFT, EventStatus.CANCELLED])
    )
    if series_id is not None:
        joint = select(event_joint_series.c.event_id).where(event_joint_series.c.series_id == series_id)
        events = events.where(or_(Event.series_id == series_id, Event.id.in_(joint)))
    per_person = (
        select(Registration.event_id, Registration.person_id, func.sum(Viewing.views).label("views"))
        .join(Viewing, Viewing.registration_id == Registration.id)
        .where(Registration.event_id.in_(events), Viewing.views > 0)
        .group_by(Registration.event_id, Registration.person_id)
        .subquery("viewers")
    )
    viewers, views = session.execute(select(func.count(), func.sum(per_person.c.views)).select_from(per_person)).one()
    return {"viewers": int(viewers or 0), "views": int(views or 0)}
