"""The privacy notice (個人情報の取扱い): purpose, what is kept, for how long, whom to ask.
Linked from every page's footer and from every form that asks for personal data."""
from flask import Blueprint, current_app, render_template

from ..auth.roles import public
from ..extensions import db
from .privacy import retention_exceptions

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
@public
def notice():
    """The periods are those the purge applies: the default, and each series that differs."""
    default_years = current_app.config["PRIVACY_RETENTION_YEARS"]
    return render_template("privacy.html", contact=current_app.config["PRIVACY_CONTACT"],
                           retention_years=default_years,
                           exceptions=retention_exceptions(db.session, default_years=default_years))
