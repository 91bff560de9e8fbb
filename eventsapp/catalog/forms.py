"""Forms of the catalogue: events, series, initiatives, outreach requests.

Forms check what a person can get wrong while typing; the rules of a valid event are
checked again by catalog/service.py, whose errors are shown at the field they concern.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..dates import FIRST_YEAR, LAST_YEAR, tokyo_datetime
from ..formtools import choices, show_at_field
from . import labels
from .models import JOINT_LABELS, MAX_RETENTION_YEARS, Audience, EventFormat
from .service import EventInput

REQUIRED = _l("入力してください。")


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # unknown codes are refused by the service, with a message
        pass


class EventForm(FlaskForm):
    title = StringField(
        _l("タイトル（テーマ）"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=_l("200文字以内で入力してください。"))],
    )
    series_id = SelectField(_l("シリーズ"), coerce=int, validators=[InputRequired(REQUIRED)])
    joint_series_ids = CheckboxesField(_l("合同開催のシリーズ"), coerce=int)
    joint_label = SelectField(_l("実績報告での合同開催の書き方"), choices=choices((label, label) for label in JOINT_LABELS),
                              default=JOINT_LABELS[0])
    day = DateField(_l("開催日"), validators=[InputRequired(_l("日付を入力してください。"))])
    start_time = TimeField(_l("開始時刻"), validators=[InputRequired(_l("時刻を入力してください。"))])
    end_time = TimeField(_l("終了時刻"), validators=[InputRequired(_l("時刻を入力してください。"))])
    venue = StringField(_l("会場"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("会場の所在地"), validators=[Optional(), Length(max=200)])
    join_url = StringField(
        _l("参加用URL（オンライン開催）"),
        validators=[Optional(), Length(max=500, message=_l("500文字以内で入力してください。"))],
    )
    on_demand_url = StringField(
        _l("録画のURL（オンデマンド配信）"),
        validators=[Optional(), Length(max=500, message=_l("500文字以内で入力してください。"))],
    )
    viewing_opens_at = DateTimeLocalField(_l("視聴開始"), validators=[Optional()])
    viewing_closes_at = DateTimeLocalField(_l("視聴終了（空欄は終了なし）"), validators=[Optional()])
    area = SelectField(_l("圏域"), validators=[Optional()])
    format = SelectField(
        _l("開催形式"), choices=choices((f.value, labels.FORMAT[f]) for f in EventFormat), validators=[InputRequired()]
    )
    capacity = IntegerField(
        _l("定員（空欄は定員なし）"),
        validators=[Optional(), NumberRange(min=0, message=_l("0以上の整数で入力してください。"))],
    )
    waitlist = BooleanField(_l("満員のときはキャンセル待ちを受け付ける"), default=True)
    registration_opens_at = DateTimeLocalField(_l("申込開始"), validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("申込締切"), validators=[Optional()])
    goals = CheckboxesField(_l("中期目標"))
    scenes = CheckboxesField(_l("場面"))
    initiative_ids = CheckboxesField(_l("計画の取組"), coerce=int)
    description = TextAreaField(_l("内容・講師など"), validators=[Optional(), Length(max=5000)])

    # The service names fields as the API does; these are where its errors show.
    SERVICE_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}

    def to_input(self) -> EventInput:
        aware = lambda value: tokyo_datetime(value.date(), value.time()) if value else None  # noqa: E731
        return EventInput(
            title=self.title.data or "",
            series_id=self.series_id.data,
            joint_series_ids=self.joint_series_ids.data or [],
            starts_at=tokyo_datetime(self.day.data, self.start_time.data),
            ends_at=tokyo_datetime(self.day.data, self.end_time.data),
            venue=self.venue.data or "",
            venue_address=self.venue_address.data or "",
            join_url=self.join_url.data or "",
            on_demand_url=self.on_demand_url.data or "",
            viewing_opens_at=aware(self.viewing_opens_at.data),
            viewing_closes_at=aware(self.viewing_closes_at.data),
            area=self.area.data or None,
            format=EventFormat(self.format.data),
            capacity=self.capacity.data,
            waitlist=self.waitlist.data,
            goals=self.goals.data or [],
            scenes=self.scenes.data or [],
            registration_opens_at=aware(self.registration_opens_at.data),
            registration_closes_at=aware(self.registration_closes_at.data),
            description=self.description.data or "",
            initiative_ids=self.initiative_ids.data or [],
            joint_label=self.joint_label.data or None,
        )

    def show_service_error(self, field: str | None, message: str) -> None:
        show_at_field(self, self.SERVICE_FIELDS.get(field or "", field), message, fallback="title")


class SeriesForm(FlaskForm):
    name = StringField(_l("シリーズ名"), validators=[DataRequired(REQUIRED), Length(max=200)])
    audience = SelectField(_l("対象"), choices=choices((a.value, labels.AUDIENCE[a]) for a in Audience))
    goals = CheckboxesField(_l("既定の中期目標"))
    scenes = CheckboxesField(_l("既定の場面"))
    description = TextAreaField(_l("説明"), validators=[Optional(), Length(max=5000)])
    # Blank: the global PRIVACY_RETENTION_YEARS, which the template names in the hint.
    retention_years = IntegerField(
        _l("個人情報の保存期間（年）"),
        validators=[Optional(), NumberRange(1, MAX_RETENTION_YEARS, message=_l("1から100までの整数で入力してください。"))],
    )


class InitiativeForm(FlaskForm):
    fiscal_year = IntegerField(_l("年度（西暦）"), validators=[InputRequired(REQUIRED), NumberRange(FIRST_YEAR, LAST_YEAR)])
    scene = SelectField(_l("場面"))
    goals = CheckboxesField(_l("中期目標"))
    target = StringField(_l("対象"), validators=[Optional(), Length(max=100)])
    plan = TextAreaField(_l("計画"), validators=[DataRequired(REQUIRED), Length(max=5000)])
    expected_value = TextAreaField(_l("期待値"), validators=[Optional(), Length(max=5000)])
    result_note = TextAreaField(_l("実績（文章）"), validators=[Optional(), Length(max=10000)])
    position = IntegerField(_l("表示順"), validators=[Optional(), NumberRange(0, 10000)])


class OutreachRequestForm(FlaskForm):
    group_name = StringField(_l("団体名"), validators=[DataRequired(REQUIRED), Length(max=200)])
    contact_name = StringField(_l("ご担当者のお名前"), validators=[DataRequired(REQUIRED), Length(max=100)])
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])
    email = EmailField(
        _l("メールアドレス"), validators=[Optional(), Email(_l("メールアドレスの形式が正しくありません。")), Length(max=254)]
    )
    wished_dates = TextAreaField(
        _l("ご希望の日時（第3希望まで）"), validators=[DataRequired(REQUIRED), Length(max=1000)]
    )
    expected_count = IntegerField(
        _l("参加予定人数"), validators=[Optional(), NumberRange(min=1, max=10000, message=_l("1以上の人数を入力してください。"))]
    )
    venue = StringField(_l("会場（予定）"), validators=[Optional(), Length(max=200)])
    theme = TextAreaField(_l("聞きたいテーマ・ご要望"), validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.phone.data or self.email.data):
            self.phone.errors.append(_l("電話番号かメールアドレスのどちらかを入力してください。"))
            return False
        return ok
