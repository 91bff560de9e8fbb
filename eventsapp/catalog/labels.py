"""Japanese labels for the catalogue's codes, translated through Flask-Babel.

They live beside the codes so that the event forms (catalog/forms.py) need nothing from above;
`eventsapp/labels.py` gathers them with the other floors' labels for the templates."""
from flask_babel import lazy_gettext as _l

from .models import Audience, EventFormat, EventStatus, OutreachStatus

AUDIENCE = {Audience.PROFESSIONALS: _l("専門職向け"), Audience.CITIZENS: _l("市民向け")}
# The first question of a form at a joint event of both audiences (registration, survey).
WORKS_IN_CARE = _l("医療・介護の仕事をされていますか")
# An event whose series (joint ones included) span both audiences (Event.audience is None).
AUDIENCE_ANY = _l("どなたでも")
# One wording for the public pages and the organizers' form alike: how a person
# takes part, not the programme's jargon (参集, ハイブリッド).
FORMAT = {
    EventFormat.IN_PERSON: _l("会場"),
    EventFormat.ONLINE: _l("オンライン"),
    EventFormat.ON_DEMAND: _l("オンデマンド"),
    EventFormat.HYBRID: _l("会場+オンデマンド"),
}
EVENT_STATUS = {
    EventStatus.DRAFT: _l("下書き"),
    EventStatus.PUBLISHED: _l("公開中"),
    EventStatus.CANCELLED: _l("中止"),
}


def audience_label(audience: Audience | None):
    """対象 of an event (Event.audience): one audience's label, or どなたでも for both."""
    return AUDIENCE_ANY if audience is None else AUDIENCE[audience]


OUTREACH_STATUS = {
    OutreachStatus.NEW: _l("未対応"),
    OutreachStatus.SCHEDULED: _l("開催予定に登録済み"),
    OutreachStatus.DECLINED: _l("見送り"),
}
# What each stable goal and scene code means (docs/architecture.md, *Codes*). The city renames
# the labels stored with the codes; these words name the fields of the renaming screen, so an
# admin sees which goal a field is without reading its code.
GOAL = {
    "awareness": _l("①市民啓発"),
    "acp": _l("②人生会議(ACP)推進"),
    "sharing": _l("③情報共有"),
    "collaboration": _l("④多職種連携"),
}
SCENE = {
    "daily": _l("日常の療養支援"),
    "admission": _l("入退院支援"),
    "emergency": _l("急変時の対応"),
    "end_of_life": _l("看取り"),
    "disaster": _l("災害発生時"),
    "common": _l("共通・資源"),
}
