"""Outgoing mail: an outbox table written in the business transaction and a sender that
delivers after commit (`flask --app eventsapp mail send`). The capabilities write their own
mails (registration/mails.py, surveys/mails.py) and queue them here."""
