"""Faults: a gunicorn worker killed with SIGKILL in the middle of a burst of registrations
leaves no half-written registration — every person the burst created has their registration,
every registration its confirmation mail, and nobody is registered twice."""
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import OutboxMail
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration
from tests_support import gunicorn, post_json

pytestmark = pytest.mark.slow  # gunicorn, one of whose workers is killed

BURST = 80


def worker_pids(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def test_a_worker_killed_mid_burst_leaves_no_half_written_registration(app, make_event, bearer, tmp_path):
    # A coming event: staff registering for a past one send no mail, and this test
    # checks that every registration has its mail.
    event_id = make_event(day=(now() + timedelta(days=30)).date(), capacity=None).id
    headers = bearer(Role.ORGANIZER)
    db.session.remove()
    env = {"FLASK_RATELIMIT_ENABLED": "false", "FLASK_MAIL_SEND_AFTER_REQUEST": "false"}
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, env) as server:
        killed: list[int] = []

        def kill_a_worker_soon():
            time.sleep(0.3)
            pids = worker_pids(server.process.pid)
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        def one(n: int) -> int | None:
            body = {"family_name": "強制", "given_name": f"終了{n}", "family_kana": "きょうせい",
                    "email": f"kill{n}@example.jp", "mode": "in_person"}
            return post_json(f"{server.base}/api/v1/events/{event_id}/registrations", body, headers).status

        killer = threading.Thread(target=kill_a_worker_soon)
        killer.start()
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(one, range(BURST)))
        killer.join()

    print(f"\nworker killed: {killed}; answers: {sorted(set(a for a in answers if a), key=str)} "
          f"lost connections: {answers.count(None)}")
    assert killed, "no worker was killed"
    assert set(answers) <= {201, None, 500, 503}  # a 5xx only if the kill hit the request mid-way
    persons = db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.family_name == "強制"))
    registrations = db.session.scalars(sa.select(Registration).where(Registration.event_id == event_id)).all()
    mailed = set(db.session.scalars(sa.select(OutboxMail.registration_id)))
    assert persons == len(registrations) >= answers.count(201)
    assert len({r.person_id for r in registrations}) == len(registrations)
    assert {r.id for r in registrations} <= mailed  # each registration with its confirmation
