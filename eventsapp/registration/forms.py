"""The registration form: phone first, no JavaScript needed.

Field names are those of people.identity.PersonFields, so the service's refusals land at
the field they concern. One form class for every audience; `fit_to_audience` removes what a
person is not asked: citizens give their name, ふりがな, a contact and, if they like,
their 年代; professionals add 職種 and 所属 instead. Staff screens use the whole form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..catalog.models import Audience
from ..formtools import choices, data_labels
from ..people.age_bands import AGE_BAND_LABELS
from ..people.identity import PersonFields
from ..people.professions import PROFESSIONS
from .labels import CHANNEL
from .models import Channel, RegistrationMode

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
    # default "": a question left out of the post is the blank choice, not None, which
    # WTForms would first call "not a valid choice" (loading its translations from disk on
    # every request to do so) before Optional() dropped the error.
    profession = SelectField(_l("職種"), choices=choices([("", _l("選んでください"))] + data_labels(PROFESSIONS)),
                             default="", validators=[Optional()])
    profession_other = StringField(_l("職種（その他の場合）"), validators=[Optional(), MAX])
    organization = StringField(_l("所属（事業所・病院名など）"), validators=[Optional(), MAX],
                               render_kw={"list": "organizations", "autocomplete": "organization"})
    age_band = SelectField(_l("年代"), choices=choices([("", _l("選ばない"))] + data_labels(AGE_BAND_LABELS)),
                           default="", validators=[Optional()])
    # Optional: a radio group left unanswered is no answer, not "an invalid choice".
    channel = RadioField(_l("この催しを何で知りましたか"), choices=choices((c.value, label) for c, label in CHANNEL.items()),
                         validate_choice=False,
                         validators=[Optional(), AnyOf([c.value for c in Channel], message=_l("選択肢が正しくありません。"))])
    mode = RadioField(_l("参加方法"), choices=choices(MODES.items()), default="in_person")
    consent = BooleanField(
        _l("上記の個人情報の利用目的に同意します"),
        validators=[DataRequired(_l("個人情報の利用目的への同意が必要です。"))],
    )

    def person_fields(self) -> PersonFields:
        """The person as typed; a question this form does not ask is left empty."""
        names = ("family_name", "given_name", "family_kana", "given_kana", "email", "phone", "profession",
                 "profession_other", "organization", "age_band")
        return PersonFields(**{name: (self[name].data or "") if name in self else "" for name in names})

    def chosen_channel(self, link_channel: str | None) -> Channel | None:
        """The person's answer to 「何で知りましたか」, else the channel of the link they came by."""
        answer = self.channel.data if "channel" in self else None
        for code in (answer, link_channel):
            if code in set(Channel):
                return Channel(code)
        return None


PROFESSIONAL_FIELDS = ("profession", "profession_other", "organization")
CITIZEN_FIELDS = ("age_band",)


def fit_to_audience(form: RegistrationForm, audience: Audience) -> RegistrationForm:
    """Keep only the questions for that audience. 職種 stays optional, as every answer beyond
    the name and a contact: a form refused for it would lose the registration."""
    for name in CITIZEN_FIELDS if audience == Audience.PROFESSIONALS else PROFESSIONAL_FIELDS:
        delattr(form, name)
    return form


def offer_modes(form: RegistrationForm, modes: list[RegistrationMode]) -> None:
    """Offer only these modes (the event's format and its state), the first one chosen on a
    fresh form."""
    form.mode.choices = [c for c in form.mode.choices if c.value in modes]
    if not form.is_submitted() and modes:
        form.mode.data = modes[0].value
