"""Check-in at the door: check-ins and refused scans."""
from flask import Flask


def register(app: Flask) -> None:
    """The scanner pages, its service worker and the API section."""
    from ..extensions import api
    from .api import blp as api_blp
    from .views import bp, sw_bp

    app.register_blueprint(bp)
    app.register_blueprint(sw_bp)
    api.register_blueprint(api_blp)
