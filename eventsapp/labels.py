"""Japanese labels for the stable codes, translated through Flask-Babel."""
from flask_babel import lazy_gettext as _l

from .auth.models import Role
from .catalog.models import Audience, EventFormat, EventStatus, OutreachStatus

AUDIENCE = {Audience.PROFESSIONALS: _l("専門職向け"), Audience.CITIZENS: _l("市民向け")}
FORMAT = {
    EventFormat.IN_PERSON: _l("参集"),
    EventFormat.ONLINE: _l("オンライン"),
    EventFormat.ON_DEMAND: _l("オンデマンド"),
    EventFormat.HYBRID: _l("ハイブリッド（参集＋オンデマンド）"),
}
EVENT_STATUS = {
    EventStatus.DRAFT: _l("下書き"),
    EventStatus.PUBLISHED: _l("公開中"),
    EventStatus.CANCELLED: _l("中止"),
}
OUTREACH_STATUS = {
    OutreachStatus.NEW: _l("未対応"),
    OutreachStatus.SCHEDULED: _l("開催予定に登録済み"),
    OutreachStatus.DECLINED: _l("見送り"),
}
ROLE = {Role.ADMIN: _l("管理者"), Role.ORGANIZER: _l("事務局"), Role.RECEPTION: _l("受付")}
