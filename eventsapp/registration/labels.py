"""Japanese labels of registration's codes, beside the codes (eventsapp/labels.py gathers them
for the templates). The channel labels are the answers of 「この催しを何で知りましたか」."""
from flask_babel import lazy_gettext as _l

from .models import Channel

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
