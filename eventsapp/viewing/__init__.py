"""On-demand viewing: each on-demand registrant's own page for the recording (/v/<token>),
the link mailed when the viewing period opens, and the count of visits."""
from flask import Flask


def register(app: Flask) -> None:
    """The viewing pages and `mail viewing`, added to the mail capability's group."""
    from ..mail.cli import mail
    from .cli import mail_viewing
    from .views import bp

    app.register_blueprint(bp)
    mail.add_command(mail_viewing)
