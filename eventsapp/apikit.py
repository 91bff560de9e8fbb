"""What every JSON API blueprint shares: the error envelope, Japanese validation
messages, Tokyo-time datetimes, and the flask-smorest Api that documents them."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from marshmallow import Schema, fields, validate
from werkzeug.routing import IntegerConverter

from .dates import FIRST_YEAR, LAST_YEAR, YEAR_OUT_OF_RANGE, YEAR_PATTERN, in_supported_years, to_tokyo


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw())


class ErrorSchema(Schema):
    """docs/architecture.md, *JSON API*: {"error": {"code": "<snake_case>", "message": "<日本語>"}}."""

    error = fields.Nested(ErrorBodySchema, required=True)


class ProgrammeApi(Api):
    """flask-smorest's Api, documenting our error envelope, the fiscal-year range of paths
    and enums narrowed by OneOf. Errors are rendered app-wide by eventsapp.errors, so HTML
    pages and the API answer from one place."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_converter(FiscalYearConverter, FiscalYearConverter.openapi_schema)

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(narrowed_enum)

    def _register_error_handlers(self):  # eventsapp.errors handles every HTTPException
        pass


def narrowed_enum(converter, field: fields.Field, ret: dict) -> dict:
    """An Enum field narrowed by a OneOf validator documents only the members it takes."""
    if not isinstance(field, fields.Enum):
        return {}
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return {"enum": [field._serialize(choice, None, None) for choice in validator.choices]}
    return {}


# marshmallow's messages in the visitor's language (lazy: translated when the answer is written).
JA_MESSAGES = {
    "required": _l("必須項目です。"),
    "null": _l("空にはできません。"),
    "invalid": _l("形式が正しくありません。"),
    "invalid_utf8": _l("文字コードが正しくありません。"),
    "invalid_awareness": _l("時差（+09:00 など）を付けて指定してください。"),
    "format": _l("日時の形式が正しくありません（ISO 8601）。"),
    "too_large": _l("値が大きすぎます。"),
    "unknown": _l("この項目は受け付けていません。"),
    "type": _l("形式が正しくありません。"),
}
JA_BY_FIELD_TYPE = {
    (fields.Integer, "invalid"): _l("整数で指定してください。"),
    (fields.String, "invalid"): _l("文字列で指定してください。"),
    (fields.Boolean, "invalid"): _l("true または false で指定してください。"),
    (fields.List, "invalid"): _l("配列で指定してください。"),
    (fields.DateTime, "invalid"): _l("日時の形式が正しくありません（例: 2025-07-11T18:30:00+09:00）。"),
}


# Every integer the API takes fits the database's INTEGER (a larger id cannot exist, and
# PostgreSQL would refuse to compare with it): a 422 instead of a database error.
INT_MAX = 2**31 - 1
DATABASE_INTEGER = validate.Range(min=-INT_MAX, max=INT_MAX, error=_l("値が大きすぎます（±2147483647 まで）。"))


# Patterns the OpenAPI document carries, so that a generated client knows the rules the
# services apply. JSON Schema patterns search anywhere, hence the anchors.
CONTROL = r"\x00-\x1f\x7f-\x9f"  # Unicode category Cc, which the person services refuse
NOT_BLANK = r"^\s*\S"
KANA = r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fe\uff65-\uff9d \u3000]*$"  # hiragana, katakana, ー, ・, spaces
# A subset of what the e-mail check takes (plain ASCII addresses), or empty.
EMAIL = r"^([A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})?$"
# 10 or 11 digits (half- or full-width) with hyphens, brackets, spaces or +, or empty.
PHONE_SEPARATORS = "[-‐－ー()（） \u3000+＋]*"
PHONE = f"^({PHONE_SEPARATORS}([0-9０-９]{PHONE_SEPARATORS}){{10,11}})?$"
BLANK_MESSAGE = _l("空欄にはできません。")


class TextLength(validate.Length):
    """minLength/maxLength in the document; an empty text is refused by the not-blank
    pattern, with its own message, so this one only says "too long"."""

    def __call__(self, value: str) -> str:
        return value if len(value) < (self.min or 0) else super().__call__(value)


def text(max_length: int, *, blank: bool = True, controls: bool = True, pattern: str | None = None,
         message: str | None = None, **kwargs) -> fields.String:
    """A string with its real bounds stated: at most max_length characters; with blank=False
    at least one that is not a space; with controls=False no control characters."""
    validators = [TextLength(min=0 if blank else 1, max=max_length, error=_l("%(n)s文字以内で指定してください。", n=max_length))]
    if pattern is None and not controls:
        free = f"[^{CONTROL}]*"
        pattern = f"^{free}$" if blank else f"^{free}[^\\s{CONTROL}]{free}$"
    elif pattern is None and not blank:
        pattern = NOT_BLANK
    if pattern is not None:
        validators.append(validate.Regexp(pattern, error=message or (BLANK_MESSAGE if pattern == NOT_BLANK
                                                                     else JA_MESSAGES["invalid"])))
    return fields.String(validate=validators, **kwargs)


class JaSchema(Schema):
    """A schema whose validation messages are in Japanese."""

    class Meta:
        ordered = True

    error_messages = {"unknown": JA_MESSAGES["unknown"], "type": _l("JSON オブジェクトで送ってください。")}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        for integer in (field_obj, getattr(field_obj, "inner", None)):
            if isinstance(integer, fields.Integer) and not any(isinstance(v, validate.Range) for v in integer.validators):
                integer.validators.append(DATABASE_INTEGER)
        for key in list(field_obj.error_messages):
            for field_type, ja_key in JA_BY_FIELD_TYPE:
                if ja_key == key and isinstance(field_obj, field_type):
                    field_obj.error_messages[key] = JA_BY_FIELD_TYPE[(field_type, ja_key)]
                    break
            else:
                if key in JA_MESSAGES:
                    field_obj.error_messages[key] = JA_MESSAGES[key]


class StrictBoolean(fields.Boolean):
    """true or false, as the OpenAPI document says; not marshmallow's "yes", 1 or "on"."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class TokyoDateTime(fields.AwareDateTime):
    """ISO 8601 with an offset: any offset accepted, Asia/Tokyo written. The year must be
    one that eventsapp.dates supports; the OpenAPI document says so with a pattern."""

    default_error_messages = {"year": YEAR_OUT_OF_RANGE}

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"pattern": YEAR_PATTERN, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if not in_supported_years(parsed):
            raise self.make_error("year")
        return parsed

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else to_tokyo(value).isoformat()


class DatabaseIntConverter(IntegerConverter):
    """<int:…> in URLs, bounded to the database's INTEGER: /events/99999999999 is a 404,
    never a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class FiscalYearConverter(DatabaseIntConverter):
    """<fiscal_year:…> in URLs: any integer reaches the view, which refuses a year outside
    FIRST_YEAR–LAST_YEAR with a 422 in Japanese; the OpenAPI document states the range."""

    @staticmethod
    def openapi_schema(converter) -> dict:
        return {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}
