"""Login and change-password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(_l("ユーザー名"), validators=[DataRequired(_l("ユーザー名を入力してください。")), Length(max=80)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(_l("パスワードを入力してください。")), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    """The rule itself is checked by the service (passwords.py), for every path alike."""

    current = PasswordField(_l("現在のパスワード"),
                            validators=[DataRequired(_l("現在のパスワードを入力してください。")), Length(max=200)])
    new = PasswordField(_l("新しいパスワード"),
                        validators=[DataRequired(_l("新しいパスワードを入力してください。")), Length(max=200)])
    confirm = PasswordField(_l("新しいパスワード（確認）"),
                            validators=[EqualTo("new", _l("確認のパスワードが一致しません。"))])
