"""Outgoing mail: an outbox table written in the business transaction and a sender that
delivers after commit (`flask --app eventsapp mail send`). The capabilities write their own
mails (registration/mails.py, surveys/mails.py) and queue them here."""
from flask import Flask


def register(app: Flask) -> None:
    """`mail send` (registration adds `mail remind` to the same group)."""
    from .cli import mail

    app.cli.add_command(mail)
