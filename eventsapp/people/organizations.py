"""What organizers record of an organization: its 事業所種別 and its opening day, so that newly
opened offices can be counted (docs/architecture.md, *Where each rule lives*), and how surveys
of organizations reach it: a contact address, or the 事業所コード printed on a paper letter."""
import re
import secrets
import unicodedata
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
# 事業所コード: 8 characters without the look-alikes 0/O and 1/I/L, so a code read from paper
# is typed right; 31**8 (almost 10**12) codes, behind the public forms' rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


class OrganizationError(DomainError):
    MESSAGES = {
        **DomainError.MESSAGES,
        "unknown_type": (_l("事業所種別を一覧から選んでください。"), 422),
        # A year before 昭和 would break the 和暦 of the organizations' list.
        "opened_out_of_range": (_l("開設日は%(first)s年から%(last)s年までの日付で入力してください。"), 422),
        "email_invalid": (_l("連絡先メールアドレスの形式が正しくありません（例: office@example.jp）。"), 422),
    }


def describe_organization(
    session: Session, organization: Organization, *, kind: str, opened_on: date | None, contact_email: str | None = None
) -> None:
    """Set the 事業所種別 ("" for unknown), the opening day (None for unknown) and, when given,
    the contact address for surveys ("" for none); commits.
    Raises OrganizationError: unknown_type, opened_out_of_range, email_invalid."""
    if kind not in ("", *ORGANIZATION_TYPES):
        raise OrganizationError("unknown_type", "type")
    if opened_on and not in_supported_years(opened_on, first_year=ERA_FIRST_YEAR):
        raise OrganizationError("opened_out_of_range", "opened_on", first=ERA_FIRST_YEAR, last=LAST_YEAR)
    if contact_email is not None:
        contact_email = unicodedata.normalize("NFKC", contact_email).strip()
        if contact_email and (len(contact_email) > 254 or not EMAIL.fullmatch(contact_email)):
            raise OrganizationError("email_invalid", "contact_email")
        organization.contact_email = contact_email
    organization.type, organization.opened_on = kind, opened_on
    session.commit()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def ensure_code(session: Session, organization: Organization) -> str:
    """The organization's 事業所コード, given now if it has none (flushed, not committed).
    A clash with another office's code, almost never, draws again."""
    while organization.code is None:
        code = new_code()
        if session.scalar(select(Organization.id).where(Organization.code == code)) is None:
            organization.code = code
    session.flush()
    return organization.code


def normalize_code(text: str) -> str:
    """A 事業所コード as typed: full-width, lower case, spaces and hyphens forgiven
    ("abcd-efgh" → "ABCDEFGH"); "" when what is left cannot be a code."""
    code = "".join(c for c in unicodedata.normalize("NFKC", text or "").upper() if c.isalnum())
    return code if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code) else ""


def format_code(code: str | None) -> str:
    """A code as printed on letters: two groups of four ("ABCD-EFGH")."""
    return f"{code[:4]}-{code[4:]}" if code else ""


def known_organizations(session: Session, *, limit: int = 500) -> list[str]:
    """Names of known organizations, for the registration form's suggestions (a datalist)."""
    return list(session.scalars(select(Organization.name).order_by(Organization.name).limit(limit)))
