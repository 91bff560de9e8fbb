"""Forms of the evaluation framework: an indicator (with its measure), an entered value with its
provenance, and the year's 評価. The forms catch typing slips; service.py checks every rule
again and its errors are shown at the field they concern."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..catalog.forms import CheckboxesField
from ..dates import FIRST_YEAR, LAST_YEAR
from ..formtools import choices
from ..people.organizations import ORGANIZATION_TYPES
from ..surveys.defaults import indicator_label
from .measures import SURVEY_KEYS
from .models import MAX_INTERVAL
from .service import MAX_NAME, MAX_TARGET, MAX_TEXT, MAX_UNIT

REQUIRED = _l("入力してください。")
TOO_LONG = _l("%(max)d文字以内で入力してください。")
WHOLE = _l("0以上の整数で入力してください。")


class IndicatorForm(FlaskForm):
    goal = SelectField(_l("中期目標"))
    scene = SelectField(_l("場面"))
    name = StringField(_l("評価指標"), validators=[DataRequired(REQUIRED), Length(max=MAX_NAME, message=TOO_LONG)])
    expected = TextAreaField(_l("期待値"), validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)])
    source = TextAreaField(_l("把握方法"), validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)])
    interval_years = IntegerField(
        _l("評価の間隔（年）"), default=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, MAX_INTERVAL, message=_l("1〜%(max)s年で入力してください。"))])
    base_year = IntegerField(_l("評価する年度の一つ（西暦）"),
                             validators=[Optional(), NumberRange(FIRST_YEAR, LAST_YEAR)])
    unit = StringField(_l("単位"), validators=[Optional(), Length(max=MAX_UNIT, message=TOO_LONG)])
    target = StringField(_l("目標（任意）"), validators=[Optional(), Length(max=MAX_TARGET, message=TOO_LONG)])
    position = IntegerField(_l("表示順"), validators=[Optional(), NumberRange(0, 10000)])
    measure = SelectField(_l("値の出し方"))
    series_ids = CheckboxesField(_l("シリーズ"), coerce=int)
    key = SelectField(_l("アンケートの指標"), choices=choices([("", "—"), *((k, indicator_label(k)) for k in SURVEY_KEYS)]))
    scope = RadioField(_l("新規参加者の範囲"), default="series",
                       choices=choices([("series", _l("このシリーズに初めて参加")), ("programme", _l("事業に初めて参加"))]))
    survey_key = StringField(_l("事業所向けアンケートの指標キー"), validators=[Optional(), Length(max=50, message=TOO_LONG)])
    organization_type = SelectField(_l("事業所種別"),
                                    choices=choices([("", _l("すべて")), *((t, t) for t in ORGANIZATION_TYPES)]))

    def params(self) -> dict:
        """The measure's parameters as typed; the service keeps those the measure takes."""
        return {"series_ids": self.series_ids.data or [], "key": self.key.data, "scope": self.scope.data,
                "survey_key": (self.survey_key.data or "").strip(), "organization_type": self.organization_type.data}


class ValueForm(FlaskForm):
    value = StringField(_l("値"), validators=[Optional(), Length(max=30)])
    n = IntegerField(_l("分子（該当する人数・事業所数）"), validators=[Optional(), NumberRange(min=0, message=WHOLE)])
    d = IntegerField(_l("分母（回答した人数・事業所数）"), validators=[Optional(), NumberRange(min=1, message=_l("1以上の整数で入力してください。"))])
    taken_on = DateField(_l("把握日"), validators=[InputRequired(_l("日付を入力してください。"))])
    source_note = TextAreaField(_l("出典"), validators=[DataRequired(REQUIRED), Length(max=MAX_TEXT, message=TOO_LONG)])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("評価"), validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)])


class ConfirmForm(FlaskForm):
    """The confirmation of a deletion: nothing but its CSRF token, posted from the page that asks."""
