"""Rate limits across gunicorn workers: with Redis as the store (FLASK_RATELIMIT_STORAGE_URI=
redis://…) the workers share one counter, so a limit of 12 lets exactly 12 scans through
whichever worker takes them; with the default memory:// store each worker counts alone
(the contrast shows the first test can fail). And what one scan costs the store: one command.

Each request comes on a new TCP connection, so either worker may take it; gunicorn's access
log says which worker (pid) answered what. Redis must be reachable (.ci/run starts it):
without it the Redis test fails, it is not skipped."""
import os
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from tests_support import Answer, Server, gunicorn, post_json, under_way

pytestmark = pytest.mark.slow  # gunicorn with two workers

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 12
ACCESS_FORMAT = "%(p)s %(s)s %(m)s %(U)s"  # <worker pid>, status, method, path


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
        unreachable = None
    except redis.RedisError as error:
        unreachable = error
    if unreachable:
        client.close()
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({unreachable}); the shared rate-limit store "
                    "needs it: start redis-server (as .ci/run does) or set TEST_REDIS_URL", pytrace=False)
    prefix = f"eventsapp-test-{uuid.uuid4().hex}"
    yield client, prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def scan_burst(server: Server, path: str, headers: dict, count: int, threads: int) -> list[Answer]:
    """`count` scans of an unknown ticket, `threads` at a time, each on its own connection."""
    def one(_) -> Answer:
        return post_json(f"{server.base}{path}", {"ticket": "unknown", "nonce": uuid.uuid4().hex}, headers)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(count)))


def served(access_log: Path, path: str, expected: int) -> list[tuple[int, int]]:
    """(worker pid, status) of each scan in the access log. A worker writes its line just
    after the answer has gone out, so the last lines may lag behind the client a little."""
    deadline = time.monotonic() + 5
    while True:
        rows = [(int(pid.strip("<>")), int(status)) for pid, status, method, logged_path in
                (line.split() for line in access_log.read_text().splitlines())
                if method == "POST" and logged_path == path]
        if len(rows) >= expected or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def limited_scans(app, make_event, bearer, tmp_path, env: dict, bursts: int) -> tuple[list[Answer], list]:
    """Run gunicorn with 2 workers and a check-in limit of LIMIT per minute, send bursts
    of `bursts` scans until both workers have answered (the kernel may hand a whole burst
    to one worker, or the other may still be starting; more concurrency then), and return the answers and the access log rows."""
    path = f"/api/v1/events/{make_event(**under_way()).id}/checkins"
    headers = bearer(Role.RECEPTION)
    db.session.remove()
    access_log = tmp_path / "access.log"
    env = {"FLASK_CHECKIN_RATE_LIMIT": f"{LIMIT} per minute", **env}
    options = ("--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT)
    answers: list[Answer] = []
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, env, options=options) as server:
        # On a busy machine the second worker may still be importing the app when the first
        # has answered everything: keep sending, with more concurrency, for up to 30 s.
        deadline = time.monotonic() + 30
        for threads in (8, 16, *[32] * 60):
            answers += scan_burst(server, path, headers, bursts, threads)
            rows = served(access_log, path, len(answers))
            if len({pid for pid, _ in rows}) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert sorted(status for _, status in rows) == sorted(a.status for a in answers), "access log and answers differ"
    assert len({pid for pid, _ in rows}) == 2, f"both workers should have answered some scan: {Counter(rows)}"
    return answers, rows


def test_the_limit_is_shared_by_all_workers_with_the_redis_store(app, make_event, bearer, tmp_path, redis_prefix):
    client, prefix = redis_prefix
    env = {"FLASK_RATELIMIT_STORAGE_URI": REDIS_URL, "FLASK_RATELIMIT_KEY_PREFIX": prefix}
    answers, rows = limited_scans(app, make_event, bearer, tmp_path, env, bursts=40)

    admitted = [a for a in answers if a.status != 429]
    refused = [a for a in answers if a.status == 429]
    print(f"\nanswered by worker (pid, status): {dict(Counter(rows))}")
    assert len(admitted) == LIMIT and len(refused) == len(answers) - LIMIT  # one counter for both workers
    assert {(a.status, a.json()["error"]["code"]) for a in admitted} == {(404, "unknown_ticket")}
    for answer in refused:
        error = answer.json()["error"]
        assert error["code"] == "rate_limited" and "しばらく待ってから" in error["message"]
        assert 0 < int(answer.headers["Retry-After"]) <= 60
    assert list(client.scan_iter(match=f"*{prefix}*")), "the counter is not in Redis"


class RedisCommands:
    """Counts what a Redis client sends: one per command (a round trip each)."""

    def __init__(self, monkeypatch):
        self.sent = []
        send = redis.connection.Connection.send_packed_command

        def counted(connection, command, check_health=True):
            self.sent.append(command)
            return send(connection, command, check_health)

        monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)


def test_a_scan_asks_the_store_once_and_only_a_refusal_asks_when_to_come_back(rate_limited_app, redis_prefix,
                                                                             monkeypatch):
    """The moving window counts and checks in one script (config.py RATELIMIT_STRATEGY); no
    X-RateLimit-* headers are asked for on each answer: only a 429 asks the store when the
    window lets the next scan through (errors.py retry_after), one script more."""
    from eventsapp.auth.service import create_user, issue_token

    client, prefix = redis_prefix
    app = rate_limited_app(CHECKIN_RATE_LIMIT="2 per minute", RATELIMIT_STORAGE_URI=REDIS_URL,
                           RATELIMIT_KEY_PREFIX=prefix)
    with app.app_context():
        user, _ = create_user(db.session, username="door-redis", role=Role.RECEPTION, password="redis-door-pass-2025")
        headers = {"Authorization": f"Bearer {issue_token(db.session, user=user)}"}
        db.session.remove()
    web = app.test_client()

    def scan(n: int, address: str = "127.0.0.1"):
        return web.post("/api/v1/events/999999/checkins", json={"ticket": "x", "nonce": f"n-redis-{n:02d}"},
                        headers=headers, environ_base={"REMOTE_ADDR": address})

    # Another address meets the limit first, so that Redis knows both scripts (a script's first
    # call may cost a second command, which would blur the count).
    assert [scan(n, "192.0.2.7").status_code for n in range(3)] == [404, 404, 429]
    commands = RedisCommands(monkeypatch)
    answers, sent = [], []
    for n in range(3, 6):
        before = len(commands.sent)
        answers.append(scan(n))
        sent.append(len(commands.sent) - before)
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert sent == [1, 1, 2]  # a scan: one script; the refusal: its script, then the window's
    assert not any(name.lower().startswith("x-ratelimit") for name in answers[0].headers.keys())
    assert 0 < int(answers[2].headers["Retry-After"]) <= 60


def test_each_worker_counts_alone_with_the_memory_store(app, make_event, bearer, tmp_path):
    answers, rows = limited_scans(app, make_event, bearer, tmp_path, {"FLASK_RATELIMIT_STORAGE_URI": "memory://"},
                                  bursts=60)

    by_worker = Counter(pid for pid, _ in rows)
    admitted_by_worker = Counter(pid for pid, status in rows if status != 429)
    print(f"\nanswered by worker (pid, status): {dict(Counter(rows))}")
    # Each worker lets its own first LIMIT scans through: more than LIMIT in all.
    assert {pid: admitted_by_worker[pid] for pid in by_worker} == {pid: min(n, LIMIT) for pid, n in by_worker.items()}
    assert sum(a.status != 429 for a in answers) > LIMIT
