"""The public registration form: phone first, no JavaScript needed.

Field names are those of people.identity.PersonFields, so the service's refusals land at
the field they concern."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from ..formtools import choices
from ..people.identity import PersonFields
from ..people.professions import PROFESSIONS

MODES = {"in_person": _l("会場で参加（参集）"), "on_demand": _l("録画を視聴（オンデマンド）")}
MAX = Length(max=100, message=_l("100文字以内で入力してください。"))


class RegistrationForm(FlaskForm):
    family_name = StringField(_l("姓"), validators=[DataRequired(_l("姓を入力してください。")), MAX],
                              render_kw={"autocomplete": "family-name"})
    given_name = StringField(_l("名"), validators=[Optional(), MAX], render_kw={"autocomplete": "given-name"})
    family_kana = StringField(_l("せい（ふりがな）"), validators=[DataRequired(_l("ふりがなを入力してください。")), MAX])
    given_kana = StringField(_l("めい（ふりがな）"), validators=[Optional(), MAX])
    email = EmailField(_l("メールアドレス"), validators=[Optional(), Length(max=100)], render_kw={"autocomplete": "email"})
    phone = TelField(_l("電話番号"), validators=[Optional(), Length(max=30)], render_kw={"autocomplete": "tel"})
    profession = SelectField(_l("職種"), choices=choices([("", _l("選んでください"))] + [(p, p) for p in PROFESSIONS]),
                             validators=[Optional()])
    profession_other = StringField(_l("職種（その他の場合）"), validators=[Optional(), MAX])
    organization = StringField(_l("所属（事業所・病院名など）"), validators=[Optional(), MAX],
                               render_kw={"list": "organizations", "autocomplete": "organization"})
    mode = RadioField(_l("参加方法"), choices=choices(MODES.items()), default="in_person")
    consent = BooleanField(
        _l("上記の個人情報の利用目的に同意します"),
        validators=[DataRequired(_l("個人情報の利用目的への同意が必要です。"))],
    )

    def person_fields(self) -> PersonFields:
        return PersonFields(
            family_name=self.family_name.data or "",
            given_name=self.given_name.data or "",
            family_kana=self.family_kana.data or "",
            given_kana=self.given_kana.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            profession=self.profession.data or "",
            profession_other=self.profession_other.data or "",
            organization=self.organization.data or "",
        )
