"""Japanese labels for the door's codes, translated through Flask-Babel (the registration list's
受付 column, the audit log's 受付方法)."""
from flask_babel import lazy_gettext as _l

from .models import CheckInMethod

# How a person was found at the door: short, for a column of the registration list.
METHOD = {
    CheckInMethod.QR: _l("QR"),
    CheckInMethod.NUMBER: _l("番号"),
    CheckInMethod.SEARCH: _l("検索"),
    CheckInMethod.WALK_IN: _l("当日"),
    CheckInMethod.IMPORT: _l("取込"),
}
