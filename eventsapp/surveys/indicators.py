"""The survey arithmetic of the indicators, each rule in one SQL query.

Every number is a GROUP BY aggregate over joins, the same text on SQLite and PostgreSQL,
and every total over several events is pooled: counts are summed first and the rate is
taken once (sum of positives over sum of answers), never an average of percentages.
"""
from collections.abc import Iterable

from sqlalchemy import BindParameter, Select, and_, case, func, select
from sqlalchemy.orm import Session

from ..arith import rate
from ..checkin.attendance import attended_condition, attended_total
from ..checkin.models import CheckIn
from ..registration.models import Registration
from .defaults import INDICATOR_LABELS
from .models import Answer, IndicatorLabel, Option, Question, Response, Survey


def indicator_names(session: Session) -> dict[str, str]:
    """Every indicator key's name as reports write it: the city's own (surveys/defaults.py),
    then the organizers' names of custom keys, which may also rename the city's. A key with
    no name is written as it is; callers use `names.get(key, key)`."""
    return {**INDICATOR_LABELS, **dict(session.execute(select(IndicatorLabel.key, IndicatorLabel.label)).all())}


def positive_and_answered() -> tuple:
    """The rule of every indicator rate, as the two aggregate columns n and d of a query
    joining Answer (and Option) to the K-question: n = responses whose answer is a positive
    option, d = responses that answered. Used by event surveys and surveys of organizations."""
    positive_response = case((Option.positive.is_(True), Answer.response_id))
    return (func.count(func.distinct(positive_response)).label("n"),
            func.count(func.distinct(Answer.response_id)).label("d"))


def _ids(event_ids: Iterable[int] | BindParameter):
    """The ids as a list, or an expanding bindparam as it is (reports/summary.py builds its
    statements once and sends only the ids)."""
    return event_ids if isinstance(event_ids, BindParameter) else list(event_ids)


def indicator_counts_by_event(event_ids: Iterable[int] | BindParameter) -> Select:
    """One row per (event, indicator key) that the events' surveys carry: n = responses
    whose answer to the K-question is a positive option, d = responses that answered it.

    A response with no answer to the question (a blank) has no answer row and so counts
    on neither side; a multiple-choice answer is positive when any chosen option is. The
    outer joins keep keys with no answer yet (n = d = 0)."""
    return (
        select(Survey.event_id.label("event_id"), Question.indicator.label("indicator"), *positive_and_answered())
        .select_from(Question)
        .join(Survey, Survey.id == Question.survey_id)
        .outerjoin(Answer, Answer.question_id == Question.id)
        .outerjoin(Option, Option.id == Answer.option_id)
        .where(Survey.event_id.in_(_ids(event_ids)), Question.indicator.is_not(None))
        .group_by(Survey.event_id, Question.indicator)
    )


def indicator_rates(session: Session, event_ids: Iterable[int]) -> dict[str, dict]:
    """The indicator rates of one event or pooled over several, by key (in key order):
    the per-event counts of indicator_counts_by_event summed in SQL."""
    per_event = indicator_counts_by_event(event_ids).subquery()
    rows = session.execute(
        select(per_event.c.indicator, func.sum(per_event.c.n), func.sum(per_event.c.d))
        .group_by(per_event.c.indicator)
        .order_by(per_event.c.indicator)
    ).all()
    return {key: rate(n, d) for key, n, d in rows}


def response_counts_by_event(event_ids: Iterable[int] | BindParameter) -> Select:
    """One row per event survey: the responses that count toward the response rate (回収率),
    those linked to a registration that attended (checkin/attendance.py), whatever their
    source. An anonymous answer, or one tied to a registration that was never checked in
    (or whose check-in was undone), still counts toward the indicator rates but not here:
    the rate is of attendees, so it can never pass 100 %. One response per
    registration is the database's rule."""
    attended = case((and_(Response.registration_id.is_not(None), attended_condition()), Response.id))
    return (
        select(Survey.event_id.label("event_id"), func.count(func.distinct(attended)).label("responses"))
        .select_from(Survey)
        .outerjoin(Response, Response.survey_id == Survey.id)
        .outerjoin(Registration, Registration.id == Response.registration_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Survey.event_id.in_(_ids(event_ids)))
        .group_by(Survey.event_id)
    )


def response_totals_by_event(event_ids: Iterable[int]) -> Select:
    """One row per event survey: every response, anonymous and unattended ones included (the
    event list's 回答: how many sheets came back, not the response rate's numerator)."""
    return (
        select(Survey.event_id.label("event_id"), func.count(Response.id).label("responses"))
        .select_from(Survey)
        .outerjoin(Response, Response.survey_id == Survey.id)
        .where(Survey.event_id.in_(list(event_ids)))
        .group_by(Survey.event_id)
    )


def response_kinds(session: Session, survey_id: int) -> dict:
    """The responses of one survey by how they count: `attendees` (linked to a registration
    that attended: the response rate's numerator), `anonymous` (no registration: shown as
    匿名回答 N件), and `unattended`, the registrations' 受付番号 of answers tied to a
    registration with no check-in (never made, or undone), flagged on the results page."""
    rows = session.execute(
        select(Response.registration_id, attended_condition().label("attended"))
        .select_from(Response)
        .outerjoin(Registration, Registration.id == Response.registration_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Response.survey_id == survey_id)
    ).all()
    linked = [(registration_id, bool(attended)) for registration_id, attended in rows if registration_id is not None]
    return {
        "attendees": sum(1 for _, attended in linked if attended),
        "anonymous": sum(1 for registration_id, _ in rows if registration_id is None),
        "unattended": sorted(registration_id for registration_id, attended in linked if not attended),
    }


def response_rate(session: Session, event_ids: Iterable[int]) -> dict:
    """回収率: responses linked to attendees (response_counts_by_event) / attended total
    (checkin/attendance.py), both summed over the events."""
    event_ids = list(event_ids)
    responses = response_counts_by_event(event_ids).subquery()
    n = session.scalar(select(func.coalesce(func.sum(responses.c.responses), 0)))
    return rate(n, attended_total(session, event_ids))
