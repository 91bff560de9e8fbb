"""Event-page views: a daily counter per public event page (イベントページ閲覧数), nothing
about the visitor kept. The catalogue announces each page it shows (catalog/signals.py
event_page_shown); this package counts it, so the catalogue imports nothing of it."""
from flask import Flask


def register(app: Flask) -> None:
    """The receiver that counts the catalogue's event pages, and this process's tally of them."""
    from ..catalog.signals import event_page_shown
    from .tally import ViewTally, count_shown_page

    app.extensions["pageview_tally"] = ViewTally(app)
    event_page_shown.connect(count_shown_page, sender=app)
