"""Registrations for events, with their ticket and manage tokens."""
from flask import Flask


def register(app: Flask) -> None:
    """The public form, the admin screens and print pages, the API section, `mail remind` added to
    the mail capability's group, and the events' public states told to the catalogue's pages."""
    from ..catalog.signals import states_wanted
    from ..extensions import api
    from ..mail.cli import mail
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .availability import answer_states_wanted
    from .channels import bp as channels_bp
    from .cli import mail_remind
    from .print_views import bp as print_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(print_bp)
    app.register_blueprint(channels_bp)
    api.register_blueprint(api_blp)
    mail.add_command(mail_remind)
    states_wanted.connect(answer_states_wanted, sender=app)
