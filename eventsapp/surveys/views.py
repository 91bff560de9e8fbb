"""Public survey pages: the personal link mailed to an attendee (/s/<token>) and the
event's venue short link (/q/<code>, anonymous or with a 受付番号), then a thank-you page.

Phone first and without JavaScript: a plain form of radio buttons, checkboxes and a text
area; refusals come back on the same page with the message at the question. A joint event's
survey that asks each audience its own questions first asks 「医療・介護の仕事をされていますか」
(a plain GET form, `?audience=`) unless the registration's 職種 tells, then shows that set."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth.roles import public
from ..catalog.models import Audience, Event, EventStatus
from ..extensions import db, limiter
from .audiences import is_split, questions_for, registration_audience
from .forms import answers_from_form, registration_number
from .invitations import invitation_by_token
from .models import ResponseSource, Survey
from .service import (
    MAX_LINK_FAILURES,
    SurveyError,
    already_answered,
    closes_at,
    event_survey,
    is_open,
    parse_audience,
    submit_response,
    venue_is_open_yet,
)

bp = Blueprint("surveys", __name__)
RATE_LIMIT = limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])


def survey_page(event: Event, survey: Survey, *, source: ResponseSource, registration_id: int | None,
                allow_number: bool, known_audience: Audience | None = None):
    """The shared GET/POST handling of both links; `known_audience` is the respondent's
    audience when their registration's 職種 tells it."""
    if event.status != EventStatus.PUBLISHED:
        abort(404)
    if registration_id is not None and already_answered(db.session, survey.id, registration_id):
        return render_template("surveys/already.html", event=event), 409 if request.method == "POST" else 200
    if not is_open(survey, event):
        return render_template("surveys/closed.html", event=event), 410
    if source == ResponseSource.VENUE and not venue_is_open_yet(event):
        return render_template("surveys/not_open.html", event=event), 403
    audience = chosen_audience(survey, known_audience)
    if is_split(survey) and audience is None:
        return render_template("surveys/audience.html", event=event), 422 if request.method == "POST" else 200
    errors: dict[str, str] = {}
    answers: dict = {}
    status = 200
    if request.method == "POST":
        answers = answers_from_form(survey, request.form)
        try:
            number, claimed_kana = registration_id, None
            if allow_number:
                number = typed_number(request.form.get("registration", ""))
                claimed_kana = request.form.get("registration_kana", "")[:100] if number is not None else None
            submit_response(db.session, event_id=event.id, answers=answers, source=source, registration_id=number,
                            claimed_kana=claimed_kana, audience=audience)
        except SurveyError as error:
            if error.code == "closed":
                return render_template("surveys/closed.html", event=event), 410
            if error.code == "already_answered" and not allow_number:
                return render_template("surveys/already.html", event=event), 409
            errors[error.field or "_form"] = error.message
            status = error.status
        else:
            return redirect(url_for("surveys.thanks"))
    return render_template(
        "surveys/form.html", event=event, survey=survey, questions=questions_for(survey, audience), answers=answers,
        errors=errors, audience=audience, audience_fixed=known_audience is not None,
        allow_number=allow_number, number=request.form.get("registration", ""),
        number_kana=request.form.get("registration_kana", ""), closes_at=closes_at(survey, event),
        max_link_failures=MAX_LINK_FAILURES,
    ), status


def chosen_audience(survey: Survey, known: Audience | None) -> Audience | None:
    """The respondent's audience on a survey that asks each its own: what their registration
    tells, else their answer to the first question (`audience`, in the query or the form);
    None while unanswered (or on any other survey)."""
    if not is_split(survey):
        return None
    try:
        return known or parse_audience(request.values.get("audience", "")[:20])
    except SurveyError:
        return None


def typed_number(text: str) -> int | None:
    """The 受付番号 typed at the venue link; what is not one gets the answer of any mismatch."""
    try:
        return registration_number(text)
    except ValueError:
        raise SurveyError("link_mismatch", "registration") from None


@bp.route("/s/<token>", methods=["GET", "POST"])
@RATE_LIMIT
@public
def personal(token: str):
    """The attendee's own link: tied to their registration, answered once."""
    invitation = invitation_by_token(db.session, token)
    if invitation is None:
        abort(404)
    event, survey = load(invitation.registration.event_id)
    return survey_page(event, survey, source=ResponseSource.LINK, registration_id=invitation.registration_id,
                       allow_number=False, known_audience=registration_audience(invitation.registration))


@bp.route("/q/<code>", methods=["GET", "POST"])
@RATE_LIMIT
@public
def venue(code: str):
    """The event's venue QR / short link: anyone present may answer, anonymously or with
    their 受付番号 and family-name furigana (which then counts as that registration's one
    response; service.claim_registration caps the failed tries)."""
    if not 4 <= len(code) <= 16:
        abort(404)
    event_id = db.session.scalar(select(Survey.event_id).where(Survey.venue_code == code))
    event, survey = load(event_id)
    return survey_page(event, survey, source=ResponseSource.VENUE, registration_id=None, allow_number=True)


@bp.route("/surveys/thanks")
@public
def thanks():
    return render_template("surveys/thanks.html")


def load(event_id: int | None) -> tuple[Event, Survey]:
    if event_id is None:
        abort(404)
    try:
        return event_survey(db.session, event_id)
    except SurveyError:
        abort(404)
