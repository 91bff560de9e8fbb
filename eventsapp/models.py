"""Every model of every capability, imported in dependency order so that mappers and
Alembic see the whole schema."""
from .dataversion import DataVersion  # noqa: F401
from .auth.models import ApiToken, AuditLog, Role, User  # noqa: F401
from .catalog.models import (  # noqa: F401
    Audience,
    Event,
    EventFormat,
    EventStatus,
    Goal,
    Initiative,
    OutreachRequest,
    OutreachStatus,
    Scene,
    Series,
)
from .people.models import Organization, Person  # noqa: F401
from .registration.models import (  # noqa: F401
    Channel,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
)
from .checkin.models import CheckIn, CheckInMethod, RefusalReason, RefusedScan  # noqa: F401
from .surveys.models import (  # noqa: F401
    Answer,
    IndicatorLabel,
    Option,
    OrganizationInvitation,
    OrganizationSurvey,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Survey,
)
from .mail.models import MailKind, OutboxMail  # noqa: F401
from .pageviews.models import EventPageView  # noqa: F401
from .viewing.models import Viewing  # noqa: F401
from .reports.models import FrontMatter  # noqa: F401
from .evaluation.models import EvaluationComment, EvaluationIndicator, EvaluationValue  # noqa: F401
