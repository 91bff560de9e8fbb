"""Faults under the README's production command: PostgreSQL connections cut again and again
during a burst of registrations and scans. Beyond "no 500, nothing lost", the server must keep
answering: the longest silence from the first cut until 10 s after the last stays within 5 s.

With the command's former `--max-requests 2000 --max-requests-jitter 200`, both workers
recycled within a second or two of each other in this window (a fast burst shared evenly
between them), and nothing answered for 6–11 s here (45 s on a busier machine): the README
explains why the option is left out."""
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckIn
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import gunicorn, post_json, terminate_connections, under_way

pytestmark = pytest.mark.slow  # gunicorn under cut connections

FAULT_APP = "eventsapp-gunicorn-fault"  # application_name of the server's connections, the ones cut
CUTS, CUT_EVERY = 8, 1.2  # seconds between cuts
WATCH_AFTER = 10.0  # seconds watched after the last cut
LONGEST_SILENCE = 5.0
CLIENTS = 8
# Cheap requests first, as from a server in service for a while: 2 × 1900 brings workers with
# a request limit of 2000 (+ up to 200) to it during the burst.
WARM_UP = 3800
PRODUCTION_ENV = {
    "FLASK_PRODUCTION": "true", "SECRET_KEY": "fault-test-" + "x" * 40,
    "FLASK_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "FLASK_RATELIMIT_KEY_PREFIX": "fault-gunicorn",
    "FLASK_TRUSTED_PROXIES": "1", "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
}


def get(url: str) -> int | None:
    """GET on a new connection; the status, or None without an answer within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def longest_silence(answered_at: list[float], start: float, end: float) -> float:
    """The longest time between two answers within [start, end], the ends counting as answers."""
    moments = [start, *sorted(t for t in answered_at if start < t < end), end]
    return max(b - a for a, b in zip(moments, moments[1:], strict=False))


class Burst:
    """Clients registering people and scanning tickets, each request on a new connection from
    an address of its own (behind the trusted proxy), loading a page's assets in between."""

    def __init__(self, base: str, event_id: int, tickets: list[str], organizer: dict, reception: dict):
        self.base, self.event_id, self.tickets = base, event_id, tickets
        self.organizer, self.reception = organizer, reception
        self.answered_at: list[float] = []
        self.statuses: list[int | None] = []
        self.registered: list[int] = []  # ids answered 201
        self.checked_in: list[str] = []  # tickets answered 201
        self.stop = threading.Event()

    def answered(self, status: int | None) -> None:
        self.statuses.append(status)
        if status is not None:
            self.answered_at.append(time.monotonic())

    def client(self, number: int) -> None:
        sent = 0
        while not self.stop.is_set():
            forwarded = {"X-Forwarded-For": f"10.0.{number}.{sent % 250}"}
            if sent % 2:
                body = {"family_name": "切断", "given_name": f"{number}-{sent}", "family_kana": "せつだん",
                        "email": f"cut{number}-{sent}@example.jp"}
                answer = post_json(f"{self.base}/api/v1/events/{self.event_id}/registrations", body,
                                   {**self.organizer, **forwarded})
                if answer.status == 201:
                    self.registered.append(answer.json()["id"])
            else:
                ticket = self.tickets[(number * 5 + sent // 2) % len(self.tickets)]
                answer = post_json(f"{self.base}/api/v1/events/{self.event_id}/checkins",
                                   {"ticket": ticket, "nonce": f"nonce-{number:02d}-{sent:05d}"},
                                   {**self.reception, **forwarded})
                if answer.status == 201:
                    self.checked_in.append(ticket)
            self.answered(answer.status)
            for _ in range(3):
                self.answered(get(f"{self.base}/static/css/app.css"))
            sent += 1

    def prober(self) -> None:
        while not self.stop.is_set():
            self.answered(get(f"{self.base}/privacy"))
            time.sleep(0.1)


def test_service_resumes_within_seconds_after_cut_connections(app, make_event, bearer, tmp_path):
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("cutting server connections is a PostgreSQL fault")
    event_id = make_event(capacity=None, **under_way()).id
    tickets = [register(db.session, event_id=event_id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                        person=PersonFields(family_name="切断", given_name=str(n), family_kana="せつだん",
                                            email=f"cut{n}@example.jp")).registration.ticket_token
               for n in range(40)]
    organizer, reception = bearer(Role.ORGANIZER), bearer(Role.RECEPTION)
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"] + f"&application_name={FAULT_APP}"
    with gunicorn(url, tmp_path, PRODUCTION_ENV, as_in_readme=True, log_level="info") as server:
        burst = Burst(server.base, event_id, tickets, organizer, reception)
        with ThreadPoolExecutor(CLIENTS) as pool:
            assert set(pool.map(lambda _: get(f"{server.base}/static/css/app.css"), range(WARM_UP))) == {200}
        with ThreadPoolExecutor(CLIENTS + 1) as pool:
            running = [pool.submit(burst.client, n) for n in range(CLIENTS)] + [pool.submit(burst.prober)]
            time.sleep(1.0)
            first_cut, killed = time.monotonic(), 0
            for _ in range(CUTS):
                killed += terminate_connections(db.engine, FAULT_APP)
                time.sleep(CUT_EVERY)
            last_cut = time.monotonic() - CUT_EVERY
            time.sleep(max(0.0, last_cut + WATCH_AFTER - time.monotonic()))
            burst.stop.set()
            for future in running:
                future.result()

    silence = longest_silence(burst.answered_at, first_cut, last_cut + WATCH_AFTER)
    print(f"\nconnections cut: {killed}; answers: { {s: burst.statuses.count(s) for s in set(burst.statuses)} }; "
          f"longest silence: {silence:.1f} s")
    assert killed >= CUTS
    assert 500 not in burst.statuses
    assert silence <= LONGEST_SILENCE, (tmp_path / "gunicorn.log").read_text()[-2000:]
    stored = set(db.session.scalars(sa.select(Registration.id)))
    assert burst.registered and set(burst.registered) <= stored
    scanned = set(db.session.scalars(sa.select(Registration.ticket_token).join(CheckIn)))
    assert burst.checked_in and set(burst.checked_in) <= scanned
