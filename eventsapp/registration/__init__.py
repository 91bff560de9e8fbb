"""Registrations for events, with their ticket and manage tokens."""
from flask import Flask


def register(app: Flask) -> None:
    """The public form, the admin screens and print pages, the API section, `mail remind` added to
    the mail capability's group, the events' public states told to the catalogue's pages, the
    receiver that re-sends a changed online join link inside the catalogue's transaction, and
    the writer of its mails when the outbox sends them."""
    from ..catalog.signals import join_url_changed, states_wanted
    from ..extensions import api
    from ..mail.cli import mail
    from ..mail.signals import content_wanted
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .availability import answer_states_wanted
    from .channels import bp as channels_bp
    from .cli import mail_remind
    from .mails import write_queued
    from .online import resend_join_url
    from .print_views import bp as print_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(print_bp)
    app.register_blueprint(channels_bp)
    api.register_blueprint(api_blp)
    mail.add_command(mail_remind)
    states_wanted.connect(answer_states_wanted, sender=app)
    join_url_changed.connect(resend_join_url, sender=app)
    content_wanted.connect(write_queued, sender=app)
