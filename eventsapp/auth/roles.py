"""Role checks for views, and the app-wide CSRF rule."""
from functools import wraps

from flask import abort, current_app, request, url_for
from flask_login import current_user

from ..extensions import csrf, login_manager
from . import bearer_token
from .models import Role

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def role_required(role: Role):
    """Refuse the anonymous (login page, or 401 for the API) and any role below `role` (403).

    The required role is kept on the view as `required_role`, so a test can walk the
    URL map and prove that no staff route was left open.
    """

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_role = role
        return guarded

    return decorator


def staff_home() -> str:
    """Where a signed-in staff member's own pages start: the door's event list for reception,
    the registration lists' for organizers and admins (after login, and from an error page)."""
    return url_for("roster_events.index" if current_user.has_role(Role.ORGANIZER) else "checkin.index")


def public(view):
    """Mark a view as open to everyone, on purpose."""
    view.required_role = None
    return view


def protect_from_csrf() -> None:
    """Every state-changing request carries a CSRF token (form field or X-CSRFToken
    header), except API calls authenticated by a Bearer token: a browser cannot be
    tricked into sending that header to another site. An anonymous API call is left
    to the view, which answers 401: there is no session to abuse."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.method not in UNSAFE_METHODS or bearer_token():
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return
    csrf.protect()
