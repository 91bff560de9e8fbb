"""Organizer screens of the 評価シート: the sheet of a fiscal year (page, print, CSV, XLSX), the
indicators' form, and one indicator's year: its entered value and its 評価."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Goal, Scene, Series
from ..dates import fiscal_year_label
from ..exports import download
from ..extensions import db
from ..formtools import choices, show_at_field
from ..reports.dashboard import check_year, latest_held_year
from .charts import short_year, trend_chart
from .files import sheet_csv, sheet_xlsx
from .forms import CommentForm, ConfirmForm, IndicatorForm, ValueForm
from .measures import MEASURES
from .service import (
    EvaluationError,
    IndicatorInput,
    delete_indicator,
    delete_value,
    entered_value,
    get_indicator,
    log_export,
    save_comment,
    save_indicator,
    save_value,
)
from .sheet import (
    KIND_LABEL,
    evaluation_sheet,
    indicator_sheet_row,
    plain_number,
    sheet_year_links,
    value_parts,
    value_text,
)

bp = Blueprint("evaluation", __name__, url_prefix="/admin/evaluation")
organizer_only = role_required(Role.ORGANIZER)


@bp.route("/")
@organizer_only
def current():
    """The latest fiscal year that has held events, as the 年度報告 menu opens."""
    return redirect(url_for("evaluation.sheet", year=latest_held_year(db.session)))


@bp.route("/<int:year>")
@organizer_only
def sheet(year: int):
    check_year(year)
    document = evaluation_sheet(db.session, year)
    ticks = [short_year(y) for y in document["years"]]
    charts = {
        row["id"]: trend_chart(row["values"], unit=row["unit"], texts=[value_text(v, row["unit"]) for v in row["values"]],
                               short_years=ticks)
        for row in document["indicators"] if row["measure"]
    }
    return render_template("evaluation/sheet.html", year=year, document=document, charts=charts,
                           value_text=value_text, value_parts=value_parts, kind_label=KIND_LABEL,
                           years=sheet_year_links(db.session, year))


@bp.route("/<int:year>.<any(csv, xlsx):kind>")
@organizer_only
def export(year: int, kind: str):
    check_year(year)
    document = evaluation_sheet(db.session, year)
    log_export(db.session, year=year, user=current_user, format=kind, rows=len(document["indicators"]))
    body = sheet_csv(document) if kind == "csv" else sheet_xlsx(document)
    return download(body, kind=kind, filename=f"evaluation-{year}")


def _indicator_choices(form: IndicatorForm) -> None:
    form.goal.choices = choices((g.code, g.label) for g in db.session.scalars(select(Goal).order_by(Goal.position)))
    form.scene.choices = choices((s.code, s.label) for s in db.session.scalars(select(Scene).order_by(Scene.position)))
    form.series_ids.choices = choices((s.id, s.name) for s in db.session.scalars(select(Series).order_by(Series.id)))
    form.measure.choices = choices([("", _("入力した値のみ（計算しない）")),
                                    *((kind, str(m.label)) for kind, m in MEASURES.items())])


@bp.route("/indicators/new", methods=["GET", "POST"], defaults={"indicator_id": None})
@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@organizer_only
def indicator_form(indicator_id: int | None):
    indicator = get_indicator(db.session, indicator_id) if indicator_id else None
    form = IndicatorForm(obj=indicator)
    _indicator_choices(form)
    if not form.is_submitted() and indicator is not None:
        form.goal.data, form.scene.data = indicator.goal.code, indicator.scene.code
        form.measure.data = indicator.measure or ""
        params = indicator.measure_params or {}
        form.series_ids.data = params.get("series_ids", [])
        form.key.data, form.scope.data = params.get("key", ""), params.get("scope", "series")
        form.survey_key.data = params.get("survey_key", "")
        form.organization_type.data = params.get("organization_type", "")
    if form.validate_on_submit():
        data = IndicatorInput(
            goal=form.goal.data, scene=form.scene.data, name=form.name.data, expected=form.expected.data,
            source=form.source.data, interval_years=form.interval_years.data, base_year=form.base_year.data,
            unit=form.unit.data, target=form.target.data, position=form.position.data or 0,
            measure=form.measure.data or None, params=form.params())
        try:
            saved = save_indicator(db.session, data, indicator=indicator)
            flash(_("評価指標を保存しました。"))
            return redirect(url_for("evaluation.current", _anchor=f"indicator-{saved.id}"))
        except EvaluationError as error:
            db.session.rollback()
            show_at_field(form, error.field, error.message, fallback="name")
    return render_template("evaluation/indicator_form.html", form=form, indicator=indicator,
                           measures=MEASURES), 422 if form.errors else 200


@bp.route("/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@organizer_only
def indicator_delete(indicator_id: int):
    """A confirmation page first; the POST deletes the indicator with its values and 評価."""
    indicator = get_indicator(db.session, indicator_id)
    if ConfirmForm().validate_on_submit():
        delete_indicator(db.session, indicator)
        flash(_("評価指標を削除しました。"))
        return redirect(url_for("evaluation.current"))
    return render_template("evaluation/confirm_delete.html", indicator=indicator, year=None)


@bp.route("/<int:year>/indicators/<int:indicator_id>", methods=["GET"])
@organizer_only
def indicator_year(year: int, indicator_id: int):
    """One indicator in one year: the value shown on the sheet, the form to enter one, the 評価."""
    check_year(year)
    indicator = get_indicator(db.session, indicator_id)
    return _year_page(year, indicator, _value_form(indicator, year), None)


def _value_form(indicator, year: int) -> ValueForm:
    """The entered value's form, filled with the stored one (its figure written plainly: 37.6)."""
    stored = entered_value(db.session, indicator, year)
    form = ValueForm(obj=stored)
    if stored is not None and not form.is_submitted():
        form.value.data = str(plain_number(stored.value))
    return form


