"""The ceiling every benchmark compares with: a bare Flask endpoint, timed in the same run."""
from flask import Flask


def bare_app() -> Flask:
    app = Flask("bare")

    @app.get("/")
    def hello():
        return {"ok": True}

    return app
