"""What the catalogue announces to the capabilities built on it, so that it never imports them.

Each signal is sent with the application as sender (as Flask sends its own signals) and the
session as a keyword argument. Receivers run synchronously, inside the caller's transaction and
before its commit: whatever they add is committed with the event or series, or not at all."""
from blinker import Namespace

_signals = Namespace()

# A new event, added to the session and not yet committed; keyword arguments: session, event.
event_created = _signals.signal("event-created")
# A new series, added to the session and not yet committed; keyword arguments: session, series.
series_created = _signals.signal("series-created")
# An event whose online join link (join_url) was changed to another non-empty one, not yet
# committed; keyword arguments: session, event. Registration re-sends it to who had the old one.
join_url_changed = _signals.signal("join-url-changed")
