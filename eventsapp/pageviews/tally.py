"""Views counted in memory and written in batches: a write per view would cost a busy event page
most of its speed (a commit per request), so each process adds up its views per event and Tokyo
day and writes them at most every PAGE_VIEWS_FLUSH_SECONDS (0: at once), with one upsert per
(event, day), and once more when the process exits.

What a crash costs: a process killed without exiting (SIGKILL, power loss) loses the views of at
most its last PAGE_VIEWS_FLUSH_SECONDS. A graceful stop or reload (gunicorn's SIGTERM, HUP) writes
them."""
import atexit
import threading
from collections import Counter
from datetime import date

from flask import Flask

from ..dates import now, to_tokyo
from ..extensions import db
from .service import write_views
from .visitors import is_person


class ViewTally:
    def __init__(self, app: Flask):
        self.app = app
        self.counts: Counter[tuple[int, date]] = Counter()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        atexit.register(self.flush)

    def add(self, event_id: int, day: date) -> None:
        """One view; written now (flush interval 0) or by the timer the first pending view starts."""
        seconds = float(self.app.config["PAGE_VIEWS_FLUSH_SECONDS"])
        with self.lock:
            self.counts[(event_id, day)] += 1
            start = seconds > 0 and self.timer is None
            if start:
                self.timer = threading.Timer(seconds, self.flush)
                self.timer.daemon = True  # atexit writes what it would have
        if start:
            self.timer.start()
        elif seconds <= 0:
            self.flush()

    def flush(self) -> None:
        """Write every pending view (views that cannot be written are logged and dropped, see
        service.write_views)."""
        with self.lock:
            counts, self.counts = self.counts, Counter()
            if self.timer is not None and self.timer is not threading.current_thread():
                self.timer.cancel()
            self.timer = None
        if counts:
            with self.app.app_context():
                write_views(db.engine, counts)


def tally_of(app: Flask) -> ViewTally:
    return app.extensions["pageview_tally"]


def count_shown_page(app: Flask, *, event_id: int, user_agent: str, purpose: str = "", **_extra) -> bool:
    """Receiver of catalog's event_page_shown: tally the view when a person made it."""
    if not is_person(user_agent, purpose=purpose):
        return False
    tally_of(app).add(event_id, to_tokyo(now()).date())
    return True
