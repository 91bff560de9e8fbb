"""The plan's evaluation: its indicators (評価指標) with their values year by year, computed from
the system's own measures or entered with their source, and the 評価シート of each fiscal year.
Just above reports/, whose summaries it reads; only the demo and the top floor import it."""
from flask import Flask


def register(app: Flask) -> None:
    """The sheet's screens and its API section."""
    from ..extensions import api
    from .api import blp as api_blp
    from .views import bp

    app.register_blueprint(bp)
    api.register_blueprint(api_blp)
