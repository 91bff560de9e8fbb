"""Survey templates and their editing: the audience defaults, a series' template copied
from them, an event's survey copied from its series, and the lock on answered surveys.

Copies, not references: changing a series template never changes a survey already given
to an event, and an event's survey may be adapted on its own. A joint event gets the
questions of all its series' templates, each key and indicator once (joint_questions); when
its series span both audiences, a question only one template has is asked of that audience
only. Once a survey has answers,
what its questions mean is frozen — text, kind, key, indicator, and every option's code,
label and positive mark — so the stored answers keep meaning what they meant. Still
allowed then: the title, the closing date, the order of questions, the required mark, and
new optional questions.
"""
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog.models import Audience, Event, Series
from .defaults import JOINT_TITLE, TEMPLATES
from .models import Option, Question, QuestionKind, Response, Survey
from .service import SurveyError

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,49}")


@dataclass(kw_only=True)
class OptionInput:
    code: str
    label: str
    positive: bool = False


@dataclass(kw_only=True)
class QuestionInput:
    key: str
    text: str
    kind: QuestionKind
    required: bool = False
    indicator: str | None = None
    audience: Audience | None = None  # whom it is asked; None everyone
    options: list[OptionInput] = field(default_factory=list)


def build_questions(specs: list[dict]) -> list[Question]:
    return [
        Question(
            key=spec["key"], text=spec["text"], kind=QuestionKind(spec["kind"]), required=spec["required"],
            indicator=spec["indicator"], position=position,
            options=[Option(code=code, label=label, positive=positive, position=index)
                     for index, (code, label, positive) in enumerate(spec["options"], start=1)],
        )
        for position, spec in enumerate(specs, start=1)
    ]


def copied_question(q: Question, *, audience: Audience | None) -> Question:
    return Question(key=q.key, text=q.text, kind=q.kind, required=q.required, indicator=q.indicator,
                    position=q.position, audience=audience,
                    options=[Option(code=o.code, label=o.label, positive=o.positive, position=o.position)
                             for o in q.options])


def copied_questions(source: Survey) -> list[Question]:
    return [copied_question(q, audience=q.audience) for q in source.questions]


def joint_questions(templates: list[tuple[Audience, Survey]]) -> list[Question]:
    """The questions of several series' templates (the primary series' first), each key and
    each indicator key once: the first template's question is kept, and when a template of
    the other audience has it too (満足度, comments) it is asked of everyone. A question of
    one audience's templates only is asked of that audience, when the templates span both.
    Of several templates, a free-text question asked of everyone closes the form, as it
    closes each template."""
    split = len({audience for audience, _ in templates}) > 1
    merged: list[Question] = []
    for audience, template in templates:
        for source in sorted(template.questions, key=lambda q: q.position):
            twin = next((q for q in merged if q.key == source.key
                         or (source.indicator and q.indicator == source.indicator)), None)
            if twin is None:
                merged.append(copied_question(source, audience=audience if split else None))
            elif twin.audience not in (None, audience):
                twin.audience = None
    if len(templates) > 1:  # a stable sort: one template's own order is kept as it is
        merged.sort(key=lambda q: q.audience is None and q.kind == QuestionKind.TEXT)
    for position, question in enumerate(merged, start=1):
        question.position = position
    return merged


def audience_template(session: Session, audience: Audience) -> Survey:
    """The default template of an audience, created from defaults.py on first use
    (flushed, not committed); organizers may edit it afterwards."""
    survey = session.scalar(
        select(Survey).where(Survey.audience == audience, Survey.series_id.is_(None), Survey.event_id.is_(None))
        .order_by(Survey.id).limit(1)
    )
    if survey is None:
        spec = TEMPLATES[audience]
        survey = Survey(title=spec["title"], audience=audience, questions=build_questions(spec["questions"]))
        session.add(survey)
        session.flush()
    return survey


def series_template(session: Session, series: Series) -> Survey:
    """The series' template, copied from its audience's default when it has none yet
    (a new series, or one made before surveys existed); flushes, never commits."""
    survey = session.scalar(select(Survey).where(Survey.series_id == series.id).order_by(Survey.id).limit(1))
    if survey is None:
        source = audience_template(session, series.audience)
        survey = Survey(title=source.title, series_id=series.id, questions=copied_questions(source))
        session.add(survey)
        session.flush()
    return survey


def ensure_templates(session: Session, series: list[Series]) -> tuple[list[Survey], list[tuple[Series, Survey]]]:
    """Every audience's default and each series' template, the missing ones created and
    committed: the templates screen lists them all, so its first view makes them."""
    defaults = [audience_template(session, audience) for audience in Audience]
    by_series = [(s, series_template(session, s)) for s in series]
    session.commit()
    return defaults, by_series


def event_survey_or_copy(session: Session, event: Event) -> Survey:
    """The event's survey, copied from its series' templates when missing (a joint event's
    from all of them, joint_questions), with its own venue short link; flushes, never
    commits (catalog's save_event commits)."""
    session.flush()
    survey = session.scalar(select(Survey).where(Survey.event_id == event.id))
    if survey is None:
        templates = [(series.audience, series_template(session, series)) for series in event.all_series]
        title = templates[0][1].title if event.audience is not None else JOINT_TITLE
        survey = Survey(title=title, event_id=event.id, venue_code=new_venue_code(),
                        questions=joint_questions(templates))
        session.add(survey)
    if survey.venue_code is None:
        survey.venue_code = new_venue_code()
    session.flush()
    return survey


