"""Per-event summaries, pooled totals and the fiscal-year report (docs/architecture.md,
*Indicators* and *The summary*).

Every number starts as a count computed in SQL, per event (and per series the event
belongs to) in one GROUP BY query over registrations, check-ins and the attendance history;
rates are taken last with rate(). A pooled total therefore only sums counts and takes each
rate once: never an average of percentages. The number of queries is fixed, whatever the
number of events: Python loops run over events and groups, never over registrations.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    CTE,
    Integer,
    Subquery,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ..arith import rate
from ..catalog.models import Event, EventStatus, Goal, Scene, Series, event_goals, event_joint_series, event_scenes
from ..checkin.attendance import attended_condition, checked_in_at_venue, watched_on_demand
from ..checkin.models import CheckIn
from ..dates import fiscal_year_label, to_tokyo
from ..people.models import Person
from ..registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from ..surveys.indicators import indicator_counts_by_event, response_counts_by_event
from ..viewing.models import Viewing

# The per-event counts every summary is made of; pooling sums them key by key.
COUNT_KEYS = (
    "registered_in_person", "registered_on_demand", "waitlisted", "cancelled",
    "in_person", "walk_in", "on_demand", "came", "new_series", "new_programme",
    "organizations", "new_organizations", "responses", "viewers", "views",
)
# The keys of a summary (docs/architecture.md, *The summary*); a pooled summary drops event_id
# and adds the last two.
SUMMARY_KEYS = (
    "event_id", "registered", "waitlisted", "cancelled", "attended", "on_demand_views", "attendance_rate",
    "new_participants", "new_organizations", "indicators", "responses",
)
POOLED_KEYS = (*SUMMARY_KEYS[1:], "events", "distinct_persons")

CANCELLED, REGISTERED = RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED

# The events of a summary: the one parameter of the statements event_counts sends, which are
# built once per process (building and compiling the count query cost more than running it).
# The ids are written into the SQL text (literal_execute; integers only), so that asking again
# for the same events sends the same text: the driver prepares it after a few runs and
# PostgreSQL then reuses its plan instead of planning the query anew each time.
EVENT_IDS = bindparam("event_ids", type_=Integer, expanding=True, literal_execute=True)


# The 1s and 0s of the flags, written into the SQL rather than sent as some thirty parameters
# converted and sent again on every call.
ONE, ZERO = literal_column("1"), literal_column("0")


def _flag(condition):
    """1 when any registration of the (event, person) group meets the condition."""
    return func.max(case((condition, ONE), else_=ZERO))


def _per_person():
    """One row per (event, person) of the events EVENT_IDS with 0/1 flags. At most one
    registration per person and event is live (the partial unique index), so the flags of the
    live one are the person's; cancelled rows only say that the person once cancelled. The
    viewing page's visits (viewing/) are counted on every registration of the person, a
    cancelled one's too: a visit made is a visit, whatever happened to the registration after it."""
    live = Registration.status == REGISTERED
    pre = Registration.source != RegistrationSource.WALK_IN
    in_person_mode = Registration.mode == RegistrationMode.IN_PERSON
    checked = checked_in_at_venue()
    return (
        select(
            Registration.event_id.label("event_id"),
            Registration.person_id.label("person_id"),
            _flag(and_(live, pre, in_person_mode)).label("registered_in_person"),
            _flag(and_(live, pre, Registration.mode == RegistrationMode.ON_DEMAND)).label("registered_on_demand"),
            _flag(Registration.status == RegistrationStatus.WAITLISTED).label("waitlisted"),
            _flag(Registration.status != CANCELLED).label("live"),
            _flag(checked).label("in_person"),
            _flag(and_(checked, Registration.source == RegistrationSource.WALK_IN)).label("walk_in"),
            _flag(watched_on_demand()).label("on_demand"),
            _flag(and_(checked, live, pre, in_person_mode)).label("came"),
            _flag(Viewing.views > ZERO).label("viewers"),
            func.coalesce(func.sum(Viewing.views), ZERO).label("views"),
        )
        .select_from(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .outerjoin(Viewing, Viewing.registration_id == Registration.id)
        .where(Registration.event_id.in_(EVENT_IDS))
        .group_by(Registration.event_id, Registration.person_id)
        .subquery("per_person")
    )


def _scope(*, joint: bool):
    """(event_id, series_id, starts_at) of each of the events EVENT_IDS, under its primary
    series, and under each of its joint series too when joint."""
    primary = select(Event.id.label("event_id"), Event.series_id.label("series_id"), Event.starts_at.label("starts_at"))
    primary = primary.where(Event.id.in_(EVENT_IDS))
    if not joint:
        return primary.subquery("scope")
    links = (select(event_joint_series.c.event_id, event_joint_series.c.series_id, Event.starts_at)
             .join(Event, Event.id == event_joint_series.c.event_id)
             .where(event_joint_series.c.event_id.in_(EVENT_IDS)))
    return union(primary, links).subquery("scope")


def _memberships(event_ids: list[int] | None, *, joint: bool, name: str = "membership"):
    """(event_id, series_id) of each event's primary series, and of its joint series too;
    of every event when event_ids is None."""
    primary = select(Event.id.label("event_id"), Event.series_id.label("series_id"))
    links = select(event_joint_series.c.event_id, event_joint_series.c.series_id)
    if event_ids is not None:
        primary = primary.where(Event.id.in_(event_ids))
        links = links.where(event_joint_series.c.event_id.in_(event_ids))
    return union(primary, links).subquery(name) if joint else primary.subquery(name)


def _attendances(*, before):
    """(person_id, event_id, starts_at) of every attendance (imported history included) at
    an event that started before `before`. Cancelled events had nobody attend."""
    reg, chk, earlier = aliased(Registration), aliased(CheckIn), aliased(Event)
    return (
        select(reg.person_id.label("person_id"), reg.event_id.label("event_id"), earlier.starts_at.label("starts_at"))
        .select_from(reg)
        .join(earlier, earlier.id == reg.event_id)
        .outerjoin(chk, chk.registration_id == reg.id)
        .where(attended_condition(reg, chk), earlier.status != EventStatus.CANCELLED, earlier.starts_at < before)
        .subquery("attended")
    )


@dataclass
class FirstAttendances:
    """When attendance first happened, as first_at columns: by (person_id, series_id), by
    person_id over the whole programme, by (organization_id, series_id) over the persons now
    of the organization. "Attended an earlier event" of event E is first_at < E.starts_at."""

    in_series: CTE
    in_programme: Subquery
    of_organization: Subquery


def _first_attendances(scope: Subquery) -> FirstAttendances:
    """The first attendances the "new" counts of the events EVENT_IDS compare with, each read
    in one grouped pass over the history instead of one look-up per attendee: by (person,
    series) for the series of `scope` (the events' series), everyone's, as an organization's
    history is its members'; by person over the programme, the events' registrants'. Only
    attendances before the last of the events starts are read: a later one is never earlier."""
    last_start = select(func.max(Event.starts_at)).where(Event.id.in_(EVENT_IDS)).scalar_subquery()
    attended = _attendances(before=last_start)
    series = _memberships(None, joint=True, name="series_of_event")
    scope_series = select(scope.c.series_id)
    scope_events = union(  # the events of the scope's series, primary or joint
        select(Event.id).where(Event.series_id.in_(scope_series)),
        select(event_joint_series.c.event_id).where(event_joint_series.c.series_id.in_(scope_series)),
    )
    # Complete for the scope's series; a row of another series (a scope event's joint one)
    # is partial, and only the programme minimum reads it.
    in_series = (
        select(attended.c.person_id, series.c.series_id, func.min(attended.c.starts_at).label("first_at"))
        .join(series, series.c.event_id == attended.c.event_id)
        .where(attended.c.event_id.in_(scope_events))
        .group_by(attended.c.person_id, series.c.series_id)
        .cte("first_in_series")
    )
    # The registrants' attendances at events of no series of the scope: with the rows above,
    # their whole history. A year's scope spans every series and leaves none, but finding that
    # out is cheap; a guard that skipped the read when no event lies outside the scope made
    # PostgreSQL expect almost no registrants and pair each one with every event, which tripled
    # the cost of one event's summary.
    registrants = select(Registration.person_id).where(Registration.event_id.in_(EVENT_IDS))
    elsewhere = select(attended.c.person_id, attended.c.starts_at.label("first_at")).where(
        attended.c.person_id.in_(registrants), attended.c.event_id.not_in(scope_events)
    )
    programme = union_all(select(in_series.c.person_id, in_series.c.first_at), elsewhere).subquery("programme")
    member = aliased(Person)
    return FirstAttendances(
        in_series=in_series,
        in_programme=(
            select(programme.c.person_id, func.min(programme.c.first_at).label("first_at"))
            .group_by(programme.c.person_id)
            .subquery("first_in_programme")
        ),
        of_organization=(
            select(member.organization_id.label("organization_id"), in_series.c.series_id,
                   func.min(in_series.c.first_at).label("first_at"))
            .join(member, member.id == in_series.c.person_id)
            .where(member.organization_id.is_not(None))
            .group_by(member.organization_id, in_series.c.series_id)
            .subquery("first_of_organization")
        ),
    )


def _none_before(first_at, starts_at):
    """Nobody (of the row's person or organization) attended before the row's event."""
    return or_(first_at.is_(None), first_at >= starts_at)


# The columns count_rows sums, and those it counts distinct values of.
SUMMED = ("registered_in_person", "registered_on_demand", "waitlisted", "cancelled",
          "in_person", "walk_in", "on_demand", "came", "new_series", "new_programme", "viewers", "views")
DISTINCT = ("organizations", "new_organizations")


@cache
def _count_query(*, joint: bool):
    """The query of count_rows, built once per process (for each value of joint). It starts
    from the events, so that an event nobody registered for has its row (of zeros) and an
    unknown id has none."""
    scope = _scope(joint=joint)
    per_person = _per_person()
    first = _first_attendances(scope)
    attendee = or_(per_person.c.in_person == ONE, per_person.c.on_demand == ONE)
    organization = Person.organization_id
    new_in_series = and_(attendee, _none_before(first.in_series.c.first_at, scope.c.starts_at))
    new_in_programme = and_(attendee, _none_before(first.in_programme.c.first_at, scope.c.starts_at))
    new_organization = and_(attendee, organization.is_not(None),
                            _none_before(first.of_organization.c.first_at, scope.c.starts_at))
    summed = {
        **{key: per_person.c[key] for key in ("registered_in_person", "registered_on_demand", "waitlisted",
                                              "in_person", "walk_in", "on_demand", "came", "viewers", "views")},
        "cancelled": case((per_person.c.live == ZERO, ONE), else_=ZERO),
        "new_series": case((new_in_series, ONE), else_=ZERO),
        "new_programme": case((new_in_programme, ONE), else_=ZERO),
    }
    return (
        select(
            scope.c.event_id, scope.c.series_id,
            *(func.sum(summed[key]).label(key) for key in SUMMED),
            func.count(func.distinct(case((attendee, organization)))).label("organizations"),
            func.count(func.distinct(case((new_organization, organization)))).label("new_organizations"),
        )
        .select_from(scope)
        .outerjoin(per_person, per_person.c.event_id == scope.c.event_id)
        .outerjoin(Person, Person.id == per_person.c.person_id)
        .outerjoin(first.in_series, and_(first.in_series.c.person_id == per_person.c.person_id,
                                         first.in_series.c.series_id == scope.c.series_id))
        .outerjoin(first.in_programme, first.in_programme.c.person_id == per_person.c.person_id)
        .outerjoin(first.of_organization, and_(first.of_organization.c.organization_id == organization,
                                               first.of_organization.c.series_id == scope.c.series_id))
        .group_by(scope.c.event_id, scope.c.series_id)
    )


def count_rows(session: Session, event_ids: list[int], *, joint: bool = False) -> dict[tuple[int, int], dict]:
    """The counts of each event, keyed (event_id, series_id), in one query. The
    new-participant and new-organization counts are relative to that series; with
    joint=True an event has a row for each of its series, else only its primary one."""
    found = {}
    for row in session.connection().execute(_count_query(joint=joint), {"event_ids": event_ids}):
        found[(row.event_id, row.series_id)] = {key: int(row[index] or 0) for index, key in enumerate((*SUMMED, *DISTINCT), 2)}
    return found


def empty_counts() -> dict:
    return {key: 0 for key in COUNT_KEYS} | {"indicators": {}}


def add_counts(total: dict, counts: dict) -> dict:
    """Add one event's counts (and indicator n/d) into a running total, in place."""
    for key in COUNT_KEYS:
        total[key] += counts[key]
    for key, (n, d) in counts["indicators"].items():
        old_n, old_d = total["indicators"].get(key, (0, 0))
        total["indicators"][key] = (old_n + n, old_d + d)
    return total


def summary_from_counts(counts: dict) -> dict:
    """The summary (without event_id) built from counts: every rate is rate(n, d)."""
    attended = counts["in_person"] + counts["on_demand"]
    return {
        "registered": {
            "in_person": counts["registered_in_person"],
            "on_demand": counts["registered_on_demand"],
            "total": counts["registered_in_person"] + counts["registered_on_demand"],
        },
        "waitlisted": counts["waitlisted"],
        "cancelled": counts["cancelled"],
        "attended": {"in_person": counts["in_person"], "walk_in": counts["walk_in"],
                     "on_demand": counts["on_demand"], "total": attended},
        # Visits of the on-demand viewing pages: registrants who opened theirs, and all visits.
        "on_demand_views": {"viewers": counts["viewers"], "views": counts["views"]},
        "attendance_rate": rate(counts["came"], counts["registered_in_person"]),
        "new_participants": {"series": rate(counts["new_series"], attended),
                             "programme": rate(counts["new_programme"], attended)},
        "new_organizations": rate(counts["new_organizations"], counts["organizations"]),
        "indicators": {key: rate(n, d) for key, (n, d) in sorted(counts["indicators"].items())},
        "responses": rate(counts["responses"], attended),
    }


@dataclass
class EventCounts:
    """What event_counts found: count rows by (event_id, series_id), indicator (n, d) by
    event and key, responses by event."""

    rows: dict[tuple[int, int], dict]
    indicators: dict[int, dict[str, tuple[int, int]]]
    responses: dict[int, int]

    def of(self, event_id: int, series_id: int | None) -> dict:
        """The counts of an event in the scope of a series (zeros when nobody registered)."""
        base = self.rows.get((event_id, series_id)) or {key: 0 for key in COUNT_KEYS}
        return base | {"indicators": self.indicators.get(event_id, {}), "responses": self.responses.get(event_id, 0)}


def _survey_counts():
    """The survey counts of event_counts in one statement, built once like the count query: a row
    per (event, indicator key) with its n and d, and a row per event survey whose indicator is
    NULL, with the responses that count toward the response rate as n."""
    indicators = indicator_counts_by_event(EVENT_IDS).subquery("indicator_counts")
    responses = response_counts_by_event(EVENT_IDS).subquery("response_counts")
    return union_all(
        select(indicators.c.event_id, indicators.c.indicator, indicators.c.n, indicators.c.d),
        select(responses.c.event_id, null().label("indicator"), responses.c.responses.label("n"), ZERO.label("d")),
    )


_SURVEY_COUNTS = _survey_counts()


def event_counts(session: Session, event_ids: list[int], *, joint: bool = False) -> EventCounts:
    """count_rows plus the indicator and response counts: two queries."""
    rows = count_rows(session, event_ids, joint=joint)
    indicators: dict[int, dict] = defaultdict(dict)
    responses: dict[int, int] = {}
    for row in session.connection().execute(_SURVEY_COUNTS, {"event_ids": event_ids}):
        if row.indicator is None:
            responses[row.event_id] = int(row.n)
        else:
            indicators[row.event_id][row.indicator] = (int(row.n), int(row.d))
    return EventCounts(rows, dict(indicators), responses)


def _unique(event_ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(event_id) for event_id in event_ids))


