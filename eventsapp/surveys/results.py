"""An event's survey results: counts and shares per option, the indicator rates and the
response rate (from surveys/indicators.py, the one definition), free text, and the rows of
the CSV/XLSX exports. Counts are SQL aggregates; Python only arranges them for display."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..arith import rate
from ..auth.models import User
from ..auth.service import record
from ..catalog.models import Audience, Event
from ..dates import to_tokyo
from .defaults import indicator_label
from .indicators import indicator_rates, response_kinds, response_rate
from .models import Answer, Option, Question, QuestionKind, Response, ResponseSource, Survey

SOURCE_LABEL = {
    ResponseSource.LINK: _l("個別リンク"),
    ResponseSource.VENUE: _l("会場QR"),
    ResponseSource.PAPER: _l("紙"),
    ResponseSource.IMPORT: _l("取り込み"),
}
SUMMARY_HEADER = ("区分", "設問", "選択肢・指標", "件数", "分母", "割合(%)")


@dataclass
class OptionResult:
    option: Option
    rate: dict


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    by_source: dict
    response_rate: dict
    indicators: list[tuple[str, Question | None, dict]]
    questions: list[QuestionResult]
    # indicators.response_kinds: attendees, anonymous, unattended (受付番号 flagged)
    kinds: dict = field(default_factory=dict)
    # responses by the audience they were asked as (a joint event's survey; else empty)
    by_audience: dict = field(default_factory=dict)


def survey_results(session: Session, event: Event, survey: Survey) -> SurveyResults:
    """Everything the results page shows. Shares of an option are of the respondents who
    answered that question (multiple choice: they may add up to more than 100%)."""
    questions = question_results(session, survey)
    by_source = responses_by_source(session, survey)
    by_key = {q.indicator: q for q in survey.questions if q.indicator}
    indicators = [(key, by_key.get(key), value) for key, value in indicator_rates(session, [event.id]).items()]
    return SurveyResults(survey, sum(by_source.values()), by_source, response_rate(session, [event.id]),
                         indicators, questions, response_kinds(session, survey.id),
                         responses_by_audience(session, survey))


def responses_by_audience(session: Session, survey: Survey) -> dict:
    """The responses by the audience they were asked as (a joint event's survey; else empty)."""
    counted = dict(session.execute(
        select(Response.audience, func.count()).where(Response.survey_id == survey.id, Response.audience.is_not(None))
        .group_by(Response.audience)
    ).all())
    return {audience: counted[audience] for audience in Audience if audience in counted}


def responses_by_source(session: Session, survey: Survey) -> dict:
    return dict(session.execute(
        select(Response.source, func.count()).where(Response.survey_id == survey.id).group_by(Response.source)
    ).all())


def question_results(session: Session, survey: Survey) -> list[QuestionResult]:
    """Each question's count of respondents, its options' counts and shares, and its free
    texts: any survey, of an event or of organizations."""
    answered = dict(session.execute(
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(Question, Question.id == Answer.question_id).where(Question.survey_id == survey.id)
        .group_by(Answer.question_id)
    ).all())
    chosen = dict(session.execute(
        select(Answer.option_id, func.count(func.distinct(Answer.response_id)))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id, Answer.option_id.is_not(None))
        .group_by(Answer.option_id)
    ).all())
    texts: dict[int, list[str]] = {}
    for question_id, text in session.execute(
        select(Answer.question_id, Answer.text).join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id, Answer.text.is_not(None)).order_by(Answer.response_id)
    ):
        texts.setdefault(question_id, []).append(text)
    questions = []
    for question in survey.questions:
        total = answered.get(question.id, 0)
        questions.append(QuestionResult(
            question, total, [OptionResult(o, rate(chosen.get(o.id, 0), total)) for o in question.options],
            texts.get(question.id, []),
        ))
    return questions


def summary_rows(results: SurveyResults) -> list[list]:
    """The results as rows of SUMMARY_HEADER (the CSV/XLSX summary export)."""
    rows = [["回収", "", "回答数／参加者数", results.response_rate["n"], results.response_rate["d"],
             results.response_rate["pct"]]]
    for key, question, value in results.indicators:
        rows.append(["指標", question.text if question else "", indicator_label(key), value["n"], value["d"],
                     value["pct"]])
    for item in results.questions:
        for option in item.options:
            rows.append(["選択肢", item.question.text, option.option.label, option.rate["n"], option.rate["d"],
                         option.rate["pct"]])
        for text in item.texts:
            rows.append(["自由記述", item.question.text, text, "", "", ""])
    return rows


def response_table(session: Session, survey: Survey) -> tuple[list[str], list[list]]:
    """One row per response (回答番号, 受付番号, 回答方法, 回答日時, then one column per
    question): the raw answers, as a spreadsheet wants them."""
    questions = list(survey.questions)
    labels = {o.id: o.label for q in questions for o in q.options}
    header = ["回答番号", "受付番号", "回答方法", "回答日時", *[q.text for q in questions]]
    rows = []
    responses = session.scalars(
        select(Response).where(Response.survey_id == survey.id).options(selectinload(Response.answers))
        .order_by(Response.id)
    )
    for response in responses:
        cells: dict[int, list[str]] = {}
        for answer in sorted(response.answers, key=lambda a: a.id):
            cells.setdefault(answer.question_id, []).append(labels[answer.option_id] if answer.option_id else answer.text)
        rows.append([
            response.id, response.registration_id or "", SOURCE_LABEL[response.source],
            to_tokyo(response.created_at).strftime("%Y-%m-%d %H:%M"),
            *[";".join(cells.get(q.id, [])) for q in questions],
        ])
    return header, rows


KIND_LABEL = {
    QuestionKind.LIKERT: _l("段階評価"),
    QuestionKind.SINGLE: _l("単一選択"),
    QuestionKind.MULTIPLE: _l("複数選択"),
    QuestionKind.TEXT: _l("自由記述"),
}


def logged_response_table(session: Session, survey: Survey, *, user: User, kind: str) -> tuple[list[str], list[list]]:
    """response_table for a download: its rows carry 受付番号, so each export is audit-logged
    (and committed) before the file is handed out."""
    header, rows = response_table(session, survey)
    record(session, "export_responses", user=user, target=f"event:{survey.event_id}", format=kind, rows=len(rows))
    session.commit()
    return header, rows
