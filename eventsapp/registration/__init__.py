"""Registrations for events, with their ticket and manage tokens."""
from flask import Flask


def register(app: Flask) -> None:
    """The public form, the admin screens, the API section, `mail remind` added to the
    mail capability's group, and the receiver that re-sends a changed online join link inside
    the catalogue's transaction."""
    from ..catalog.signals import join_url_changed
    from ..extensions import api
    from ..mail.cli import mail
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .cli import mail_remind
    from .online import resend_join_url
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    api.register_blueprint(api_blp)
    mail.add_command(mail_remind)
    join_url_changed.connect(resend_join_url, sender=app)