def event_summaries(session: Session, event_ids: list[int]) -> dict[int, dict]:
    """The summary of each event (docs/architecture.md, *The summary*), by id, in two queries.
    The series scope of new participants is the event's primary series. An unknown id gets zeros."""
    ids = _unique(event_ids)
    found = event_counts(session, ids)
    primary = {event_id: series_id for event_id, series_id in found.rows}  # joint=False: primary only
    return {event_id: {"event_id": event_id, **summary_from_counts(found.of(event_id, primary.get(event_id)))}
            for event_id in ids}


def summary_of_event(session: Session, event_id: int) -> dict | None:
    """The summary of one event, as event_summaries writes it, or None when there is no such
    event; the same two queries (the count query has a row for every event that exists).

    Nothing is written, yet the read ends with a commit: on a rollback the driver (psycopg)
    drops every statement it has prepared on the connection, and with them the plans
    PostgreSQL would reuse, so each call would parse and plan the count query anew, which
    costs more than running it."""
    found = event_counts(session, [event_id])
    session.commit()
    series_id = next((series_id for found_id, series_id in found.rows if found_id == event_id), None)
    if series_id is None:
        return None
    return {"event_id": event_id, **summary_from_counts(found.of(event_id, series_id))}


def series_summaries(session: Session, event_ids: list[int]) -> dict[tuple[int, int], dict]:
    """The summary of each event in the scope of each of its series, keyed (event_id,
    series_id), in two queries: a joint event has one per series, its new participants
    counted against that series (the yearly report writes each series' own share)."""
    found = event_counts(session, _unique(event_ids), joint=True)
    return {(event_id, series_id): {"event_id": event_id, **summary_from_counts(found.of(event_id, series_id))}
            for event_id, series_id in found.rows}


