"""Results of a survey of organizations: each indicator as n/d overall and per 事業所種別, the
response rate (offices that answered / offices addressed), the answers per question, and the
offices that have not answered.

The rate of key K follows the rule of every survey (surveys/indicators.py
positive_and_answered): offices whose answer to the K-question is a positive option / offices
that answered it. An office counts under the type it had when it was addressed
(OrganizationInvitation.organization_type), so editing an office later leaves past results
as they were; the overall figure is the sum of the types' counts, never an average.
organization_indicator() is the one function the evaluation sheet calls.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from ..arith import rate
from ..people.models import Organization
from ..people.organizations import ORGANIZATION_TYPES
from .indicators import positive_and_answered
from .models import Answer, Option, OrganizationInvitation, OrganizationSurvey, Question, Response
from .results import QuestionResult, question_results, responses_by_source

UNSET_TYPE = _l("（種別未設定）")


@dataclass
class TypeCounts:
    addressed: int = 0
    answered: int = 0

    @property
    def response_rate(self) -> dict:
        return rate(self.answered, self.addressed)


@dataclass
class IndicatorRow:
    key: str
    question: Question | None
    overall: dict
    by_type: dict[str, dict]


@dataclass
class OrgResults:
    org_survey: OrganizationSurvey
    types: list[str]  # the 事業所種別 among the addressees, in the list's order ("" last)
    counts: dict[str, TypeCounts]
    total: TypeCounts
    indicators: list[IndicatorRow]
    questions: list[QuestionResult]
    by_source: dict
    pending: list[tuple[OrganizationInvitation, Organization]] = field(default_factory=list)


def indicator_counts_by_type(survey_ids: Iterable[int]) -> Select:
    """One row per (survey, indicator key, 事業所種別) that has answers: n offices whose answer
    to the K-question is positive, d offices that answered it. A blank leaves both sides."""
    invitation = and_(OrganizationInvitation.survey_id == Response.survey_id,
                      OrganizationInvitation.organization_id == Response.organization_id)
    kind = func.coalesce(OrganizationInvitation.organization_type, "")
    return (
        select(Question.survey_id.label("survey_id"), Question.indicator.label("indicator"), kind.label("kind"),
               *positive_and_answered())
        .select_from(Question)
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Option, Option.id == Answer.option_id)
        .outerjoin(OrganizationInvitation, invitation)
        .where(Question.survey_id.in_(list(survey_ids)), Question.indicator.is_not(None))
        .group_by(Question.survey_id, Question.indicator, kind)
    )


def organization_indicator(session: Session, *, survey_id: int, key: str, organization_type: str | None = None) -> dict:
    """The rate of indicator `key` in one survey of organizations, of every office or of one
    事業所種別: {n, d, pct} (pct None when no office answered; also for an unknown survey or
    key). The measure the evaluation sheet plugs in for an organization-survey indicator."""
    return pooled_indicator(session, [survey_id], key=key, organization_type=organization_type)


def organization_indicator_of_year(session: Session, *, fiscal_year: int, key: str,
                                   organization_type: str | None = None) -> dict:
    """The same rate pooled over every survey of organizations of a fiscal year that carries
    `key` (sum of positives over sum of answers): for a sheet that asks by year, not by survey."""
    survey_ids = session.scalars(select(OrganizationSurvey.survey_id).where(OrganizationSurvey.fiscal_year == fiscal_year))
    return pooled_indicator(session, list(survey_ids), key=key, organization_type=organization_type)


def pooled_indicator(session: Session, survey_ids: list[int], *, key: str, organization_type: str | None) -> dict:
    counts = indicator_counts_by_type(survey_ids).subquery()
    query = select(func.coalesce(func.sum(counts.c.n), 0), func.coalesce(func.sum(counts.c.d), 0)).where(
        counts.c.indicator == key)
    if organization_type is not None:
        query = query.where(counts.c.kind == organization_type)
    n, d = session.execute(query).one()
    return rate(int(n), int(d))


def type_order(kind: str) -> tuple:
    return (kind == "", ORGANIZATION_TYPES.index(kind) if kind in ORGANIZATION_TYPES else len(ORGANIZATION_TYPES), kind)


def org_results(session: Session, org_survey: OrganizationSurvey) -> OrgResults:
    """Everything the results page and its export show, in a fixed number of queries."""
    survey_id = org_survey.survey_id
    answered = and_(Response.survey_id == OrganizationInvitation.survey_id,
                    Response.organization_id == OrganizationInvitation.organization_id)
    counts: dict[str, TypeCounts] = {}
    for kind, addressed, responded in session.execute(
        select(OrganizationInvitation.organization_type, func.count(OrganizationInvitation.id), func.count(Response.id))
        .outerjoin(Response, answered).where(OrganizationInvitation.survey_id == survey_id)
        .group_by(OrganizationInvitation.organization_type)
    ):
        counts[kind] = TypeCounts(addressed, responded)
    per_type: dict[str, dict[str, tuple[int, int]]] = {}
    for _survey, key, kind, n, d in session.execute(indicator_counts_by_type([survey_id])):
        per_type.setdefault(key, {})[kind] = (n, d)
        counts.setdefault(kind, TypeCounts())
    types = sorted(counts, key=type_order)
    by_key = {q.indicator: q for q in sorted(org_survey.survey.questions, key=lambda q: q.position) if q.indicator}
    indicators = []
    for key in [*by_key, *sorted(set(per_type) - set(by_key))]:  # in the order of the questions
        cells = per_type.get(key, {})
        overall = rate(sum(n for n, _ in cells.values()), sum(d for _, d in cells.values()))
        indicators.append(IndicatorRow(key, by_key.get(key), overall, {kind: rate(*cells.get(kind, (0, 0))) for kind in types}))
    pending = session.execute(
        select(OrganizationInvitation, Organization)
        .join(Organization, Organization.id == OrganizationInvitation.organization_id)
        .outerjoin(Response, answered)
        .where(OrganizationInvitation.survey_id == survey_id, Response.id.is_(None))
        .order_by(OrganizationInvitation.organization_type, Organization.name)
    ).all()
    total = TypeCounts(sum(c.addressed for c in counts.values()), sum(c.answered for c in counts.values()))
    return OrgResults(org_survey, types, counts, total, indicators, question_results(session, org_survey.survey),
                      responses_by_source(session, org_survey.survey), [tuple(row) for row in pending])


RESULTS_HEADER = ("区分", "項目", "事業所種別", "件数", "分母", "割合(%)")


def result_rows(results: OrgResults, names: dict[str, str]) -> list[list]:
    """The results as rows of RESULTS_HEADER (the CSV/XLSX export): the response rate and each
    indicator, overall then per type, then every option's count, then the offices that have
    not answered (office names only: no person's data)."""
    def type_name(kind: str) -> str:
        return kind or str(UNSET_TYPE)

    rows = [["回収", "回答事業所数／送付事業所数", "全体", results.total.answered, results.total.addressed,
             results.total.response_rate["pct"]]]
    rows += [["回収", "回答事業所数／送付事業所数", type_name(kind), c.answered, c.addressed, c.response_rate["pct"]]
             for kind, c in ((kind, results.counts[kind]) for kind in results.types)]
    for row in results.indicators:
        name = str(names.get(row.key, row.key))
        rows.append(["指標", name, "全体", row.overall["n"], row.overall["d"], row.overall["pct"]])
        rows += [["指標", name, type_name(kind), value["n"], value["d"], value["pct"]] for kind, value in row.by_type.items()]
    for item in results.questions:
        rows += [["選択肢", f"{item.question.text} {option.option.label}", "全体", option.rate["n"], option.rate["d"],
                  option.rate["pct"]] for option in item.options]
    for item in results.questions:
        rows += [["自由記述", f"{item.question.text}：{text}", "", "", "", ""] for text in item.texts]
    rows += [["未回答", organization.name, type_name(invitation.organization_type), "", "", ""]
             for invitation, organization in results.pending]
    return rows
