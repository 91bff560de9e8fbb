"""Registrations for events, with their ticket and manage tokens."""
from flask import Flask


def register(app: Flask) -> None:
    """The public form, the admin screens and print pages, the API section, and `mail remind` added to the
    mail capability's group."""
    from ..extensions import api
    from ..mail.cli import mail
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .cli import mail_remind
    from .print_views import bp as print_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(print_bp)
    api.register_blueprint(api_blp)
    mail.add_command(mail_remind)
