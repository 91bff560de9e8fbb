"""Feedback surveys of events and surveys of organizations: templates, questions with
indicator keys, responses."""
from flask import Flask


def register(app: Flask) -> None:
    """The answering pages (of events and of organizations), the admin and staff screens, the API section, `surveys …`,
    `import responses` added to check-in's `import` group, and the receivers that give a new
    series or event its survey inside the catalogue's transaction."""
    from ..catalog.signals import event_created, series_created
    from ..checkin.import_cli import imports
    from ..extensions import api
    from .admin import bp as admin_bp
    from .api import blp as api_blp
    from .cli import import_responses_command, surveys
    from .editing import copy_event_survey, copy_series_template
    from .org_admin import bp as org_admin_bp
    from .org_views import bp as org_bp
    from .staff import bp as staff_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(org_bp)
    app.register_blueprint(org_admin_bp)
    api.register_blueprint(api_blp)
    app.cli.add_command(surveys)
    imports.add_command(import_responses_command)
    event_created.connect(copy_event_survey, sender=app)
    series_created.connect(copy_series_template, sender=app)
