"""Reports: the programme's indicators computed in SQL, summaries and yearly reports."""
from flask import Flask


def register(app: Flask) -> None:
    """The API section, the summary page, the dashboard and `report …`."""
    from ..extensions import api
    from . import yearly_views  # noqa: F401  (the yearly report's routes, on the dashboard's blueprint)
    from .api import blp as api_blp
    from .cli import report
    from .dashboard import bp as dashboard_bp
    from .style_views import bp as style_bp
    from .summary_views import bp as summary_bp

    api.register_blueprint(api_blp)
    app.register_blueprint(summary_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(style_bp)
    app.cli.add_command(report)
