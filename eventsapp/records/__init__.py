"""A person's whole record across the capabilities: merging two persons, their history,
and the privacy rules (notice, export, erasure, purge). It sits above registration,
check-in and surveys because it reads and rewrites their rows; people/ below keeps identity."""
from flask import Flask


def register(app: Flask) -> None:
    """The person screens, the privacy notice, the purge screen and `privacy …`."""
    from .admin import bp as people_admin_bp
    from .cli import privacy
    from .notice import bp as notice_bp
    from .privacy_admin import bp as privacy_admin_bp

    app.register_blueprint(people_admin_bp)
    app.register_blueprint(notice_bp)
    app.register_blueprint(privacy_admin_bp)
    app.cli.add_command(privacy)
