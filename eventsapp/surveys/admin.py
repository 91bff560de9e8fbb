"""Organizer screens for survey templates and event surveys: the list of templates, the
survey editor (settings, questions, options, order) with the lock on answered surveys."""
from datetime import time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Audience, Event, Series
from ..catalog.service import all_series
from ..dates import FIRST_YEAR, LAST_YEAR, parse_day as parse_iso_day, to_tokyo, tokyo_datetime
from ..extensions import db
from .audiences import is_split
from .editing import (
    OptionInput,
    QuestionInput,
    delete_question,
    ensure_event_survey,
    ensure_templates,
    has_responses,
    move_question,
    save_question,
    save_settings,
)
from .models import OrganizationSurvey, Question, QuestionKind, Survey
from .naming import MAX_NAME_LENGTH, NamingError, named_keys, save_indicator_names
from .results import KIND_LABEL
from .service import SurveyError, closes_at

bp = Blueprint("surveys_admin", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)
BLANK_OPTION_ROWS = 3
INDICATOR_SUGGESTIONS = ("satisfaction", "collaboration", "applicability", "acp_share")


@bp.route("/surveys")
@organizer_only
def templates():
    """The audience defaults and every series' template (created on first view if missing)."""
    defaults, by_series = ensure_templates(db.session, all_series(db.session))
    return render_template("surveys/templates.html", defaults=defaults, by_series=by_series)


@bp.route("/surveys/indicators", methods=["GET", "POST"])
@organizer_only
def indicator_names():
    """Names of the indicator keys, as every report writes them (surveys/naming.py)."""
    error = None
    if request.method == "POST":
        names = {key[len("name-"):]: value for key, value in request.form.items() if key.startswith("name-")}
        try:
            save_indicator_names(db.session, names)
            flash(_("指標の名前を保存しました。"))
            return redirect(url_for("surveys_admin.indicator_names"))
        except NamingError as refused:
            db.session.rollback()
            error = _("%(key)s の名前は%(max)s文字以内で入力してください。", key=refused.key, max=MAX_NAME_LENGTH)
    return render_template("surveys/indicator_names.html", keys=named_keys(db.session), error=error), (
        422 if error else 200
    )


@bp.route("/events/<int:event_id>/survey")
@organizer_only
def event_survey(event_id: int):
    """The event's survey editor; an event made before surveys existed gets its copy now."""
    event = db.get_or_404(Event, event_id)
    return redirect(url_for("surveys_admin.edit", survey_id=ensure_event_survey(db.session, event).id))


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@organizer_only
def edit(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    event = db.session.get(Event, survey.event_id) if survey.event_id else None
    org_survey = db.session.get(OrganizationSurvey, survey.id)  # its closing day is set on its own page
    error = None
    if request.method == "POST":
        try:
            closes = parse_day(request.form.get("closes_on", "")) if event else survey.closes_at if org_survey else None
            save_settings(db.session, survey, title=request.form.get("title", ""), closes_at=closes)
            flash(_("アンケートの設定を保存しました。"))
            return redirect(url_for("surveys_admin.edit", survey_id=survey.id))
        except SurveyError as refused:
            db.session.rollback()
            error = refused.message
    series = db.session.get(Series, survey.series_id) if survey.series_id else None
    return render_template(
        "surveys/edit.html", survey=survey, event=event, series=series, org_survey=org_survey,
        locked=has_responses(db.session, survey),
        by_audience=asks_by_audience(survey),
        closes_at=closes_at(survey, event) if event else None, kinds=KIND_LABEL, error=error,
        closes_on=to_tokyo(survey.closes_at).date().isoformat() if survey.closes_at else "",
    ), 422 if error else 200


def asks_by_audience(survey: Survey) -> bool:
    """Whether the editor offers whom each question is asked: on the survey of an event whose
    series span both audiences (Event.audience None), or one that already asks by audience."""
    event = db.session.get(Event, survey.event_id) if survey.event_id else None
    return is_split(survey) or (event is not None and event.audience is None)


def parse_day(text: str):
    """A closing day typed as YYYY-MM-DD: the survey closes at the end of that Tokyo day."""
    if not text.strip():
        return None
    try:
        day = parse_iso_day(text)
    except ValueError:
        raise SurveyError("date_invalid", "closes_on", first=FIRST_YEAR, last=LAST_YEAR) from None
    return tokyo_datetime(day + timedelta(days=1), time(0, 0)) - timedelta(seconds=1)


def question_input(form) -> QuestionInput:
    """The question form (fixed option rows: code, label, positive) as service input."""
    codes, labels = form.getlist("opt_code"), form.getlist("opt_label")
    positive = set(form.getlist("opt_positive"))
    options = []
    for index, (code, label) in enumerate(zip(codes, labels, strict=False)):
        if code.strip() or label.strip():
            options.append(OptionInput(code=code.strip() or str(index + 1), label=label.strip(),
                                       positive=str(index) in positive))
    kind, audience = form.get("kind", ""), form.get("audience", "")
    return QuestionInput(
        key=form.get("key", ""), text=form.get("text", ""),
        kind=QuestionKind(kind) if kind in set(QuestionKind) else QuestionKind.TEXT,
        required=form.get("required") == "y", indicator=form.get("indicator") or None, options=options,
        audience=Audience(audience) if audience in set(Audience) else None,
    )


def render_question_form(survey: Survey, question: Question | None, data: QuestionInput | None, error: str | None):
    if data is None and question is not None:
        data = QuestionInput(key=question.key, text=question.text, kind=question.kind, required=question.required,
                             indicator=question.indicator, audience=question.audience,
                             options=[OptionInput(code=o.code, label=o.label, positive=o.positive) for o in question.options])
    data = data or QuestionInput(key="", text="", kind=QuestionKind.LIKERT)
    rows = list(data.options) + [OptionInput(code="", label="")] * BLANK_OPTION_ROWS
    return render_template(
        "surveys/question_form.html", survey=survey, question=question, data=data, rows=rows, error=error,
        kinds=KIND_LABEL, suggestions=INDICATOR_SUGGESTIONS, locked=has_responses(db.session, survey),
        by_audience=asks_by_audience(survey), audiences=[None, *Audience],
    ), 422 if error else 200


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@organizer_only
def question_form(survey_id: int, question_id: int | None):
    survey = db.get_or_404(Survey, survey_id)
    question = db.get_or_404(Question, question_id) if question_id else None
    if question is not None and question.survey_id != survey.id:
        return redirect(url_for("surveys_admin.edit", survey_id=survey.id))
    if request.method == "GET":
        return render_question_form(survey, question, None, None)
    data = question_input(request.form)
    try:
        save_question(db.session, survey, data, question=question)
    except SurveyError as error:
        db.session.rollback()
        return render_question_form(survey, question, data, error.message)
    flash(_("設問を保存しました。"))
    return redirect(url_for("surveys_admin.edit", survey_id=survey.id))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@organizer_only
def question_delete(question_id: int):
    question = db.get_or_404(Question, question_id)
    survey_id = question.survey_id
    try:
        delete_question(db.session, question)
        flash(_("設問を削除しました。"))
    except SurveyError as error:
        flash(error.message, "error")
    return redirect(url_for("surveys_admin.edit", survey_id=survey_id))


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@organizer_only
def question_move(question_id: int):
    question = db.get_or_404(Question, question_id)
    move_question(db.session, question, up=request.form.get("direction") == "up")
    return redirect(url_for("surveys_admin.edit", survey_id=question.survey_id))
