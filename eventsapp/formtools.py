"""Small helpers shared by every form: choices, and showing a service's refusal at its field."""
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_at_field(form: FlaskForm, field_name: str | None, message: str, *, fallback: str) -> None:
    """Put a service's message under the field it concerns (or the fallback field), so the
    person sees it where they typed."""
    field = getattr(form, field_name or "", None) or getattr(form, fallback)
    field.errors = [*field.errors, message]