def _year_page(year: int, indicator, value_form: ValueForm, comment_form: CommentForm | None, status: int = 200):
    row = indicator_sheet_row(db.session, indicator, year)
    shown = row["values"][-1]
    comment_form = comment_form or CommentForm(text=shown["comment"])
    return render_template("evaluation/indicator_year.html", year=year, indicator=indicator, row=row, shown=shown,
                           entered=shown["entered"], value_form=value_form, comment_form=comment_form,
                           text=value_text(shown, row["unit"]), kind_label=KIND_LABEL,
                           label=fiscal_year_label(year)), status


@bp.route("/<int:year>/indicators/<int:indicator_id>/value", methods=["POST"])
@organizer_only
def value_save(year: int, indicator_id: int):
    check_year(year)
    indicator = get_indicator(db.session, indicator_id)
    form = ValueForm()
    if form.validate_on_submit():
        try:
            save_value(db.session, indicator, year, value=form.value.data, n=form.n.data, d=form.d.data,
                       taken_on=form.taken_on.data, source_note=form.source_note.data, user=current_user)
            flash(_("値を保存しました。"))
            return redirect(url_for("evaluation.sheet", year=year, _anchor=f"indicator-{indicator.id}"))
        except EvaluationError as error:
            db.session.rollback()
            show_at_field(form, error.field, error.message, fallback="value")
    return _year_page(year, indicator, form, None, 422)


@bp.route("/<int:year>/indicators/<int:indicator_id>/value/delete", methods=["GET", "POST"])
@organizer_only
def value_delete(year: int, indicator_id: int):
    """A confirmation page first; the POST removes the entered value of the year."""
    check_year(year)
    indicator = get_indicator(db.session, indicator_id)
    if ConfirmForm().validate_on_submit():
        delete_value(db.session, indicator, year)
        flash(_("入力した値を削除しました。"))
        return redirect(url_for("evaluation.sheet", year=year, _anchor=f"indicator-{indicator.id}"))
    return render_template("evaluation/confirm_delete.html", indicator=indicator, year=year,
                           entered=entered_value(db.session, indicator, year))


@bp.route("/<int:year>/indicators/<int:indicator_id>/comment", methods=["POST"])
@organizer_only
def comment_save(year: int, indicator_id: int):
    check_year(year)
    indicator = get_indicator(db.session, indicator_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            save_comment(db.session, indicator, year, text=form.text.data or "", user=current_user)
            flash(_("評価を保存しました。"))
            return redirect(url_for("evaluation.sheet", year=year, _anchor=f"indicator-{indicator.id}"))
        except EvaluationError as error:
            db.session.rollback()
            show_at_field(form, error.field, error.message, fallback="text")
    return _year_page(year, indicator, _value_form(indicator, year), form, 422)
