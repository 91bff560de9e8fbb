"""A person's whole record across the capabilities: merging and splitting persons, their history,
and the privacy rules (notice, export, erasure, purge). It sits above registration,
check-in and surveys because it reads and rewrites their rows; people/ below keeps identity."""
from flask import Flask


def register(app: Flask) -> None:
    """The person screens, the privacy notice, the purge screen, `privacy …` and `people …`."""
    from .admin import bp as people_admin_bp
    from .cli import privacy
    from .identity_admin import bp as identity_admin_bp
    from .notice import bp as notice_bp
    from .people_cli import people
    from .privacy_admin import bp as privacy_admin_bp

    app.register_blueprint(people_admin_bp)
    app.register_blueprint(identity_admin_bp)
    app.register_blueprint(notice_bp)
    app.register_blueprint(privacy_admin_bp)
    app.cli.add_command(privacy)
    app.cli.add_command(people)
