"""Helpers shared by test modules (plain functions; fixtures live in conftest.py)."""
import email
import email.policy
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.extensions import db

ROLE_PASSWORD = "correct-horse-battery"
# The reference codes and labels the initial migration seeds.
GOALS = {"awareness": "①市民啓発", "acp": "②人生会議(ACP)推進", "sharing": "③情報共有", "collaboration": "④多職種連携"}
SCENES = {
    "daily": "日常の療養支援",
    "admission": "入退院支援",
    "emergency": "急変時の対応",
    "end_of_life": "看取り",
    "disaster": "災害発生時",
    "common": "共通・資源",
}


def under_way(*, started: timedelta = timedelta(minutes=30), lasting: timedelta = timedelta(hours=2)) -> dict:
    """starts_at/ends_at for make_event(**under_way()): an event running now, so its door is
    open to every role (the door's hours: eventsapp/checkin/window.py)."""
    starts_at = datetime.now(timezone.utc) - started
    return {"starts_at": starts_at, "ends_at": starts_at + lasting}


def logged_in_client(app, make_user, role: Role, *, username: str | None = None):
    """A fresh test client with its own session, logged in with a new account of that role."""
    username = username or f"walk-{role.value}"
    make_user(username, role)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": ROLE_PASSWORD})
    assert response.status_code == 302, response.data
    return client


def register_in_threads(app, event_id: int, numbers) -> list[str]:
    """Register one distinct person per number, all at once, each in its own app context;
    returns the statuses given. Used by the concurrency tests, also in child processes."""
    from concurrent.futures import ThreadPoolExecutor

    from eventsapp.extensions import db
    from eventsapp.people.identity import PersonFields
    from eventsapp.registration.models import RegistrationMode
    from eventsapp.registration.service import register

    def one(n: int) -> str:
        with app.app_context():
            person = PersonFields(family_name="同時", given_name=str(n), family_kana="どうじ",
                                  email=f"rush{n}@example.jp")
            result = register(db.session, event_id=event_id, person=person, mode=RegistrationMode.IN_PERSON)
            status = result.registration.status.value
            db.session.remove()
            return status

    numbers = list(numbers)
    with ThreadPoolExecutor(max_workers=len(numbers)) as pool:
        return list(pool.map(one, numbers))


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses the addresses in `refused`."""

    def __init__(self):
        self.envelopes = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]


def free_port() -> int:
    """A port nothing listens on (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a real server: gunicorn with several worker processes, against the test database ---

GUNICORN = Path(sys.executable).with_name("gunicorn")


@dataclass(frozen=True)
class Answer:
    """What a server answered; status None when the connection was lost (the worker died)."""
    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body)


def _body(response) -> bytes:
    try:
        return response.read()
    except (OSError, http.client.HTTPException):  # cut off after the status line
        return b""


def post_json(url: str, body: dict, headers: Mapping[str, str]) -> Answer:
    """POST body as JSON on a new TCP connection (so that any worker may take it)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers, _body(response))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, _body(error))
    except OSError:
        return Answer(None)


def _wait_until_up(base: str, deadline: float, server: subprocess.Popen | None = None) -> None:
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode} while starting")
        try:
            urllib.request.urlopen(f"{base}/privacy", timeout=5).close()
            return
        except OSError:  # refused while binding, or timed out while the workers boot
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:<port>
    process: subprocess.Popen  # the gunicorn master


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_gunicorn_options(readme: Path = README) -> tuple[str, ...]:
    """The options of the production gunicorn command in the README, exactly as written there
    (backslash-continued lines joined), without `gunicorn` itself and the application."""
    text = readme.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        words = shlex.split(line.strip()) if line.strip().startswith("gunicorn ") else []
        if words and words[-1] == "eventsapp:create_app()":
            return tuple(words[1:-1])
    raise AssertionError("no `gunicorn … 'eventsapp:create_app()'` command in the README")


def with_bind(options: tuple[str, ...], address: str) -> tuple[str, ...]:
    """options with the address of --bind (or -b) replaced, or added."""
    words = list(options)
    for flag in ("--bind", "-b"):
        if flag in words:
            words[words.index(flag) + 1] = address
            return tuple(words)
    return (*words, "--bind", address)


@contextmanager
def gunicorn(database_url: str, log_dir: Path, env: Mapping[str, str], *, workers: int = 2,
             options: tuple[str, ...] = (), as_in_readme: bool = False, port: int | None = None,
             log_level: str = "warning") -> Iterator[Server]:
    """Run `eventsapp:create_app()` under gunicorn on a free port (or `port`) with that
    database and extra environment (FLASK_… settings); stops it with SIGTERM on leaving.
    as_in_readme runs the README's production command with its options unchanged but the
    address (workers and options are then ignored). Its error log is log_dir/gunicorn.log,
    and is shown if it does not come up."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    if as_in_readme:
        arguments = with_bind(readme_gunicorn_options(), f"127.0.0.1:{port}")
    else:
        arguments = ("--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "1", *options)
    log_path = log_dir / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), *arguments, "--log-level", log_level, "eventsapp:create_app()"],
            env={**os.environ, "DATABASE_URL": database_url, **env}, stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            try:
                _wait_until_up(base, time.monotonic() + 30, process)
            except AssertionError as error:
                raise AssertionError(f"{error}; its log:\n{log_path.read_text()}") from None
            yield Server(base, process)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=40)


def terminate_connections(engine, application_name: str) -> int:
    """Cut every PostgreSQL connection opened under that application_name (a fault test's
    server or pool), as a restarted or failing database would; how many were cut."""
    with engine.connect() as conn:
        killed = conn.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": application_name}).scalar()
        conn.commit()
    return killed


class QueryCounter:
    """Counts the statements sent to `engine` inside the with block."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self)


def queries(call) -> int:
    """How many statements `call()` sends, starting from an empty identity map."""
    db.session.commit()
    db.session.expire_all()
    with QueryCounter(db.engine) as counter:
        call()
    return counter.count
