"""The organizers' summary page of one event (集計表): the numbers of
docs/architecture.md, *Indicators*, with their n/d, the attendees by 職種, organization type
and channel, printable on A4, and its CSV and XLSX exports (aggregates only: no personal data
leaves through them)."""
from flask import Blueprint, render_template
from flask_babel import gettext as _

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..catalog.service import event_block
from ..exports import table_download
from ..extensions import db
from ..registration.roster import CHANNEL_LABEL
from ..surveys.indicators import indicator_names
from .breakdowns import by_channel, by_organization_type, by_profession
from .summary import event_summaries
from .tables import SUMMARY_TABLE_HEADER, event_summary_table

bp = Blueprint("reports_summary", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)
CHANNEL_TEXT = {channel.value: label for channel, label in CHANNEL_LABEL.items()}


def summary_data(event: Event) -> tuple[dict, dict[str, list[tuple[str, int]]]]:
    """The event's summary and its three breakdowns (four fixed queries and three more)."""
    summary = event_summaries(db.session, [event.id])[event.id]
    breakdowns = {
        _("職種"): by_profession(db.session, event.id),
        _("所属機関の種別"): by_organization_type(db.session, event.id),
        _("申込経路"): [(str(CHANNEL_TEXT.get(code, code)), n) for code, n in by_channel(db.session, event.id)],
    }
    return summary, breakdowns


@bp.route("/events/<int:event_id>/summary")
@organizer_only
def event_summary(event_id: int):
    event = db.get_or_404(Event, event_id)
    summary, breakdowns = summary_data(event)
    names = indicator_names(db.session)
    return render_template("reports/summary.html", event=event, summary=summary, breakdowns=breakdowns,
                           indicator_label=lambda key: names.get(key, key))


@bp.route("/events/<int:event_id>/summary.<any(csv, xlsx):kind>")
@organizer_only
def event_summary_export(event_id: int, kind: str):
    event = db.get_or_404(Event, event_id)
    rows = event_summary_table(*summary_data(event), names=indicator_names(db.session))
    return table_download(SUMMARY_TABLE_HEADER, rows, kind=kind, filename=f"summary-{event.id}", title="集計表",
                          preamble=event_block(db.session, event), fit_to_width=True)
