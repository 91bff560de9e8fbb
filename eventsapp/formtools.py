"""Small helpers shared by every form: choices, and showing a service's refusal at its field."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def N_(text: str) -> str:
    """Mark a Japanese label that is kept as data (stored and exported as it is: 職種, 年代) for
    the translation catalogue (Babel extracts N_ by default); data_labels shows it translated."""
    return text


def data_labels(labels) -> list[tuple[str, str]]:
    """Labels kept as data, as (value, label) choices: the value stays the Japanese text, the
    page shows it in its own language."""
    return [(label, lazy_gettext(label)) for label in labels]


def show_at_field(form: FlaskForm, field_name: str | None, message: str, *, fallback: str) -> None:
    """Put a service's message under the field it concerns (or the fallback field), so the
    person sees it where they typed."""
    field = getattr(form, field_name or "", None) or getattr(form, fallback)
    field.errors = [*field.errors, message]
