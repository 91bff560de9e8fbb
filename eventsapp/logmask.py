"""Secret path segments kept out of logs: the one place that knows which paths carry them.

/r/<manage_token> opens a person's registration (name, contact, cancel), /s/<token> their
survey, /q/<code> the venue survey, /os/<token> an office's survey of organizations, /v/<token>
their viewing page (the recording's link); whoever reads a log line holding one could use it.
gunicorn's access log (gunicorn_logging.py) and the application's own log records
(attach_log_masking) both pass through mask_secrets()."""
import logging
import re

from flask import Flask
from flask.logging import default_handler

# The blueprints' token-carrying URL prefixes (registration.views, surveys.views, surveys.org_views,
# viewing.views).
SECRET_PATHS = re.compile(r"(/(?:[rsqv]|os)/)[^/\s?#&\"'<>]+")
MASK = "***"


def mask_secrets(text: str) -> str:
    """The text with every token segment of a path (anywhere: a path, a URL, a message) masked."""
    return SECRET_PATHS.sub(rf"\g<1>{MASK}", text)


class MaskSecrets(logging.Filter):
    """Rewrites a record before any handler formats it: its message (with the arguments
    merged in) and its traceback text, which may quote a URL or a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_secrets(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


def add_filter_once(target: logging.Filterer) -> None:
    if not any(isinstance(existing, MaskSecrets) for existing in target.filters):
        target.addFilter(MaskSecrets())


def attach_log_masking(app: Flask) -> None:
    """Mask the app's own records ("Exception on /r/<token> [POST]" from Flask), those of its
    child loggers that reach Flask's default handler, and the development server's request
    lines (`make run`)."""
    add_filter_once(app.logger)
    add_filter_once(default_handler)
    add_filter_once(logging.getLogger("werkzeug"))
