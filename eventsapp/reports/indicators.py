"""The indicator arithmetic of DESIGN §4, each rule in one SQL query.

Every number is a GROUP BY aggregate over joins, the same text on SQLite and PostgreSQL,
and every total over several events is pooled: counts are summed first and the rate is
taken once (sum of positives over sum of answers), never an average of percentages.
A rate is {"n", "d", "pct"} with pct to one decimal, or None when d = 0.
"""
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..checkin.models import CheckIn
from ..registration.models import Registration, RegistrationMode, RegistrationStatus
from ..surveys.models import Answer, Option, Question, Response, Survey


def rate(n: int, d: int) -> dict:
    """{"n", "d", "pct"}: pct rounded half up to one decimal (2/3 → 66.7), None when d = 0."""
    n, d = int(n or 0), int(d or 0)
    if d == 0:
        return {"n": n, "d": d, "pct": None}
    pct = (Decimal(100 * n) / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {"n": n, "d": d, "pct": float(pct)}


def indicator_counts_by_event(event_ids: Iterable[int]) -> Select:
    """One row per (event, indicator key) that the events' surveys carry: n = responses
    whose answer to the K-question is a positive option, d = responses that answered it.

    A response with no answer to the question (a blank) has no answer row and so counts
    on neither side; a multiple-choice answer is positive when any chosen option is. The
    outer joins keep keys with no answer yet (n = d = 0)."""
    positive_response = case((Option.positive.is_(True), Answer.response_id))
    return (
        select(
            Survey.event_id.label("event_id"),
            Question.indicator.label("indicator"),
            func.count(func.distinct(positive_response)).label("n"),
            func.count(func.distinct(Answer.response_id)).label("d"),
        )
        .select_from(Question)
        .join(Survey, Survey.id == Question.survey_id)
        .outerjoin(Answer, Answer.question_id == Question.id)
        .outerjoin(Option, Option.id == Answer.option_id)
        .where(Survey.event_id.in_(list(event_ids)), Question.indicator.is_not(None))
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


def checked_in_at_venue(registration=Registration, checkin=CheckIn):
    """Came to the venue: checked in on a registration that was not cancelled afterwards
    (walk-ins included). `registration` and `checkin` may be aliases."""
    return and_(checkin.id.is_not(None), registration.status != RegistrationStatus.CANCELLED)


def watched_on_demand(registration=Registration, checkin=CheckIn):
    """Took part on demand (録画視聴申込): a registered on-demand registration, not checked in."""
    return and_(
        checkin.id.is_(None),
        registration.mode == RegistrationMode.ON_DEMAND,
        registration.status == RegistrationStatus.REGISTERED,
    )


def attended_condition(registration=Registration, checkin=CheckIn):
    """The one rule of 参加 (DESIGN §4), for a registration outer-joined to its check-in:
    every count of attendees, the survey mailing and the "new participant" history use it."""
    return or_(checked_in_at_venue(registration, checkin), watched_on_demand(registration, checkin))


def attended_by_event(event_ids: Iterable[int]) -> Select:
    """One row per event with attendees: in_person = distinct persons checked in at the
    venue, on_demand = distinct persons who watched on demand, total = distinct persons of
    either (a person counts once). Registrations of merged persons were moved to the kept
    person, so person_id is the human."""
    return (
        select(
            Registration.event_id.label("event_id"),
            func.count(func.distinct(case((checked_in_at_venue(), Registration.person_id)))).label("in_person"),
            func.count(func.distinct(case((watched_on_demand(), Registration.person_id)))).label("on_demand"),
            func.count(func.distinct(case((attended_condition(), Registration.person_id)))).label("total"),
        )
        .select_from(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id.in_(list(event_ids)))
        .group_by(Registration.event_id)
    )


def attended_total(session: Session, event_ids: Iterable[int]) -> int:
    """参加者数 of the events added up (延べ人数): the sum of each event's attended total."""
    per_event = attended_by_event(event_ids).subquery()
    return int(session.scalar(select(func.coalesce(func.sum(per_event.c.total), 0))))


def response_counts_by_event(event_ids: Iterable[int]) -> Select:
    """One row per event survey: the number of responses, whatever their source."""
    return (
        select(Survey.event_id.label("event_id"), func.count(Response.id).label("responses"))
        .select_from(Survey)
        .outerjoin(Response, Response.survey_id == Survey.id)
        .where(Survey.event_id.in_(list(event_ids)))
        .group_by(Survey.event_id)
    )


def response_rate(session: Session, event_ids: Iterable[int]) -> dict:
    """回収率: responses / attended total, both summed over the events."""
    event_ids = list(event_ids)
    responses = response_counts_by_event(event_ids).subquery()
    n = session.scalar(select(func.coalesce(func.sum(responses.c.responses), 0)))
    return rate(n, attended_total(session, event_ids))


# The summaries built on these counts live in summary.py, which imports this module; they
# are re-exported lazily (PEP 562) so `from .indicators import event_summaries` works
# without an import cycle.
SUMMARY_NAMES = frozenset({"event_summaries", "pooled_summary", "fiscal_year_report"})


def __getattr__(name: str):
    if name in SUMMARY_NAMES:
        from . import summary

        return getattr(summary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
