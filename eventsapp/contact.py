"""The 事務局 (organizing office) people are told to call or write to: FLASK_ORGANIZER_CONTACT.

Every mail, the public footer, the ticket page and the "already registered" page name it, so
that someone without e-mail, or whose QR code will not scan, always has a number to call.
Given as JSON (`FLASK_ORGANIZER_CONTACT='{"name": "…", "phone": "…", "email": "…"}'`, which
Flask's from_prefixed_env parses); the app refuses to start with anything else rather than
print an empty phone number in a thousand mails.
"""
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app

REQUIRED_KEYS = ("name", "phone", "email")
MAX_LENGTH = 100


@dataclass(frozen=True)
class OrganizerContact:
    name: str
    phone: str
    email: str

    @property
    def phone_digits(self) -> str:
        """The number for a tel: link (digits and a leading +; hyphens and spaces dropped)."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


def check_organizer_contact(config: Mapping) -> None:
    """Refuse to start unless ORGANIZER_CONTACT is a mapping of non-empty texts under
    name, phone and email (nothing else)."""
    value = config.get("ORGANIZER_CONTACT")
    if not isinstance(value, Mapping) or set(value) != set(REQUIRED_KEYS):
        raise ValueError(
            'FLASK_ORGANIZER_CONTACT must be JSON with exactly "name", "phone" and "email", '
            f"not {value!r}"
        )
    for key in REQUIRED_KEYS:
        text = value[key]
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_LENGTH:
            raise ValueError(f"FLASK_ORGANIZER_CONTACT {key!r} must be a text of 1 to {MAX_LENGTH} characters")


def organizer_contact() -> OrganizerContact:
    """The configured 事務局 (needs an app context; the templates call it as a global)."""
    value = current_app.config["ORGANIZER_CONTACT"]
    return OrganizerContact(**{key: value[key].strip() for key in REQUIRED_KEYS})
