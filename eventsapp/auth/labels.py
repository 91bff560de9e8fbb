"""Japanese labels for the staff roles, translated through Flask-Babel."""
from flask_babel import lazy_gettext as _l

from .models import Role

ROLE = {Role.ADMIN: _l("管理者"), Role.ORGANIZER: _l("事務局"), Role.RECEPTION: _l("受付")}
