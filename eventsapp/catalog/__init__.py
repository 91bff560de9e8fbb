"""The event catalogue: series, events, goal and scene tags, the plan's initiatives, public pages, calendar feeds."""
from flask import Flask


def register(app: Flask) -> None:
    """The public pages (kept in memory for anonymous visitors: pagecache.py), the admin screens,
    the yearly plan and the API section."""
    from .. import pagecache
    from ..extensions import api
    from .admin import bp as admin_bp
    from .admin_plan import bp as plan_admin_bp
    from .api import blp as api_blp
    from .views import bp

    app.register_blueprint(bp)
    pagecache.register(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(plan_admin_bp)
    api.register_blueprint(api_blp)
