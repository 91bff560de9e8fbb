"""The labels of every floor's codes, gathered for the templates (`labels.X` in Jinja).

Each floor keeps its own labels beside its codes; this module only collects them (and `Role`,
which the templates compare the user's role with). It imports from every capability, so it
sits just below the templates' floor (pyproject.toml, the floors)."""
from .auth.labels import ROLE
from .auth.models import Role
from .catalog.labels import (
    AUDIENCE,
    EVENT_STATUS,
    FORMAT,
    GOAL,
    OUTREACH_STATUS,
    SCENE,
    WORKS_IN_CARE,
    audience_label,
)
from .checkin.labels import METHOD as CHECKIN_METHOD
from .registration.labels import (
    CHANNEL,
    MODE as REGISTRATION_MODE,
    SOURCE as REGISTRATION_SOURCE,
    STATUS as REGISTRATION_STATUS,
)
from .surveys.audiences import ASKED_OF
from .surveys.defaults import INDICATOR_LABELS as INDICATOR, indicator_label
from .surveys.forms import PAPER_KEYS
from .surveys.results import KIND_LABEL as QUESTION_KIND, SOURCE_LABEL as RESPONSE_SOURCE

__all__ = [
    "ASKED_OF", "AUDIENCE", "CHANNEL", "CHECKIN_METHOD", "EVENT_STATUS", "FORMAT", "GOAL", "INDICATOR", "OUTREACH_STATUS",
    "PAPER_KEYS", "QUESTION_KIND", "REGISTRATION_MODE", "REGISTRATION_SOURCE", "REGISTRATION_STATUS", "RESPONSE_SOURCE", "ROLE",
    "Role", "SCENE", "WORKS_IN_CARE", "audience_label", "indicator_label",
]
