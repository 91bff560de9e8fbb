"""The one refusal type of the business rules: DomainError, with a subclass per capability.

Each subclass holds one table, MESSAGES = {code: (message, HTTP status)}, beside the rules
that raise it. The message is a lazy_gettext string, so it is translated when it is shown,
in the language of whoever reads it (the screens, the API's error body, a command's output);
values go in as %(name)s parameters. eventsapp.errors turns any uncaught DomainError into
the API's error body or the error page, so views need no converter of their own.
"""
from flask_babel import lazy_gettext as _l

UNKNOWN_EVENT = (_l("指定されたイベントはありません。"), 404)


class DomainError(Exception):
    """A refusal with a stable code, the field at fault (or None) and an HTTP status.

    `detail` is data shown after the message as typed (a question's text, a value);
    keyword parameters fill the message's %(name)s placeholders."""

    MESSAGES: dict[str, tuple] = {"unknown_event": UNKNOWN_EVENT}

    def __init__(self, code: str, field: str | None = None, status: int | None = None, *,
                 detail: str = "", text=None, **params):
        super().__init__(code)
        message, default_status = self.MESSAGES[code]
        self.code, self.field, self.status = code, field, status or default_status
        self.text = text if text is not None else message  # a sentence more precise than the table's
        self.detail, self.params = detail, params

    @classmethod
    def text_of(cls, code: str):
        """The code's message, lazily translated (for a form's or a schema's validator)."""
        return cls.MESSAGES[code][0]

    @property
    def message(self) -> str:
        message = str(self.text) % self.params if self.params else str(self.text)
        return message + (f"（{self.detail}）" if self.detail else "")

    def body(self) -> dict:
        """The API's error body: {"code", "message", "fields"?}, the field named when known."""
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["fields"] = {self.field: [self.message]}
        return body

    def carried_as(self, cls: type["DomainError"]) -> "DomainError":
        """The same refusal as another capability's error (an importer passing on its service's)."""
        error = cls.__new__(cls)
        Exception.__init__(error, self.code)
        error.__dict__.update(self.__dict__)
        return error
