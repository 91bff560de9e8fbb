"""What every JSON API blueprint shares: the error envelope, Japanese validation
messages, Tokyo-time datetimes, and the flask-smorest Api that documents them."""
from datetime import datetime

from flask_smorest import Api
from marshmallow import Schema, fields, validate
from werkzeug.routing import IntegerConverter

from .dates import FIRST_YEAR, LAST_YEAR, YEAR_OUT_OF_RANGE, YEAR_PATTERN, in_supported_years, to_tokyo


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw())


class ErrorSchema(Schema):
    """DESIGN §6: {"error": {"code": "<snake_case>", "message": "<日本語>"}}."""

    error = fields.Nested(ErrorBodySchema, required=True)


class ProgrammeApi(Api):
    """flask-smorest's Api, documenting our error envelope. Errors are rendered app-wide
    by eventsapp.errors, so HTML pages and the API answer from one place."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_converter(FiscalYearConverter, FiscalYearConverter.openapi_schema)

    def _register_error_handlers(self):  # eventsapp.errors handles every HTTPException
        pass


class ApiError(Exception):
    """An API refusal with a stable code and a Japanese message."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(code)
        self.status, self.code, self.message, self.fields = status, code, message, fields


# Japanese text for marshmallow's messages, by message key.
JA_MESSAGES = {
    "required": "必須項目です。",
    "null": "空にはできません。",
    "invalid": "形式が正しくありません。",
    "invalid_utf8": "文字コードが正しくありません。",
    "invalid_awareness": "時差（+09:00 など）を付けて指定してください。",
    "format": "日時の形式が正しくありません（ISO 8601）。",
    "too_large": "値が大きすぎます。",
    "unknown": "この項目は受け付けていません。",
    "type": "形式が正しくありません。",
}
JA_BY_FIELD_TYPE = {
    (fields.Integer, "invalid"): "整数で指定してください。",
    (fields.String, "invalid"): "文字列で指定してください。",
    (fields.Boolean, "invalid"): "true または false で指定してください。",
    (fields.List, "invalid"): "配列で指定してください。",
    (fields.DateTime, "invalid"): "日時の形式が正しくありません（例: 2025-07-11T18:30:00+09:00）。",
}


# Every integer the API takes fits the database's INTEGER (a larger id cannot exist, and
# PostgreSQL would refuse to compare with it): a 422 instead of a database error.
INT_MAX = 2**31 - 1
DATABASE_INTEGER = validate.Range(min=-INT_MAX, max=INT_MAX, error="値が大きすぎます（±2147483647 まで）。")


class JaSchema(Schema):
    """A schema whose validation messages are in Japanese."""

    class Meta:
        ordered = True

    error_messages = {"unknown": JA_MESSAGES["unknown"], "type": "JSON オブジェクトで送ってください。"}

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
