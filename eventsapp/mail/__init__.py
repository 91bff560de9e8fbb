"""Outgoing mail: an outbox table written in the business transaction, a sender that
delivers after commit (`flask --app eventsapp mail send`), and the Japanese messages."""
