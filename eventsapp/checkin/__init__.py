"""Check-in at the door: check-ins and refused scans."""
from flask import Flask


def register(app: Flask) -> None:
    """The scanner pages, its service worker, the API section, the past-attendance import
    (screen and `import attendance`), and the words of its methods in the audit log."""
    from ..auth.audit_labels import label_detail_values
    from ..extensions import api
    from .api import blp as api_blp
    from .import_admin import bp as import_bp
    from .import_cli import imports
    from .labels import METHOD
    from .views import bp, sw_bp

    app.register_blueprint(bp)
    app.register_blueprint(sw_bp)
    app.register_blueprint(import_bp)
    api.register_blueprint(api_blp)
    app.cli.add_command(imports)
    label_detail_values("method", METHOD)
