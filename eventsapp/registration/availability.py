"""The public state of an event — 受付前, 受付中, 残りわずか, 満員, 受付終了, 中止 — in one place.

The list cards, the event page and the form all read it from `public_states`, so a card never
says 受付中 while the form refuses. The window rule itself stays in service.check_public_window
(which the service enforces under the event's lock); the state only reads it. The seat counts
of every listed event come from one GROUP BY query, so the public list stays at a fixed number
of queries however many events it shows.
"""
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..catalog.models import Event, EventStatus
from ..dates import now, to_tokyo
from .models import Registration, RegistrationMode
from .service import RegistrationError, check_public_window, registration_closes, seat_count, takes_a_seat

# 残りわずか: at most this share of the seats, or at most FEW_SEATS seats, are left.
FEW_SHARE = 0.2
FEW_SEATS = 5


class State(enum.StrEnum):
    BEFORE_OPEN = "before_open"  # 受付前（M月D日から）
    OPEN = "open"  # 受付中
    FEW_LEFT = "few_left"  # 残りわずか（あとN席）
    FULL_WAITLIST = "full_waitlist"  # 満員（キャンセル待ちで受付）
    FULL = "full"  # 満員
    CLOSED = "closed"  # 受付終了
    CANCELLED = "cancelled"  # 中止


# The states in which the public form takes in-person registrations.
TAKES_IN_PERSON = (State.OPEN, State.FEW_LEFT, State.FULL_WAITLIST)
# What check_public_window's refusals mean for the public.
WINDOW_STATES = {"registration_not_open": State.BEFORE_OPEN, "event_not_published": State.BEFORE_OPEN,
                 "registration_closed": State.CLOSED}


@dataclass(frozen=True)
class PublicState:
    """An event's state for the public, with what its label and the form need."""

    state: State
    opens_at: datetime | None = None  # BEFORE_OPEN: when the form opens
    seats_left: int | None = None  # FEW_LEFT
    on_demand_open: bool = False  # FULL at a hybrid event: on-demand viewing is still taken
    # The clock alone ends this state at this moment (the window opens, or closes after it);
    # None: only a change of the data does. The public pages are kept no longer (pagecache.py).
    until: datetime | None = None

    @property
    def label(self) -> str:
        """The card's and the page's badge, in the visitor's language."""
        if self.state == State.BEFORE_OPEN and self.opens_at is not None:
            opens = to_tokyo(self.opens_at)
            return _("受付前（%(month)d月%(day)d日から）", month=opens.month, day=opens.day)
        if self.state == State.FEW_LEFT:
            return _("残りわずか（あと%(n)d席）", n=self.seats_left)
        return {
            State.BEFORE_OPEN: _("受付前"), State.OPEN: _("受付中"), State.FULL_WAITLIST: _("満員（キャンセル待ちで受付）"),
            State.FULL: _("満員"), State.CLOSED: _("受付終了"), State.CANCELLED: _("中止"),
        }[self.state]

    @property
    def takes_registrations(self) -> bool:
        return self.state in TAKES_IN_PERSON or self.on_demand_open

    @property
    def refusal(self) -> RegistrationError:
        """What the service answers a registration in this state (its code gives the HTTP
        status of a form posted after it closed)."""
        code = {State.CANCELLED: "event_cancelled", State.CLOSED: "registration_closed", State.FULL: "full"}
        return RegistrationError(code.get(self.state, "registration_not_open"))


def open_modes(event: Event, state: PublicState) -> list[RegistrationMode]:
    """The modes the public form offers now: those of the event's format that its state still
    takes (at a full hybrid event without waitlist, on-demand viewing only)."""
    offered = [m for m in RegistrationMode
               if (event.offers_in_person if m == RegistrationMode.IN_PERSON else event.offers_on_demand)]
    if state.state in TAKES_IN_PERSON:
        return offered
    return [m for m in offered if m == RegistrationMode.ON_DEMAND] if state.on_demand_open else []


def state_of(event: Event, *, seats_taken: int) -> PublicState:
    """The public state of an event, now, whose live in-person registrations take
    `seats_taken` seats. Cancelled first, then the registration window (the service's own
    check_public_window), then the seats."""
    if event.status == EventStatus.CANCELLED:
        return PublicState(State.CANCELLED)
    try:
        check_public_window(event)
    except RegistrationError as refusal:
        opens = event.registration_opens_at if refusal.code == "registration_not_open" else None
        return PublicState(WINDOW_STATES[refusal.code], opens_at=event.registration_opens_at, until=opens)
    closes = registration_closes(event)
    if event.capacity is None or not event.offers_in_person:
        return PublicState(State.OPEN, until=closes)
    left = max(event.capacity - seats_taken, 0)
    if left == 0:
        if event.waitlist:
            return PublicState(State.FULL_WAITLIST, until=closes)
        return PublicState(State.FULL, on_demand_open=event.offers_on_demand, until=closes)
    if left <= FEW_SEATS or left <= event.capacity * FEW_SHARE:
        return PublicState(State.FEW_LEFT, seats_left=left, until=closes)
    return PublicState(State.OPEN, until=closes)


def seats_taken_by_event(session: Session, event_ids: Iterable[int]) -> dict[int, int]:
    """Seats taken (service.takes_a_seat, the rule seats_taken counts) per event, in one GROUP BY query; events
    without a seat taken are absent."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), takes_a_seat())
        .group_by(Registration.event_id)
    )
    return {event_id: int(count) for event_id, count in rows}


def needs_seat_count(event: Event, moment: datetime) -> bool:
    """Only a published event with a capacity whose registration has not closed shows seats."""
    return event.status == EventStatus.PUBLISHED and event.capacity is not None and moment <= registration_closes(event)


def public_states(session: Session, events: Iterable[Event]) -> dict[int, PublicState]:
    """The public state of each event, by id: one aggregate query at most, for any number."""
    events, moment = list(events), now()
    taken = seats_taken_by_event(session, (e.id for e in events if needs_seat_count(e, moment)))
    return {e.id: state_of(e, seats_taken=taken.get(e.id, 0)) for e in events}


def public_state(session: Session, event: Event) -> PublicState:
    return public_states(session, [event])[event.id]


def event_with_state(session: Session, event_id: int) -> tuple[Event, PublicState] | None:
    """The event, with its series loaded (whom its form is for: Event.audience), and its public
    state, from one statement: the seats are counted in it (service.seat_count). None when
    there is no such event."""
    taken = seat_count(Event.id).scalar_subquery()
    row = session.execute(
        select(Event, taken).where(Event.id == event_id)
        .options(joinedload(Event.series, innerjoin=True), joinedload(Event.joint_series))
    ).unique().first()
    if row is None:
        return None
    event, seats = row
    return event, state_of(event, seats_taken=seats)


def answer_states_wanted(_app, *, session: Session, events, **_extra) -> dict[int, PublicState]:
    """The receiver of catalog.signals.states_wanted (connected in register(app))."""
    return public_states(session, events)
