"""The personal viewing page (/v/<token>) and the way to it from the person's own ticket page.

Phone first and without JavaScript: the recording opens on its own site (YouTube, Vimeo,
the city's server) from a link, so the page needs no player and no third-party frame."""
from flask import Blueprint, redirect, render_template, request, url_for

from ..auth.roles import public
from ..extensions import db
from .service import Period, open_viewing, token_from_ticket

bp = Blueprint("viewing", __name__)

# Outside the period the page still answers, with what it can say, and a status that
# tells machines there is nothing to watch: not yet (403) or no more (410).
STATUS = {Period.OPEN: 200, Period.NOT_SET: 403, Period.BEFORE: 403, Period.AFTER: 410,
          "cancelled": 410, "event_cancelled": 410}


@bp.route("/v/<token>")
@public
def page(token: str):
    """The recording while the period is open, with the survey; 視聴期間外です otherwise.
    An unknown token is a 404 (ViewingError, through the error pages)."""
    purpose = request.headers.get("Sec-Purpose") or request.headers.get("Purpose", "")
    user_agent = request.user_agent.string if request.method == "GET" else ""  # HEAD: nobody saw it
    shown = open_viewing(db.session, token=token, user_agent=user_agent, purpose=purpose)
    return render_template("viewing/page.html", page=shown, Period=Period), STATUS[shown.state]


@bp.route("/r/<manage_token>/watch")
@public
def from_ticket(manage_token: str):
    """From the ticket page to the viewing page, made on first use: people without e-mail
    never get the mail with its link."""
    return redirect(url_for("viewing.page", token=token_from_ticket(db.session, manage_token=manage_token)))