def _attendee_pairs(event_ids: list[int]):
    """(event_id, person_id) of every attendee of the events, once each."""
    return (
        select(Registration.event_id.label("event_id"), Registration.person_id.label("person_id"))
        .select_from(Registration)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id.in_(event_ids), attended_condition(Registration, CheckIn))
        .distinct()
    )


def distinct_persons_query(event_ids: list[int]):
    """(event_id, person_id) of every attendee of the events, once each, as a subquery."""
    return _attendee_pairs(event_ids).subquery("attendees")


def pooled(counts_list: Iterable[dict], *, events: int, distinct_persons: int) -> dict:
    """A pooled summary: counts summed (延べ), rates from the sums, plus 実人数."""
    total = empty_counts()
    for counts in counts_list:
        add_counts(total, counts)
    return {**summary_from_counts(total), "events": events, "distinct_persons": distinct_persons}


def pooled_summary(session: Session, event_ids: list[int]) -> dict:
    """The events' summary pooled (three queries): counts added up, each rate taken once
    from the summed n and d, and the 実人数 of attendees. An id given twice counts once."""
    ids = _unique(event_ids)
    found = event_counts(session, ids)
    primary = {event_id: series_id for event_id, series_id in found.rows}  # joint=False: primary only
    attendees = distinct_persons_query(ids)
    persons = session.scalar(select(func.count(func.distinct(attendees.c.person_id))))
    return pooled((found.of(event_id, primary.get(event_id)) for event_id in ids),
                  events=len(ids), distinct_persons=int(persons or 0))


