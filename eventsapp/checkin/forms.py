"""The door's forms: a one-tap check-in from the search list, and the walk-in form with
the fewest fields (氏名 and ふりがな as typed in one box each)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..formtools import choices, data_labels
from ..people.identity import PersonFields, split_name
from ..people.professions import PROFESSIONS

MAX = Length(max=100, message=_l("100文字以内で入力してください。"))
# Where a refusal of registration/service.check_person_fields belongs on this form.
FORM_FIELD = {"family_name": "name", "given_name": "name", "family_kana": "kana", "given_kana": "kana"}


class OneTapForm(FlaskForm):
    registration_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    nonce = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])


class WalkInForm(FlaskForm):
    name = StringField(_l("氏名"), validators=[DataRequired(_l("氏名を入力してください。")), MAX],
                       render_kw={"autocomplete": "off"})
    kana = StringField(_l("ふりがな"), validators=[Optional(), MAX], render_kw={"autocomplete": "off"})
    organization = StringField(_l("所属"), validators=[Optional(), MAX], render_kw={"autocomplete": "off"})
    profession = SelectField(_l("職種"), choices=choices([("", _l("選んでください"))] + data_labels(PROFESSIONS)),
                             validators=[Optional()])
    email = EmailField(_l("メールアドレス"), validators=[Optional(), Length(max=100)], render_kw={"autocomplete": "off"})
    phone = TelField(_l("電話番号"), validators=[Optional(), Length(max=30)], render_kw={"autocomplete": "off"})

    def person_fields(self) -> PersonFields:
        family_name, given_name = split_name(self.name.data or "")
        family_kana, given_kana = split_name(self.kana.data or "")
        return PersonFields(
            family_name=family_name, given_name=given_name, family_kana=family_kana, given_kana=given_kana,
            email=self.email.data or "", phone=self.phone.data or "", profession=self.profession.data or "",
            organization=self.organization.data or "",
        )
