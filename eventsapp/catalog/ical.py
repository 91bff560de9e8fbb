"""iCalendar (RFC 5545) for one event or all published events, in Asia/Tokyo."""
from functools import cache

from flask import Response
from icalendar import Calendar, Event as VEvent, Timezone

from ..dates import TOKYO, now
from ..exports import send_download
from ..links import public_host, public_url
from .models import Event, EventStatus

PRODID = "-//eventsapp//在宅医療・介護連携推進事業//JA"


@cache
def tokyo_timezone() -> Timezone:
    """The VTIMEZONE of Asia/Tokyo, built once: deriving it from the tz database takes
    about 30 ms, which every registration mail (it carries an .ics) would otherwise pay."""
    return Timezone.from_tzinfo(TOKYO, tzid="Asia/Tokyo")


def event_calendar(events: list[Event], *, host: str, url_for_event, name: str) -> bytes:
    """A calendar of the events; each keeps a stable UID so re-imports update, not duplicate."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = now()
    for event in events:
        entry = VEvent()
        entry.add("uid", f"event-{event.id}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(TOKYO))
        entry.add("dtend", event.ends_at.astimezone(TOKYO))
        entry.add("summary", f"{event.series.name}「{event.title}」")
        if event.venue:
            entry.add("location", event.venue)
        entry.add("url", url_for_event(event))
        entry.add("description", event.description or event.title)
        entry.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(entry)
    calendar.add_component(tokyo_timezone())
    return calendar.to_ical()


def calendar_download(events: list[Event], name: str, filename: str) -> Response:
    """The events as an .ics download, each linking to its public page (public_url)."""
    body = event_calendar(events, host=public_host(), name=name,
                          url_for_event=lambda e: public_url("catalog.event_detail", event_id=e.id))
    return send_download(body, download_name=filename, mimetype="text/calendar")
