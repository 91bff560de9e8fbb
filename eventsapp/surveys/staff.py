"""Organizer screens around an event's survey: paper entry (keyboard-fast, with a running
count and corrections), the form-tool import with preview, the results with their
CSV/XLSX exports, and the venue QR / short link to print."""
import base64
import binascii

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..catalog.service import event_block
from ..exports import table_download
from ..extensions import db
from ..links import public_url
from ..registration.tickets import qr_svg
from .audiences import is_split
from .editing import ensure_event_survey
from .forms import answers_from_form
from .importer import ResponseImportError, import_responses
from .indicators import indicator_names
from .models import Response as SurveyResponse, ResponseSource, Survey
from .results import SOURCE_LABEL, SUMMARY_HEADER, logged_response_table, summary_rows, survey_results
from .service import (
    STAFF_SOURCES,
    SurveyError,
    answers_of,
    correct_response,
    delete_response,
    event_survey,
    find_registration,
    parse_audience,
    submit_response,
)

bp = Blueprint("surveys_staff", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)


def survey_of(event_id: int) -> tuple[Event, Survey]:
    """The event (404 if unknown) and its survey, copied from the template if missing."""
    event = db.get_or_404(Event, event_id)
    ensure_event_survey(db.session, event)
    return event_survey(db.session, event.id)


def typed_sheets(survey: Survey) -> list[SurveyResponse]:
    return list(db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id, SurveyResponse.source.in_(STAFF_SOURCES))
        .order_by(SurveyResponse.id.desc()).limit(20)
    ))


def refusal(error: SurveyError) -> dict:
    return {error.field or "_form": error.message, "_code": error.code}


def count_by(survey: Survey, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse)
                             .where(SurveyResponse.survey_id == survey.id, *conditions))


def render_entry(event: Event, survey: Survey, *, answers: dict, errors: dict, who: str, response=None,
                 audience=None):
    """The paper sheet; a joint event's starts with 「医療・介護の仕事をされていますか」 (`audience`)."""
    return render_template(
        "surveys/paper.html", event=event, survey=survey, answers=answers, errors=errors, who=who, response=response,
        split=is_split(survey), audience=audience,
        recent=typed_sheets(survey), sources=SOURCE_LABEL,
        paper_count=count_by(survey, SurveyResponse.source == ResponseSource.PAPER),
        mine=count_by(survey, SurveyResponse.source == ResponseSource.PAPER,
                      SurveyResponse.entered_by_id == current_user.id),
    ), (409 if "already_answered" in errors.pop("_code", "") else 422) if errors else 200


@bp.route("/events/<int:event_id>/survey/paper", methods=["GET", "POST"])
@organizer_only
def paper(event_id: int):
    """Type one paper sheet per submission; blanks allowed, the closing date does not apply."""
    event, survey = survey_of(event_id)
    if request.method == "GET":
        return render_entry(event, survey, answers={}, errors={}, who="")
    answers, who = answers_from_form(survey, request.form), request.form.get("registration", "")
    audience = None
    try:
        audience = parse_audience(request.form.get("audience", "")[:20])
        registration = find_registration(db.session, event.id, who)
        submit_response(db.session, event_id=event.id, answers=answers, source=ResponseSource.PAPER,
                        registration_id=registration.id if registration else None, entered_by_id=current_user.id,
                        audience=audience)
    except SurveyError as error:
        db.session.rollback()
        return render_entry(event, survey, answers=answers, errors=refusal(error), who=who, audience=audience)
    flash(_("保存しました（紙の回答 %(n)s 件目）。", n=count_by(survey, SurveyResponse.source == ResponseSource.PAPER)))
    return redirect(url_for("surveys_staff.paper", event_id=event.id))