# --- the fiscal-year report ---------------------------------------------------------------

GROUP_TOTAL, GROUP_SERIES, GROUP_GOAL, GROUP_SCENE = 0, 1, 2, 3


@cache
def _persons_by_group_query():
    """The query of _distinct_persons_by_group for the events EVENT_IDS, built once per process."""
    attendees = _attendee_pairs(EVENT_IDS).cte("attendees")  # read once, grouped four ways
    membership = _memberships(EVENT_IDS, joint=True)
    persons = func.count(func.distinct(attendees.c.person_id))

    def grouped(kind: int, link, key):
        return (select(literal_column(str(kind)).label("kind"), key.label("key"), persons.label("persons"))
                .select_from(attendees).join(link, link.c.event_id == attendees.c.event_id).group_by(key))

    return union_all(
        select(literal_column(str(GROUP_TOTAL)).label("kind"), literal_column("0").label("key"), persons.label("persons"))
        .select_from(attendees),
        grouped(GROUP_SERIES, membership, membership.c.series_id),
        grouped(GROUP_GOAL, event_goals, event_goals.c.goal_id),
        grouped(GROUP_SCENE, event_scenes, event_scenes.c.scene_id),
    )


def _distinct_persons_by_group(session: Session, event_ids: list[int]) -> dict[tuple[int, int], int]:
    """実人数 per group, in one query: (GROUP_*, series/goal/scene id) → persons; the
    total under (GROUP_TOTAL, 0)."""
    found = session.connection().execute(_persons_by_group_query(), {"event_ids": event_ids})
    return {(int(kind), int(key)): int(n) for kind, key, n in found}