def copy_series_template(_app, *, session: Session, series: Series) -> None:
    """Receiver of catalog's series_created: a new series gets its audience's default template."""
    series_template(session, series)


def copy_event_survey(_app, *, session: Session, event: Event) -> None:
    """Receiver of catalog's event_created: a new event gets a copy of its series' templates,
    in the catalogue's transaction (save_event commits)."""
    event_survey_or_copy(session, event)


def ensure_event_survey(session: Session, event: Event) -> Survey:
    """The event's survey, created (and committed) if the event predates surveys."""
    survey = event_survey_or_copy(session, event)
    session.commit()
    return survey


def new_venue_code() -> str:
    """48 random bits in 8 URL-safe characters: short enough to type from a poster."""
    return secrets.token_urlsafe(6)


def has_responses(session: Session, survey: Survey) -> bool:
    return session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) > 0


def check_question_input(data: QuestionInput) -> None:
    """The rules of a well-formed question that need no database. Raises SurveyError."""
    if not KEY_PATTERN.fullmatch(data.key):
        raise SurveyError("key_invalid", "key")
    if data.indicator is not None and not KEY_PATTERN.fullmatch(data.indicator):
        raise SurveyError("key_invalid", "indicator")
    if not data.text.strip() or len(data.text) > 1000:
        raise SurveyError("text_required", "text")
    if data.kind == QuestionKind.TEXT:
        if data.options or data.indicator:
            raise SurveyError("options_for_text", "options")
        return
    if len(data.options) < 2:
        raise SurveyError("options_required", "options")
    for option in data.options:
        if not (0 < len(option.code) <= 50 and 0 < len(option.label) <= 200) or option.code != option.code.strip():
            raise SurveyError("option_invalid", "options")
    if len({option.code for option in data.options}) != len(data.options):
        raise SurveyError("option_code_taken", "options")
    if data.indicator and not any(option.positive for option in data.options):
        raise SurveyError("positive_required", "options")


def meaning(question: Question | QuestionInput) -> tuple:
    """What may not change once answers exist."""
    options = tuple((o.code, o.label, bool(o.positive)) for o in question.options)
    # whom it is asked too: the denominators of its rate are the respondents asked
    return (question.key, question.text.strip(), QuestionKind(question.kind), question.indicator or None,
            question.audience, options)


def save_question(session: Session, survey: Survey, data: QuestionInput, *, question: Question | None = None) -> Question:
    """Add a question to a survey (at the end) or change one; commits.
    Raises SurveyError: the input codes of check_question_input, key_taken,
    indicator_taken, and locked / locked_new_required on an answered survey."""
    data.key, data.text = data.key.strip(), data.text.strip()
    data.indicator = (data.indicator or "").strip() or None
    check_question_input(data)
    others = [q for q in survey.questions if q is not question]
    if any(q.key == data.key for q in others):
        raise SurveyError("key_taken", "key")
    if data.indicator and any(q.indicator == data.indicator for q in others):
        raise SurveyError("indicator_taken", "indicator")
    if has_responses(session, survey):
        if question is None and data.required:
            raise SurveyError("locked_new_required", "required")
        if question is not None and meaning(question) != meaning(data):
            raise SurveyError("locked")
    if question is None:
        position = max((q.position for q in survey.questions), default=0) + 1
        question = Question(survey=survey, position=position)
        session.add(question)
    question.key, question.text, question.kind = data.key, data.text, data.kind
    question.required, question.indicator, question.audience = data.required, data.indicator, data.audience
    if [(o.code, o.label, o.positive) for o in question.options] != [(o.code, o.label, o.positive) for o in data.options]:
        question.options = []
        session.flush()  # old codes leave before new rows meet the unique (question, code)
        question.options = [Option(code=o.code, label=o.label.strip(), positive=o.positive, position=index)
                            for index, o in enumerate(data.options, start=1)]
    session.commit()
    return question


def delete_question(session: Session, question: Question) -> None:
    """Remove a question of an unanswered survey; commits. Raises SurveyError: locked."""
    if has_responses(session, question.survey):
        raise SurveyError("locked")
    session.delete(question)
    session.commit()


def move_question(session: Session, question: Question, *, up: bool) -> None:
    """Swap a question with its neighbour; order carries no meaning, so answered surveys
    may be reordered too. Commits."""
    ordered = sorted(question.survey.questions, key=lambda q: (q.position, q.id))
    index = ordered.index(question)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
    session.commit()


def save_settings(session: Session, survey: Survey, *, title: str, closes_at: datetime | None) -> Survey:
    """Rename a survey and set its closing date (None: 30 days after the event); commits."""
    title = title.strip()
    if not title or len(title) > 200:
        raise SurveyError("title_required", "title")
    survey.title, survey.closes_at = title, closes_at
    session.commit()
    return survey
