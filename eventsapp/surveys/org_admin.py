"""Organizer screens of surveys of organizations: the list, a new survey and its settings,
sending (after a confirmation), the paper letters to print, paper entry with the keyboard,
and the results with their export. The questions are edited in the surveys' own editor."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.roles import role_required
from ..dates import fiscal_year_of, now, to_tokyo
from ..exports import table_download
from ..extensions import db
from ..people.models import Organization
from ..people.organizations import ORGANIZATION_TYPES, format_code
from ..registration.tickets import qr_svg
from .admin import parse_day
from .forms import answers_from_form
from .indicators import indicator_names
from .models import Response as SurveyResponse, ResponseSource
from .org_mailing import letters_of, send_org_survey, sending_plan
from .org_results import RESULTS_HEADER, UNSET_TYPE, org_results, result_rows
from .org_service import (
    OrgSurveyInput,
    correct_org_response,
    create_org_survey,
    delete_org_response,
    find_addressee,
    list_org_surveys,
    load_org_survey,
    submit_org_response,
    typed_org_sheets,
    update_org_survey,
)
from .results import SOURCE_LABEL
from .service import SurveyError, answers_of

bp = Blueprint("orgsurveys_admin", __name__, url_prefix="/admin/org-surveys")
organizer_only = role_required(Role.ORGANIZER)


def survey_input(form) -> OrgSurveyInput:
    """The settings form as service input; a year that is not a number is left for the
    service to refuse."""
    year = form.get("fiscal_year", "").strip()
    return OrgSurveyInput(title=form.get("title", ""), fiscal_year=int(year) if year.isascii() and year.isdigit() else None,
                          organization_types=form.getlist("organization_types"),
                          closes_at=parse_day(form.get("closes_on", "")))


def render_settings(org_survey, data: OrgSurveyInput, error: str | None, *, earlier=()):
    return render_template(
        "orgsurveys/settings.html", org_survey=org_survey, data=data, error=error, types=ORGANIZATION_TYPES,
        earlier=earlier, closes_on=to_tokyo(data.closes_at).date().isoformat() if data.closes_at else "",
        plan=sending_plan(db.session, org_survey) if org_survey else None,
    ), 422 if error else 200


@bp.route("")
@organizer_only
def index():
    return render_template("orgsurveys/index.html", rows=list_org_surveys(db.session))


@bp.route("/new", methods=["GET", "POST"])
@organizer_only
def new():
    """A new survey: the default questions (seed 000's office survey) or an earlier one's."""
    earlier = [row[0] for row in list_org_surveys(db.session)]
    if request.method == "GET":
        data = OrgSurveyInput(title=_("居宅介護支援事業所アンケート"), fiscal_year=fiscal_year_of(now()),
                              organization_types=["居宅介護支援事業所"])
        return render_settings(None, data, None, earlier=earlier)
    copy_from = request.form.get("copy_from", "")
    try:
        data = survey_input(request.form)
        org_survey = create_org_survey(db.session, data, copy_from=int(copy_from) if copy_from.isdigit() else None)
    except SurveyError as error:
        db.session.rollback()
        return render_settings(None, OrgSurveyInput(title=request.form.get("title", ""), fiscal_year=None,
                                                    organization_types=request.form.getlist("organization_types")),
                               error.message, earlier=earlier)
    flash(_("アンケートを作成しました。設問を確かめてから送付してください。"))
    return redirect(url_for("orgsurveys_admin.settings", survey_id=org_survey.survey_id))


@bp.route("/<int:survey_id>", methods=["GET", "POST"])
@organizer_only
def settings(survey_id: int):
    org_survey = load_org_survey(db.session, survey_id)
    survey = org_survey.survey
    data = OrgSurveyInput(title=survey.title, fiscal_year=org_survey.fiscal_year,
                          organization_types=list(org_survey.organization_types), closes_at=survey.closes_at)
    if request.method == "GET":
        return render_settings(org_survey, data, None)
    try:
        update_org_survey(db.session, org_survey, survey_input(request.form))
    except SurveyError as error:
        db.session.rollback()
        return render_settings(load_org_survey(db.session, survey_id), data, error.message)
    flash(_("設定を保存しました。"))
    return redirect(url_for("orgsurveys_admin.settings", survey_id=survey_id))


@bp.route("/<int:survey_id>/send", methods=["GET", "POST"])
@organizer_only
def send(survey_id: int):
    """What sending will do, then (POST) address the offices and queue the mails."""
    org_survey = load_org_survey(db.session, survey_id)
    if request.method == "GET":
        return render_template("orgsurveys/send.html", org_survey=org_survey, plan=sending_plan(db.session, org_survey))
    summary = send_org_survey(db.session, survey_id=survey_id, user=current_user)
    flash(_("送付先に%(addressed)s事業所を加え、%(mailed)s事業所にメールを送りました。メールのない%(paper)s事業所には依頼状を印刷してください。",
            addressed=summary.addressed, mailed=summary.mailed, paper=summary.without_email))
    return redirect(url_for("orgsurveys_admin.settings", survey_id=survey_id))


@bp.route("/<int:survey_id>/letters")
@organizer_only
def letters(survey_id: int):
    """One A4 letter per office, with its link's QR code and its 事業所コード: by default the
    offices without a contact address that have not answered (`?all=1`: every addressee)."""
    org_survey = load_org_survey(db.session, survey_id)
    every = request.args.get("all") == "1"
    pages = [{**context, "qr": qr_svg(context["survey_url"])}
             for context in letters_of(db.session, org_survey, every=every)]
    return render_template("orgsurveys/letters.html", org_survey=org_survey, pages=pages, every=every)


def render_entry(org_survey, *, answers: dict, errors: dict, who: str, response=None):
    code = errors.pop("_code", "")
    return render_template(
        "orgsurveys/paper.html", org_survey=org_survey, survey=org_survey.survey, answers=answers, errors=errors,
        who=who, response=response, recent=typed_org_sheets(db.session, org_survey.survey_id), sources=SOURCE_LABEL,
        results=org_results(db.session, org_survey),
    ), (409 if code == "organization_answered" else 422) if errors else 200


def refusal(error: SurveyError) -> dict:
    return {error.field or "_form": error.message, "_code": error.code}


@bp.route("/<int:survey_id>/paper", methods=["GET", "POST"])
@organizer_only
def paper(survey_id: int):
    """Type one office's paper sheet per submission (the fast entry of event surveys): the
    office by its 事業所コード or name; blanks allowed, the closing date does not apply."""
    org_survey = load_org_survey(db.session, survey_id)
    if request.method == "GET":
        return render_entry(org_survey, answers={}, errors={}, who="")
    answers, who = answers_from_form(org_survey.survey, request.form), request.form.get("organization", "")
    try:
        addressee = find_addressee(db.session, survey_id, who)
        submit_org_response(db.session, survey_id=survey_id, organization_id=addressee.organization_id,
                            answers=answers, source=ResponseSource.PAPER, entered_by_id=current_user.id)
    except SurveyError as error:
        db.session.rollback()
        return render_entry(load_org_survey(db.session, survey_id), answers=answers, errors=refusal(error), who=who)
    flash(_("保存しました（%(name)s）。", name=addressee.organization.name))
    return redirect(url_for("orgsurveys_admin.paper", survey_id=survey_id))


@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
@organizer_only
def correct(response_id: int):
    """Correct a typed sheet of a survey of organizations (an office's own answer stays)."""
    response = db.get_or_404(SurveyResponse, response_id)
    org_survey = load_org_survey(db.session, response.survey_id)
    organization = db.session.get(Organization, response.organization_id) if response.organization_id else None
    who = format_code(organization.code) if organization else ""
    if request.method == "GET":
        return render_entry(org_survey, answers=answers_of(db.session, response), errors={}, who=who, response=response)
    answers, who = answers_from_form(org_survey.survey, request.form), request.form.get("organization", "")
    try:
        addressee = find_addressee(db.session, org_survey.survey_id, who)
        correct_org_response(db.session, response_id=response_id, answers=answers,
                             organization_id=addressee.organization_id, entered_by_id=current_user.id)
    except SurveyError as error:
        db.session.rollback()
        return render_entry(load_org_survey(db.session, response.survey_id), answers=answers, errors=refusal(error),
                            who=who, response=db.session.get(SurveyResponse, response_id))
    flash(_("回答 No.%(id)s を修正しました。", id=response_id))
    return redirect(url_for("orgsurveys_admin.paper", survey_id=org_survey.survey_id))


@bp.route("/responses/<int:response_id>/delete", methods=["POST"])
@organizer_only
def delete(response_id: int):
    survey_id = delete_org_response(db.session, response_id=response_id)
    flash(_("回答 No.%(id)s を削除しました。", id=response_id))
    return redirect(url_for("orgsurveys_admin.paper", survey_id=survey_id))


@bp.route("/<int:survey_id>/results")
@organizer_only
def results(survey_id: int):
    org_survey = load_org_survey(db.session, survey_id)
    return render_template("orgsurveys/results.html", org_survey=org_survey, unset=UNSET_TYPE,
                           results=org_results(db.session, org_survey), names=indicator_names(db.session),
                           sources=SOURCE_LABEL)


@bp.route("/<int:survey_id>/results.<any(csv, xlsx):kind>")
@organizer_only
def export(survey_id: int, kind: str):
    """The results as a table (offices' names only, no person's data)."""
    org_survey = load_org_survey(db.session, survey_id)
    rows = result_rows(org_results(db.session, org_survey), indicator_names(db.session))
    return table_download(RESULTS_HEADER, rows, kind=kind, filename=f"org-survey-{survey_id}", title="集計")
