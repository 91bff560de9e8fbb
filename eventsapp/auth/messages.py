"""The Japanese words for each AuthError code, for the screens and the commands alike."""
from flask_babel import lazy_gettext as _l

from .passwords import PASSWORD_MESSAGES

AUTH_MESSAGES = {
    **PASSWORD_MESSAGES,
    "username_taken": _l("そのユーザー名はすでに使われています。"),
    "unknown_user": _l("そのユーザーはいません。"),
    "token_not_found": _l("その番号のトークンはありません。"),
    "token_already_revoked": _l("そのトークンはすでに無効です。"),
}
