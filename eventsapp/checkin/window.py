"""The door's hours: when staff may check people in at an event, by role.

One rule for every door action (scan, typed number, search, walk-in, ticket list, undo), in the
JSON API and the screens alike; README, *The door's hours*. Reception works on published
events from FLASK_CHECKIN_OPENS_BEFORE hours before the start until FLASK_CHECKIN_CLOSES_AFTER
hours after the end; organizers and admins from the same opening on, without an end, so that
paper lists can be back-filled. Cancelled events have no door.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app
from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy import ColumnElement, and_

from ..auth.models import Role
from ..catalog.models import Event, EventStatus
from ..dates import format_moment

CLOCK_SKEW = timedelta(hours=1)  # a device clock this far from the server's is still believed
# A scan made while reception's door was open, queued on a phone without network, is still
# taken this long after it was made, even if the door has closed since (README).
LATE_SEND = timedelta(hours=6)


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime | None  # None: no end (organizers and admins)

    def holds(self, moment: datetime) -> bool:
        return self.opens_at <= moment and (self.closes_at is None or moment <= self.closes_at)


class EventHours(Protocol):
    """What the door's hours are made of: an Event, or a row of its columns (the check-in's
    one statement, checkin/service.py read_door)."""

    status: EventStatus
    starts_at: datetime
    ends_at: datetime


HOUR_SETTINGS = ("CHECKIN_OPENS_BEFORE", "CHECKIN_CLOSES_AFTER")
MOST_HOURS = 24 * 366


def check_door_hours(config) -> None:
    """Refuse to start with door hours that are not a number of hours (FLASK_CHECKIN_OPENS_BEFORE=abc),
    rather than fail on every scan later."""
    for name in HOUR_SETTINGS:
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MOST_HOURS:
            raise ValueError(f"FLASK_{name} must be a number of hours from 0 to {MOST_HOURS}, not {value!r}")


def configured_hours(name: str) -> timedelta:
    return timedelta(hours=float(current_app.config[name]))


def door_window(event: EventHours, role: Role) -> Window | None:
    """The role's window on this event, or None when its door never opens to that role."""
    staff = role.includes(Role.ORGANIZER)
    if event.status == EventStatus.CANCELLED or (event.status != EventStatus.PUBLISHED and not staff):
        return None
    opens_at = event.starts_at - configured_hours("CHECKIN_OPENS_BEFORE")
    if staff:
        return Window(opens_at, None)
    return Window(opens_at, event.ends_at + configured_hours("CHECKIN_CLOSES_AFTER"))


def door_is_open(window: Window | None, at: datetime, scanned_at: datetime | None = None) -> bool:
    """Open at the server's time `at`; or, for a scan recorded before the door closed, open until
    LATE_SEND after the recorded time (an offline phone's queue), never on an older claim."""
    if window is None or at < window.opens_at:
        return False
    if window.holds(at):
        return True
    return scanned_at is not None and scanned_at <= window.closes_at and at - scanned_at <= LATE_SEND


def closed_kind(window: Window | None, at: datetime) -> str:
    """Why the door is shut at `at`: "unavailable" (a cancelled event, or a draft to reception),
    "not_yet" (it opens later) or "over" (reception's hours have ended)."""
    if window is None:
        return "unavailable"
    return "not_yet" if at < window.opens_at else "over"


def closed_sentence(event: EventHours, window: Window | None, at: datetime) -> tuple[LazyString, dict[str, str]]:
    """Why the door is shut, in one sentence: when it opens, or that it has closed; with the
    values it names (the time in 和暦, in English too). The screens show it as is."""
    kind = closed_kind(window, at)
    if kind == "unavailable":
        if event.status == EventStatus.CANCELLED:
            return _l("中止されたイベントのため受付できません。"), {}
        return _l("公開前のイベントのため受付できません。"), {}
    if kind == "not_yet":
        return _l("受付はまだ始まっていません。%(when)s から受付できます。"), {"when": format_moment(window.opens_at)}
    return _l("このイベントの受付は %(when)s に終了しました。"), {"when": format_moment(window.closes_at)}


def open_for_listing(role: Role, at: datetime, *, recent: timedelta) -> ColumnElement[bool]:
    """The events whose door is open to the role now, as a query condition for the door's list;
    organizers see those that ended up to `recent` ago (older ones from the registration list)."""
    opened = Event.starts_at <= at + configured_hours("CHECKIN_OPENS_BEFORE")
    if role.includes(Role.ORGANIZER):
        return and_(opened, Event.status != EventStatus.CANCELLED, Event.ends_at >= at - recent)
    return and_(opened, Event.status == EventStatus.PUBLISHED,
                Event.ends_at >= at - configured_hours("CHECKIN_CLOSES_AFTER"))
