"""Public pages of surveys of organizations: the office's personal link (/os/<token>, mailed
or printed as a QR code on the letter) and the code page (/o), where an office without
e-mail types the 事業所コード of its paper letter and is taken to its own link.

Phone first and without JavaScript, like the event surveys' pages; the same rate limit on
every POST, which also bounds guessing at codes."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ..auth.roles import public
from ..extensions import db, limiter
from .forms import answers_from_form
from .models import ResponseSource
from .org_service import (
    invitation_by_token,
    invitations_by_code,
    is_open,
    load_org_survey,
    organization_answer,
    submit_org_response,
)
from .service import SurveyError

bp = Blueprint("orgsurveys", __name__)
RATE_LIMIT = limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])


@bp.route("/os/<token>", methods=["GET", "POST"])
@RATE_LIMIT
@public
def personal(token: str):
    """The office's own link: answered once, for the office, while the survey is open."""
    invitation = invitation_by_token(db.session, token)
    if invitation is None:
        abort(404)
    org_survey = load_org_survey(db.session, invitation.survey_id)
    organization, survey = invitation.organization, org_survey.survey
    context = dict(survey=survey, organization=organization)
    if organization_answer(db.session, survey.id, organization.id) is not None:
        return render_template("orgsurveys/already.html", **context), 409 if request.method == "POST" else 200
    if not is_open(survey):
        return render_template("orgsurveys/closed.html", **context), 410
    answers, errors, status = {}, {}, 200
    if request.method == "POST":
        answers = answers_from_form(survey, request.form)
        try:
            submit_org_response(db.session, survey_id=survey.id, organization_id=organization.id, answers=answers,
                                source=ResponseSource.LINK)
        except SurveyError as error:
            if error.code in ("organization_answered", "closed"):
                page = "already" if error.code == "organization_answered" else "closed"
                return render_template(f"orgsurveys/{page}.html", **context), error.status
            errors[error.field or "_form"], status = error.message, error.status
        else:
            return redirect(url_for("surveys.thanks"))
    return render_template("orgsurveys/form.html", answers=answers, errors=errors, **context), status


@bp.route("/o", methods=["GET", "POST"])
@RATE_LIMIT
@public
def by_code():
    """The 事業所コード printed on a paper letter leads to the office's own link; a wrong or
    unknown code gets one message whatever the reason."""
    error, found, status = None, None, 200
    if request.method == "POST":
        try:
            found = invitations_by_code(db.session, request.form.get("code", "")[:40])
        except SurveyError as refused:
            error, status = refused.message, refused.status
        else:
            if len(found) == 1:
                return redirect(url_for("orgsurveys.personal", token=found[0].token))
    surveys = [(invitation, load_org_survey(db.session, invitation.survey_id).survey) for invitation in found or []]
    return render_template("orgsurveys/code.html", error=error, surveys=surveys, searched=found is not None,
                           code=request.form.get("code", "")[:40]), status
