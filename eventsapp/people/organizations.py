"""What organizers record of an organization: its 事業所種別 and its opening day, so that newly
opened offices can be counted (docs/architecture.md, *Where each rule lives*)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..dates import ERA_FIRST_YEAR, LAST_YEAR, in_supported_years
from ..domain import DomainError
from .models import Organization

# The kinds of office the programme counts; stored as written here.
ORGANIZATION_TYPES = (
    "病院", "診療所", "歯科診療所", "薬局", "訪問看護ステーション", "居宅介護支援事業所", "地域包括支援センター",
    "訪問介護", "通所介護", "訪問・通所リハビリテーション", "福祉用具", "入所施設（特養・老健・GH等）", "消防", "行政", "その他",
)


class OrganizationError(DomainError):
    MESSAGES = {
        **DomainError.MESSAGES,
        "unknown_type": (_l("事業所種別を一覧から選んでください。"), 422),
        # A year before 昭和 would break the 和暦 of the organizations' list.
        "opened_out_of_range": (_l("開設日は%(first)s年から%(last)s年までの日付で入力してください。"), 422),
    }


def describe_organization(session: Session, organization: Organization, *, kind: str, opened_on: date | None) -> None:
    """Set the 事業所種別 ("" for unknown) and the opening day (None for unknown); commits.
    Raises OrganizationError: unknown_type, opened_out_of_range."""
    if kind not in ("", *ORGANIZATION_TYPES):
        raise OrganizationError("unknown_type", "type")
    if opened_on and not in_supported_years(opened_on, first_year=ERA_FIRST_YEAR):
        raise OrganizationError("opened_out_of_range", "opened_on", first=ERA_FIRST_YEAR, last=LAST_YEAR)
    organization.type, organization.opened_on = kind, opened_on
    session.commit()


def known_organizations(session: Session, *, limit: int = 500) -> list[str]:
    """Names of known organizations, for the registration form's suggestions (a datalist)."""
    return list(session.scalars(select(Organization.name).order_by(Organization.name).limit(limit)))
