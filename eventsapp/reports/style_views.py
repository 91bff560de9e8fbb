"""The organizer's screen of how the yearly report writes each series' events:
the survey indicators after each event line, the new share, 参加者 or 委員. The settings
are the catalogue's (catalog/report_settings.py); the indicator names are surveys'."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import PARTICIPANT_LABELS, Series
from ..catalog.report_settings import save_series_report_style
from ..catalog.service import CatalogError, all_series
from ..extensions import db
from ..surveys.naming import named_keys

bp = Blueprint("report_styles", __name__, url_prefix="/admin/reports")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/series-styles")
@organizer_only
def index():
    keys = named_keys(db.session)
    return render_template("reports/series_styles.html", series=all_series(db.session), keys=keys,
                           participant_labels=PARTICIPANT_LABELS, error_id=None, error=None)


@bp.route("/series/<int:series_id>/style", methods=["POST"])
@organizer_only
def save(series_id: int):
    series = db.get_or_404(Series, series_id)
    form = request.form
    indicators = None if form.get("default") else form.getlist("indicators")
    try:
        save_series_report_style(db.session, series, indicators=indicators, new_share=bool(form.get("new_share")),
                                 participant_label=form.get("participant_label", ""))
    except CatalogError as error:
        db.session.rollback()
        return render_template("reports/series_styles.html", series=all_series(db.session),
                               keys=named_keys(db.session), participant_labels=PARTICIPANT_LABELS, error_id=series.id,
                               error=error.message), 422
    flash(_("%(name)sの書き方を保存しました。", name=series.name))
    return redirect(url_for("report_styles.index", _anchor=f"series-{series.id}"))
