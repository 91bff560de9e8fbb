"""The organizer's form for an initiative's 実績: its prose, the prose's place, and the linked
events written in full in this cell (the numbers are computed)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..catalog.forms import CheckboxesField

RESULT_NOTE_MAX = 4000  # one cell of the printed table; the city's longest is under 400


def no_control_characters(form, field) -> None:
    """Line breaks and tabs are fine; other control characters break CSV/XLSX cells."""
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in field.data or ""):
        raise ValidationError(_l("使えない文字（制御文字）が含まれています。"))


class ResultNoteForm(FlaskForm):
    result_note = TextAreaField(
        _l("実績（文章）"),
        validators=[
            Length(max=RESULT_NOTE_MAX, message=_l("%(max)d文字以内で入力してください。")),
            no_control_characters,
        ],
    )
    prose_first = BooleanField(_l("文章を自動の行より前に書く"))
    # The linked events whose lines this initiative writes; the others get a reference line.
    main_event_ids = CheckboxesField(_l("この欄に実績を書くイベント"), coerce=int)
