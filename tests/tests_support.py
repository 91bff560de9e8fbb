"""Helpers shared by test modules (plain functions; fixtures live in conftest.py)."""
import email
import email.policy
import socket

from eventsapp.auth.models import Role

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
