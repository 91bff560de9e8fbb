"""The ceilings every benchmark compares with, timed in the same run under the same gunicorn
settings: a bare Flask endpoint (no work at all), and the same endpoint writing one row durably
(the least a request that must write once can cost: one INSERT … RETURNING and its commit)."""
import os
import threading

from flask import Flask


def bare_app() -> Flask:
    app = Flask("bare")

    @app.get("/")
    def hello():
        return {"ok": True}

    return app


def durable_write_app() -> Flask:
    """POST / inserts one row and commits, on one PostgreSQL connection per thread
    (BENCH_WRITE_URL, a libpq URL); GET / answers like the bare app, for the start-up probe."""
    import psycopg

    url = os.environ["BENCH_WRITE_URL"]
    local = threading.local()
    app = bare_app()

    @app.post("/")
    def write():
        if getattr(local, "connection", None) is None:
            local.connection = psycopg.connect(url)
        with local.connection.transaction():
            row = local.connection.execute("INSERT INTO bench_writes (note) VALUES (%s) RETURNING id", ("door",))
            return {"id": row.fetchone()[0]}, 201

    return app
