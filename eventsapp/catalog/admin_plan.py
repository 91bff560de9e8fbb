"""Organizer screens for the programme's plan: series, initiatives, goal and scene labels."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import fiscal_year_of, now, parse_fiscal_year
from ..extensions import db
from ..formtools import choices, show_at_field
from .forms import InitiativeForm, SeriesForm
from .models import Audience, Goal, Initiative, Scene, Series
from .service import CatalogError, all_series, rename_tags, save_initiative, save_series

bp = Blueprint("plan_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


def tag_choices(form) -> None:
    """Goal and scene choices, in the city's order; a form has `scenes` or a single `scene`."""
    form.goals.choices = choices((g.code, g.label) for g in db.session.scalars(select(Goal).order_by(Goal.position)))
    scene_field = form.scenes if hasattr(form, "scenes") else form.scene
    scene_field.choices = choices((s.code, s.label) for s in db.session.scalars(select(Scene).order_by(Scene.position)))


def show_error(form, error: CatalogError) -> None:
    db.session.rollback()
    show_at_field(form, error.field, error.message, fallback=next(iter(form)).name)


@bp.route("/series")
@organizer_only
def series_list():
    series = all_series(db.session, with_tags=True)
    return render_template("admin/series_list.html", series=series)


@bp.route("/series/new", methods=["GET", "POST"], defaults={"series_id": None})
@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@organizer_only
def series_form(series_id: int | None):
    series = db.get_or_404(Series, series_id) if series_id else None
    form = SeriesForm(obj=series)
    tag_choices(form)
    if request.method == "GET" and series is not None:
        form.audience.data = series.audience.value
        form.goals.data = [g.code for g in series.goals]
        form.scenes.data = [s.code for s in series.scenes]
    if form.validate_on_submit():
        try:
            save_series(
                db.session,
                name=form.name.data,
                audience=Audience(form.audience.data),
                goals=form.goals.data or [],
                scenes=form.scenes.data or [],
                description=form.description.data or "",
                retention_years=form.retention_years.data,
                series=series,
            )
            flash(_("シリーズを保存しました。"))
            return redirect(url_for("plan_admin.series_list"))
        except CatalogError as error:
            show_error(form, error)
    return render_template("admin/series_form.html", form=form, series=series,
                           default_years=current_app.config["PRIVACY_RETENTION_YEARS"]), 422 if form.errors else 200


@bp.route("/initiatives")
@organizer_only
def initiatives():
    fiscal_year = parse_fiscal_year(request.args.get("fy")) or fiscal_year_of(now())
    rows = db.session.scalars(
        select(Initiative).where(Initiative.fiscal_year == fiscal_year).order_by(Initiative.position)
    ).all()
    years = sorted(set(db.session.scalars(select(Initiative.fiscal_year).distinct())) | {fiscal_year})
    return render_template("admin/initiatives.html", initiatives=rows, fiscal_year=fiscal_year, years=years)


@bp.route("/initiatives/new", methods=["GET", "POST"], defaults={"initiative_id": None})
@bp.route("/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
@organizer_only
def initiative_form(initiative_id: int | None):
    initiative = db.get_or_404(Initiative, initiative_id) if initiative_id else None
    form = InitiativeForm(obj=initiative)
    tag_choices(form)
    if request.method == "GET":
        if initiative is not None:
            form.scene.data = initiative.scene.code
            form.goals.data = [g.code for g in initiative.goals]
        else:
            form.fiscal_year.data = fiscal_year_of(now())
    if form.validate_on_submit():
        try:
            saved = save_initiative(
                db.session,
                fiscal_year=form.fiscal_year.data,
                scene=form.scene.data,
                goals=form.goals.data or [],
                target=form.target.data or "",
                plan=form.plan.data,
                expected_value=form.expected_value.data or "",
                result_note=form.result_note.data or "",
                position=form.position.data,
                initiative=initiative,
            )
            flash(_("取組を保存しました。"))
            return redirect(url_for("plan_admin.initiatives", fy=saved.fiscal_year))
        except CatalogError as error:
            show_error(form, error)
    return render_template("admin/initiative_form.html", form=form, initiative=initiative), 422 if form.errors else 200


@bp.route("/tags", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def tags():
    """Goal and scene labels are data the city may reword; their codes never change."""
    goals = db.session.scalars(select(Goal).order_by(Goal.position)).all()
    scenes = db.session.scalars(select(Scene).order_by(Scene.position)).all()
    error = None
    if request.method == "POST":
        labels = {("goal", g.code): request.form.get(f"goal-{g.code}", "") for g in goals}
        labels |= {("scene", s.code): request.form.get(f"scene-{s.code}", "") for s in scenes}
        try:
            rename_tags(db.session, labels)
            flash(_("名称を保存しました。"))
            return redirect(url_for("plan_admin.tags"))
        except CatalogError as refused:
            error = refused
    return render_template("admin/tags.html", goals=goals, scenes=scenes, error=error), 422 if error else 200