def _tags(session: Session, model, link, tag_column, event_ids: list[int]) -> list[tuple]:
    """Every goal (or scene) in label order, with the year's events tagged with it:
    (id, code, label, event_id or None)."""
    return session.execute(
        select(model.id, model.code, model.label, link.c.event_id)
        .outerjoin(link, and_(tag_column == model.id, link.c.event_id.in_(event_ids)))
        .order_by(model.position, model.id, link.c.event_id)
    ).all()


def _tag_rows(tag_rows, found, primary, persons, kind: int) -> tuple[list[dict], dict[int, list[str]]]:
    """The pooled row of each goal or scene, and each event's codes."""
    members: dict[int, list[int]] = {}
    meta: dict[int, tuple[str, str]] = {}
    codes: dict[int, list[str]] = defaultdict(list)
    for tag_id, code, label, event_id in tag_rows:
        meta[tag_id] = (code, label)
        members.setdefault(tag_id, [])
        if event_id is not None:
            members[tag_id].append(event_id)
            codes[event_id].append(code)
    rows = [
        {"code": meta[tag_id][0], "label": meta[tag_id][1],
         **pooled((found.of(e, primary[e]) for e in ids), events=len(ids),
                  distinct_persons=persons.get((kind, tag_id), 0))}
        for tag_id, ids in members.items()
    ]
    return rows, codes


