"""Whom a joint event's survey asks what (docs/architecture.md, *Joint surveys*).

A joint event of a professionals' and a citizens' series asks each audience its own
questions (Question.audience; None: everyone). These functions say which questions a
respondent is asked and who the respondent is; surveys/service.py check_answers enforces
it on every way in.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..catalog.models import Audience
from ..people.professions import works_in_care
from ..registration.models import Registration
from .models import Question, Survey

# Whom a question is asked, as the editor, the paper sheet, the results and refusals name it.
ASKED_OF = {
    None: _l("全員"),
    Audience.PROFESSIONALS: _l("医療・介護の仕事をされている方"),
    Audience.CITIZENS: _l("医療・介護の仕事をされていない方"),
}
# The answers to 「医療・介護の仕事をされていますか」 that a form or a file may carry: the audience
# codes, and はい / いいえ as a form tool writes them.
AUDIENCE_ANSWERS = {"professionals": Audience.PROFESSIONALS, "citizens": Audience.CITIZENS,
                    "はい": Audience.PROFESSIONALS, "いいえ": Audience.CITIZENS}


def is_split(survey: Survey) -> bool:
    """Whether the survey asks each audience its own questions (a joint event's)."""
    return any(question.audience is not None for question in survey.questions)


def asked(question: Question, audience: Audience | None) -> bool:
    """Whether a respondent of that audience (None: not known) is asked the question."""
    return question.audience is None or question.audience == audience


def questions_for(survey: Survey, audience: Audience | None) -> list[Question]:
    """The questions a respondent of that audience is asked, in order; with no audience
    known, every question (paper entry shows the whole sheet)."""
    if audience is None:
        return list(survey.questions)
    return [question for question in survey.questions if asked(question, audience)]


def registration_audience(registration: Registration | None) -> Audience | None:
    """The audience a registration's person belongs to by their 職種; None when it says nothing."""
    works = works_in_care(registration.person.profession) if registration is not None else None
    return None if works is None else Audience.PROFESSIONALS if works else Audience.CITIZENS


def respondent_audience(session: Session, survey: Survey, answers, *, declared: Audience | None,
                        registration_id: int | None) -> Audience | None:
    """Which questions a respondent was asked, on a survey that asks each audience its own:
    their answer to 「医療・介護の仕事をされていますか」 (declared), else their registration's
    職種, else the one audience whose questions they answered; None when nothing tells (or
    the answers touch both, which check_answers refuses). Always None on other surveys."""
    if not is_split(survey):
        return None
    if declared is not None:
        return declared
    if registration_id is not None and 0 < registration_id < 2**31:
        from_registration = registration_audience(session.get(Registration, registration_id))
        if from_registration is not None:
            return from_registration
    keys = answers if isinstance(answers, dict) else {}  # a malformed mapping is check_answers' to refuse
    answered = {q.audience for q in survey.questions if q.audience is not None and q.key in keys}
    return answered.pop() if len(answered) == 1 else None
