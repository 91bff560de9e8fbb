"""The event list's numbers per event — 申込 against 定員, 受付済み, 回答 — in two aggregate
queries for any number of events (no query per event)."""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..checkin.attendance import checked_in_at_venue
from ..checkin.models import CheckIn
from ..registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from ..surveys.indicators import response_totals_by_event


@dataclass(frozen=True)
class EventCounts:
    registered: int = 0  # live in-person pre-registrations: the seats a capacity limits
    on_demand: int = 0  # live on-demand registrations (録画視聴申込)
    waitlisted: int = 0
    checked_in: int = 0  # checked in at the venue, walk-ins included (the reports' rule)
    walk_in: int = 0  # of whom came without registering (当日参加)
    responses: int = 0  # survey responses, from any source


def event_counts(session: Session, event_ids: Iterable[int]) -> dict[int, EventCounts]:
    """The numbers of each event by id; an event with no registration and no survey gets zeros.
    One registrations-and-check-ins query and one responses query."""
    event_ids = list(event_ids)
    if not event_ids:
        return {}
    live = Registration.status == RegistrationStatus.REGISTERED
    ahead = Registration.source != RegistrationSource.WALK_IN

    def count_where(*conditions):
        return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)

    rows = session.execute(
        select(
            Registration.event_id,
            count_where(live, ahead, Registration.mode == RegistrationMode.IN_PERSON),
            count_where(live, ahead, Registration.mode == RegistrationMode.ON_DEMAND),
            count_where(Registration.status == RegistrationStatus.WAITLISTED),
            count_where(checked_in_at_venue()),
            count_where(checked_in_at_venue(), Registration.source == RegistrationSource.WALK_IN),
        )
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    ).all()
    numbers = {event_id: [int(value) for value in values] for event_id, *values in rows}
    responses = {event_id: n for event_id, n in session.execute(response_totals_by_event(event_ids))}
    return {
        event_id: EventCounts(*numbers.get(event_id, [0] * 5), responses=int(responses.get(event_id, 0)))
        for event_id in event_ids
    }