@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
@organizer_only
def correct(response_id: int):
    """Correct a typed or imported sheet (respondents' own answers stay as given)."""
    response = db.get_or_404(SurveyResponse, response_id)
    survey = db.session.get(Survey, response.survey_id)
    if survey.event_id is None:  # a survey of organizations has its own entry (org_admin.correct)
        abort(404)
    event, survey = event_survey(db.session, survey.event_id)
    if request.method == "GET":
        if response.source not in STAFF_SOURCES:
            flash(SurveyError("not_editable").message, "error")
            return redirect(url_for("surveys_staff.paper", event_id=event.id))
        return render_entry(event, survey, answers=answers_of(db.session, response), errors={},
                            who=str(response.registration_id or ""), response=response, audience=response.audience)
    answers, who = answers_from_form(survey, request.form), request.form.get("registration", "")
    audience = None
    try:
        audience = parse_audience(request.form.get("audience", "")[:20])
        registration = find_registration(db.session, event.id, who)
        correct_response(db.session, response_id=response.id, answers=answers,
                         registration_id=registration.id if registration else None, entered_by_id=current_user.id,
                         audience=audience)
    except SurveyError as error:
        db.session.rollback()
        return render_entry(event, survey, answers=answers, errors=refusal(error), who=who,
                            response=db.session.get(SurveyResponse, response_id), audience=audience)
    flash(_("回答 No.%(id)s を修正しました。", id=response_id))
    return redirect(url_for("surveys_staff.paper", event_id=event.id))


@bp.route("/responses/<int:response_id>/delete", methods=["POST"])
@organizer_only
def delete(response_id: int):
    try:
        event_id = delete_response(db.session, response_id=response_id)
    except SurveyError as error:
        flash(error.message, "error")
        return redirect(url_for("surveys_admin.templates"))
    flash(_("回答 No.%(id)s を削除しました。", id=response_id))
    return redirect(url_for("surveys_staff.paper", event_id=event_id))


@bp.route("/events/<int:event_id>/survey/import", methods=["GET", "POST"])
@organizer_only
def import_file(event_id: int):
    """Upload a form tool's CSV, see every line, then import (all or nothing). The preview
    form carries the file back (base64), so nothing is kept between the two steps."""
    event, survey = survey_of(event_id)
    if request.method == "GET":
        return render_template("surveys/import.html", event=event, survey=survey, report=None, split=is_split(survey))
    upload = request.files.get("file")
    try:
        data = upload.read() if upload else base64.b64decode(request.form.get("data", ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    commit = request.form.get("action") == "import" and not upload
    try:
        report = import_responses(db.session, event_id=event.id, data=data, commit=commit, entered_by=current_user)
    except ResponseImportError as error:
        return render_template("surveys/import.html", event=event, survey=survey, report=None, error=error.message,
                               split=is_split(survey)), 422
    if report.committed:
        flash(_("%(n)s件の回答を取り込みました。", n=len(report.rows)))
        return redirect(url_for("surveys_staff.results", event_id=event.id))
    return render_template("surveys/import.html", event=event, survey=survey, report=report,
                           data=base64.b64encode(data).decode("ascii")), 422 if report.rejected else 200


@bp.route("/events/<int:event_id>/survey/results")
@organizer_only
def results(event_id: int):
    event, survey = survey_of(event_id)
    return render_template("surveys/results.html", event=event, results=survey_results(db.session, event, survey),
                           sources=SOURCE_LABEL, names=indicator_names(db.session))


@bp.route("/events/<int:event_id>/survey/<any(summary, responses):what>.<any(csv, xlsx):kind>")
@organizer_only
def export(event_id: int, what: str, kind: str):
    """The summary (counts, shares, indicators) or one row per response; the latter carries
    受付番号, so every such export is logged."""
    event, survey = survey_of(event_id)
    if what == "summary":
        header, rows, title = SUMMARY_HEADER, summary_rows(survey_results(db.session, event, survey)), "集計"
    else:
        (header, rows), title = logged_response_table(db.session, survey, user=current_user, kind=kind), "回答一覧"
    # The XLSX names its event above the table and prints one page wide (the answers across:
    # landscape); the CSV stays one table with the header first, as the import reads it.
    return table_download(header, rows, kind=kind, filename=f"survey-{what}-{event.id}", title=title,
                          preamble=event_block(db.session, event) if kind == "xlsx" else (), fit_to_width=True,
                          landscape=what == "responses")


@bp.route("/events/<int:event_id>/survey/venue")
@organizer_only
def venue(event_id: int):
    """The venue QR code and short link, to print and put on the tables."""
    event, survey = survey_of(event_id)
    url = public_url("surveys.venue", code=survey.venue_code)
    return render_template("surveys/venue.html", event=event, survey=survey, url=url, qr=qr_svg(url))
