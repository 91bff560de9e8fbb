"""What the catalogue announces to the capabilities built on it, so that it never imports them.

Each signal is sent with the application as sender (as Flask sends its own signals) and, but
for event_page_shown, the session as a keyword argument. Receivers run synchronously, inside
the caller's transaction and before its commit: whatever they add is committed with the event
or series, or not at all."""
from blinker import Namespace

_signals = Namespace()

# A new event, added to the session and not yet committed; keyword arguments: session, event.
event_created = _signals.signal("event-created")
# A new series, added to the session and not yet committed; keyword arguments: session, series.
series_created = _signals.signal("series-created")
# The public pages are about to show these events; keyword arguments: session, events.
# Registration, which owns the seat counts, answers with {event id: its public state}
# (registration/availability.py); the catalogue only passes the answer to its templates.
states_wanted = _signals.signal("states-wanted")


def public_states(app, *, session, events) -> dict:
    """The public state of each event, as the receivers of states_wanted tell it (empty when
    nothing is connected: the pages then show no state)."""
    states: dict = {}
    for _receiver, answer in states_wanted.send(app, session=session, events=events):
        states.update(answer or {})
    return states


# An event whose online join link (join_url) was changed to another non-empty one, not yet
# committed; keyword arguments: session, event. Registration re-sends it to who had the old one.
join_url_changed = _signals.signal("join-url-changed")


# A visitor was shown an event's public page, rendered or kept (pagecache.py: then outside any
# request context); keyword arguments: event_id, user_agent (the User-Agent header, "" when
# absent) and purpose (the Sec-Purpose or Purpose header, which says when a browser only
# prefetched it). Page views (pageviews/) tally it in memory and write the tallies on a
# connection of their own, so the page's read-only session is left as it is; nothing about
# the visitor but the day is kept.
event_page_shown = _signals.signal("event-page-shown")
