"""Japanese labels of the registration list's own choices, translated through Flask-Babel."""
from flask_babel import lazy_gettext as _l

from .listing import Attendance

ATTENDANCE = {
    Attendance.CHECKED_IN: _l("受付済み"),
    Attendance.NOT_CHECKED_IN: _l("未受付"),
    Attendance.WALK_IN: _l("当日参加"),
}
WALK_IN_MARK = "○"  # the 当日参加 column of the exports, as a paper list marks a row
