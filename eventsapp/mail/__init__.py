"""Outgoing mail: an outbox table written in the business transaction, a sender that
delivers after commit (`flask --app eventsapp mail send`), and the Japanese messages."""
from flask import Flask


def register(app: Flask) -> None:
    """`mail send` (registration adds `mail remind` to the same group)."""
    from .cli import mail

    app.cli.add_command(mail)
