"""Reading a survey form (public page and paper entry) into the answer mapping of
service.check_answers. The questions are data, so the form is built from them rather than
declared as a WTForms class; CSRF is checked app-wide (auth.roles.protect_from_csrf)."""

from werkzeug.datastructures import MultiDict

from ..registration.numbers import parse_registration_number
from .models import QuestionKind, Survey

PREFIX = "q_"
# The keys that pick a question's n-th option on the paper-entry page: 1–9, 0, then a–z, so
# that the fourteen 職種 all have one (static/js/surveys-paper.js reads them from the form).
PAPER_KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"


def field_name(key: str) -> str:
    return PREFIX + key


def answers_from_form(survey: Survey, form: MultiDict) -> dict:
    """{key: code | [codes] | text} for the questions the form answered; blanks are absent.
    Values are not checked here: check_answers refuses what the survey does not offer."""
    answers: dict = {}
    for question in survey.questions:
        name = field_name(question.key)
        if question.kind == QuestionKind.MULTIPLE:
            values = [v for v in form.getlist(name) if v]
            if values:
                answers[question.key] = values
        else:
            value = form.get(name, "")
            if value.strip():
                answers[question.key] = value
    return answers


def registration_number(text: str) -> int | None:
    """A 受付番号 as typed (full-width digits too); None when blank. ValueError otherwise."""
    if not (text or "").strip():
        return None
    number = parse_registration_number(text)
    if number is None:
        raise ValueError(text)
    return number
