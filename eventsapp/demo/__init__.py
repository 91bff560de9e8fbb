"""Demo data: the fiscal-2025 programme of seed 001 with invented participants planned to
give its figures (programme.py, data.py, participants.py, writer.py), and a large synthetic
programme for scale tests (scale.py). It sits above every capability; none imports it."""
from flask import Flask


def register(app: Flask) -> None:
    """`demo` and `demo scale`."""
    from .cli import demo

    app.cli.add_command(demo)
