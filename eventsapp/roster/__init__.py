"""Who registered and who came: the organizer's registration list with its check-ins, its
exports, the undo of a check-in, the event list with counts, and the registrations API.

It sits above registration/ and checkin/ (the records | reports floor), because it reads both:
registration may not import the door."""
from flask import Flask


def register(app: Flask) -> None:
    """The registration list and its exports, the event list, and the API section."""
    from ..extensions import api
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .events import bp as events_bp

    app.register_blueprint(admin_bp)
    app.register_blueprint(events_bp)
    api.register_blueprint(api_blp)
