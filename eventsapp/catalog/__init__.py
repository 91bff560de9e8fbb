"""The event catalogue: series, events, goal and scene tags, the plan's initiatives, public pages, calendar feeds."""
