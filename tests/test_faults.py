"""Faults: the database connection cut during a burst of check-ins (as in a PostgreSQL
restart) gives the door an error it can retry, and no scan is lost or counted twice."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.auth.service import create_user, issue_token
from eventsapp.checkin.models import CheckIn
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import ROLE_PASSWORD, terminate_connections, under_way

FAULT_APP = "eventsapp-fault"  # application_name of the connections the test cuts
CUTTING_SECONDS = 1.5


def test_connections_cut_during_a_burst_of_check_ins(app, make_event):
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("cutting server connections is a PostgreSQL fault")
    event = make_event(capacity=None, **under_way())
    tickets = [register(db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON,
                        source=RegistrationSource.STAFF,
                        person=PersonFields(family_name="障害", given_name=str(n), family_kana="しょうがい",
                                            email=f"fault{n}@example.jp")).registration.ticket_token
               for n in range(60)]
    event_id = event.id
    user, _ = create_user(db.session, username="fault-door", role=Role.RECEPTION, password=ROLE_PASSWORD)
    headers = {"Authorization": f"Bearer {issue_token(db.session, user=user)}"}
    db.session.remove()

    door = create_app({
        "TESTING": True, "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"application_name": FAULT_APP}},
    })
    statuses: list[int] = []
    done = threading.Event()

    def scan(n: int) -> int:
        """Send one scan until the server has it, the same nonce every time, as the scanner does."""
        client = door.test_client()
        body = {"ticket": tickets[n], "nonce": f"fault-nonce-{n:04d}"}
        for _ in range(100):
            response = client.post(f"/api/v1/events/{event_id}/checkins", json=body, headers=headers)
            statuses.append(response.status_code)
            if response.status_code != 503:
                return response.status_code
            time.sleep(0.05)
        return 503

    engine = db.engine

    def cut_repeatedly() -> int:
        """Cut every connection of the door app, again and again for a moment (as a server
        restart would), then let it recover."""
        killed, until = 0, time.monotonic() + CUTTING_SECONDS
        while not done.is_set() and time.monotonic() < until:
            killed += terminate_connections(engine, FAULT_APP)
            time.sleep(0.05)
        return killed

    with ThreadPoolExecutor(1) as killer_pool:
        killer = killer_pool.submit(cut_repeatedly)
        with ThreadPoolExecutor(8) as pool:
            final = list(pool.map(scan, range(60)))
        done.set()
        killed = killer.result()
    with door.app_context():
        db.engine.dispose()

    print(f"\nconnections cut: {killed}; answers: 503 × {statuses.count(503)}, "
          f"201 × {statuses.count(201)}, 200 × {statuses.count(200)}")
    assert 500 not in statuses
    assert set(final) == {201}  # every scan got its check-in (a replay of the first answer is 201 too)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 60
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(CheckIn.nonce)))) == 60
