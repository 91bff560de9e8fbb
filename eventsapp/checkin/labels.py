"""Japanese labels for the check-in methods, translated through Flask-Babel (the audit log's
受付方法 and any screen that shows how someone came in)."""
from flask_babel import lazy_gettext as _l

from .models import CheckInMethod

METHOD = {
    CheckInMethod.QR: _l("QRコード"),
    CheckInMethod.MANUAL: _l("受付番号"),
    CheckInMethod.SEARCH: _l("名前で検索"),
    CheckInMethod.WALK_IN: _l("当日参加"),
    CheckInMethod.IMPORT: _l("名簿から取り込み"),
}
