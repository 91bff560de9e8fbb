"""The labels of every floor's codes, gathered for the templates (`labels.X` in Jinja).

Each floor keeps its own labels beside its codes; this module only collects them (and `Role`,
which the templates compare the user's role with)."""
from .auth.labels import ROLE
from .auth.models import Role
from .catalog.labels import AUDIENCE, EVENT_STATUS, FORMAT, OUTREACH_STATUS, audience_label

__all__ = ["AUDIENCE", "EVENT_STATUS", "FORMAT", "OUTREACH_STATUS", "ROLE", "Role", "audience_label"]
