"""Japanese labels for the registration codes (status, mode, source, channel), translated
through Flask-Babel. The codes stay in the database, the API and the URLs' filters; people read
these. `eventsapp/labels.py` gathers them with the other floors' labels for the templates."""
from flask_babel import lazy_gettext as _l

from .models import Channel, RegistrationMode, RegistrationSource, RegistrationStatus

STATUS = {
    RegistrationStatus.REGISTERED: _l("申込"),
    RegistrationStatus.WAITLISTED: _l("キャンセル待ち"),
    RegistrationStatus.CANCELLED: _l("キャンセル済み"),
}
MODE = {RegistrationMode.IN_PERSON: _l("参集"), RegistrationMode.ON_DEMAND: _l("オンデマンド")}
SOURCE = {
    RegistrationSource.PUBLIC: _l("申込フォーム"),
    RegistrationSource.STAFF: _l("職員が登録"),
    RegistrationSource.WALK_IN: _l("当日参加"),
    RegistrationSource.IMPORT: _l("名簿から取り込み"),
}
CHANNEL = {
    Channel.LINE: _l("LINE"),
    Channel.MAIL: _l("市のメール配信"),
    Channel.BULLETIN: _l("広報紙"),
    Channel.FLYER: _l("チラシ"),
    Channel.SIGNAGE: _l("ポスター・デジタルサイネージ"),
    Channel.HOMEPAGE: _l("ホームページ"),
    Channel.WORD_OF_MOUTH: _l("職場・知人"),
    Channel.OTHER: _l("その他"),
}