def fiscal_year_report(session: Session, year: int) -> dict:
    """The fiscal year's non-draft, non-cancelled events with their summaries, pooled by
    series (a joint event under each of its series, its new participants counted
    against that series), by goal, by scene and in total — seven queries."""
    events = session.execute(
        select(Event.id, Event.title, Event.series_id, Series.name, Event.starts_at, Event.ends_at, Event.area)
        .join(Series, Series.id == Event.series_id)
        .where(Event.fiscal_year == year, Event.status.not_in([EventStatus.DRAFT, EventStatus.CANCELLED]))
        .order_by(Event.starts_at, Event.id)
    ).all()
    ids = [row.id for row in events]
    primary = {row.id: row.series_id for row in events}
    joint_rows = session.execute(
        select(event_joint_series.c.event_id, Series.id, Series.name)
        .join(Series, Series.id == event_joint_series.c.series_id)
        .where(event_joint_series.c.event_id.in_(ids))
        .order_by(Series.id)
    ).all()
    goal_rows = _tags(session, Goal, event_goals, event_goals.c.goal_id, ids)
    scene_rows = _tags(session, Scene, event_scenes, event_scenes.c.scene_id, ids)
    found = event_counts(session, ids, joint=True)
    persons = _distinct_persons_by_group(session, ids)

    series_names = {row.series_id: row.name for row in events}
    series_events: dict[int, list[int]] = defaultdict(list)
    joint_ids: dict[int, list[int]] = defaultdict(list)
    for row in events:
        series_events[row.series_id].append(row.id)
    for event_id, series_id, name in joint_rows:
        if series_id != primary[event_id]:
            series_names[series_id] = name
            series_events[series_id].append(event_id)
            joint_ids[event_id].append(series_id)
    by_goal, goals_of = _tag_rows(goal_rows, found, primary, persons, GROUP_GOAL)
    by_scene, scenes_of = _tag_rows(scene_rows, found, primary, persons, GROUP_SCENE)

    summaries = [
        {"event_id": row.id, **summary_from_counts(found.of(row.id, row.series_id)),
         "title": row.title, "series": row.name, "series_id": row.series_id, "joint_series_ids": joint_ids[row.id],
         "starts_at": to_tokyo(row.starts_at), "ends_at": to_tokyo(row.ends_at), "goals": goals_of[row.id], "scenes": scenes_of[row.id],
         "area": row.area}
        for row in events
    ]
    by_series = [
        {"series_id": series_id, "name": series_names[series_id],
         **pooled((found.of(e, series_id) for e in series_events[series_id]),
                  events=len(series_events[series_id]), distinct_persons=persons.get((GROUP_SERIES, series_id), 0))}
        for series_id in sorted(series_events)
    ]
    return {
        "fiscal_year": year,
        "label": fiscal_year_label(year),
        "events": summaries,
        "by_series": by_series,
        "by_goal": by_goal,
        "by_scene": by_scene,
        "total": pooled((found.of(e, primary[e]) for e in ids), events=len(ids),
                        distinct_persons=persons.get((GROUP_TOTAL, 0), 0)),
    }
