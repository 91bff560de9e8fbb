"""Login form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("ユーザー名"), validators=[DataRequired(_l("ユーザー名を入力してください。")), Length(max=80)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(_l("パスワードを入力してください。")), Length(max=200)])
