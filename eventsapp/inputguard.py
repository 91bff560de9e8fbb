"""One guard in front of every route, for input that no route can use and that would
otherwise surface as a server error deep inside a view:

- a NUL character (PostgreSQL text cannot hold one; the driver raises),
- a lone surrogate from a JSON escape such as "\\ud800" (it cannot be encoded as UTF-8),
- JSON nested deeper than MAX_JSON_DEPTH (Python's parser runs out of stack near 1,000).

Path, query string, form fields and JSON bodies (keys and values) are checked before any
other hook or view runs; a refusal is a 400 with a Japanese message, as JSON under /api/
and as the error page elsewhere."""
import re
from itertools import accumulate

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from .domain import DomainError

# The deepest body the API takes is {"answers": {key: [codes]}}; 20 leaves ample room.
MAX_JSON_DEPTH = 20
UNUSABLE = re.compile("[\x00\ud800-\udfff]")
# A string, or an unterminated one up to the end: each byte is scanned once (a pattern that
# needs the closing quote scans again from every later quote, quadratic on '"\"\"\"…').
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"?', re.DOTALL)
NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
DEPTH_STEP = tuple(1 if chr(b) in "[{" else -1 if chr(b) in "]}" else 0 for b in range(256))


class InputError(DomainError):
    """Input that no route can use, refused before any of them runs."""

    MESSAGES = {
        "invalid_characters": (_l("使用できない文字（NUL 文字や不正な文字コード）が含まれています。入力内容を確かめてください。"),
                               400),
        "json_too_deep": (_l("JSON の入れ子が深すぎます（%(depth)d段まで）。"), 400),
    }


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than limit at any point, found without
    parsing (the parser itself is what fails on deep input, unbalanced or not) and in C-speed
    linear passes: strings out, brackets kept, the running depth's maximum."""
    brackets = JSON_STRING.sub(b"", body).translate(None, NOT_A_BRACKET)
    return max(accumulate(map(DEPTH_STEP.__getitem__, brackets), initial=0)) > limit


def holds_unusable(value) -> bool:
    """A NUL or a lone surrogate anywhere in a string, or in a list's or dict's keys and values."""
    if isinstance(value, str):
        return UNUSABLE.search(value) is not None
    if isinstance(value, dict):
        return any(holds_unusable(key) or holds_unusable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_unusable(item) for item in value)
    return False


def refusal() -> InputError | None:
    """The error refusing this request, or None when its input is usable."""
    if holds_unusable(request.path):
        return InputError("invalid_characters")
    is_json = request.is_json
    # A JSON body is no form: its (empty) form is not parsed for nothing.
    for values in (request.args,) if is_json else (request.args, request.form):
        if any(holds_unusable(key) or holds_unusable(values.getlist(key)) for key in values):
            return InputError("invalid_characters")
    if is_json:
        body = request.get_data(cache=True)
        if json_depth_exceeds(body):
            return InputError("json_too_deep", depth=MAX_JSON_DEPTH)
        # An unparsable body is left to the view, which answers it with invalid_json.
        if holds_unusable(request.get_json(silent=True)):
            return InputError("invalid_characters")
    return None


def guard_input() -> None:
    """Raises InputError, which eventsapp.errors answers like every DomainError (a 400)."""
    refused = refusal()
    if refused is not None:
        raise refused


def register(app: Flask) -> None:
    """Registered before the extensions' hooks, so that none of them sees refused input."""
    app.before_request(guard_input)
