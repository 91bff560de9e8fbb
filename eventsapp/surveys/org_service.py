"""Surveys of organizations: a survey not tied to an event, addressed to the offices of
chosen 事業所種別 (or all), answered once per office.

The survey itself is an ordinary Survey (questions, options, indicator keys, the editor and
the lock on answered surveys of surveys/editing.py); OrganizationSurvey adds the fiscal year
and the types addressed, and one OrganizationInvitation per office addressed holds its
personal link. An office answers through that link (mailed to its contact address, or
printed as a QR code on the paper letter), through its 事業所コード typed at /o, or on paper
typed in by staff. Every way in stores through submit_org_response: the invitation row is
locked, then the database's unique (survey, organization) decides "one response per
office".
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..dates import is_fiscal_year, now
from ..locking import lock_row
from ..people.identity import normalize_org_name
from ..people.models import Organization
from ..people.organizations import ORGANIZATION_TYPES, ensure_code, normalize_code
from ..registration.tickets import new_token
from .defaults import ORGANIZATION_TEMPLATE
from .editing import build_questions, copied_questions
from .models import OrganizationInvitation, OrganizationSurvey, Question, Response, ResponseSource, Survey
from .service import STAFF_SOURCES, SurveyError, answer_rows, check_answers, replace_answers

FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2000, 2100


@dataclass(kw_only=True)
class OrgSurveyInput:
    title: str
    fiscal_year: int | None
    organization_types: list[str] = field(default_factory=list)  # empty: every organization
    closes_at: datetime | None = None


def check_input(data: OrgSurveyInput) -> None:
    """Raises SurveyError: title_required, fiscal_year_invalid, types_invalid."""
    if not data.title.strip() or len(data.title.strip()) > 200:
        raise SurveyError("title_required", "title")
    if data.fiscal_year is None or not is_fiscal_year(data.fiscal_year):
        raise SurveyError("fiscal_year_invalid", "fiscal_year", first=FIRST_FISCAL_YEAR, last=LAST_FISCAL_YEAR)
    if any(kind not in ORGANIZATION_TYPES for kind in data.organization_types):
        raise SurveyError("types_invalid", "organization_types")


def create_org_survey(session: Session, data: OrgSurveyInput, *, copy_from: int | None = None) -> OrganizationSurvey:
    """A new survey of organizations with the default questions (surveys/defaults.py), or a
    copy of an earlier survey's questions, so that a yearly survey keeps its indicator keys
    and its years compare. Commits. Raises SurveyError: the codes of check_input, unknown_survey."""
    check_input(data)
    if copy_from is not None:
        questions = copied_questions(load_org_survey(session, copy_from).survey)
    else:
        questions = build_questions(ORGANIZATION_TEMPLATE["questions"])
    survey = Survey(title=data.title.strip(), closes_at=data.closes_at, questions=questions)
    org_survey = OrganizationSurvey(survey=survey, fiscal_year=data.fiscal_year,
                                    organization_types=list(dict.fromkeys(data.organization_types)))
    session.add(org_survey)
    session.commit()
    return org_survey


def update_org_survey(session: Session, org_survey: OrganizationSurvey, data: OrgSurveyInput) -> OrganizationSurvey:
    """Change the title, the fiscal year, the types addressed and the closing date; commits.
    Offices already addressed stay addressed (their invitation keeps its link).
    Raises SurveyError: the codes of check_input."""
    check_input(data)
    org_survey.survey.title, org_survey.survey.closes_at = data.title.strip(), data.closes_at
    org_survey.fiscal_year = data.fiscal_year
    org_survey.organization_types = list(dict.fromkeys(data.organization_types))
    session.commit()
    return org_survey


def load_org_survey(session: Session, survey_id: int) -> OrganizationSurvey:
    """The survey of organizations with its questions and options loaded.
    Raises SurveyError: unknown_survey."""
    org_survey = session.scalar(
        select(OrganizationSurvey).where(OrganizationSurvey.survey_id == survey_id)
        .options(selectinload(OrganizationSurvey.survey).selectinload(Survey.questions)
                 .selectinload(Question.options))
    ) if 0 < survey_id < 2**31 else None
    if org_survey is None:
        raise SurveyError("unknown_survey")
    return org_survey


def list_org_surveys(session: Session) -> list[tuple[OrganizationSurvey, int, int]]:
    """Every survey of organizations, the latest fiscal year first, with its number of
    offices addressed and of responses (two aggregate subqueries)."""
    addressed = (select(OrganizationInvitation.survey_id, func.count().label("n"))
                 .group_by(OrganizationInvitation.survey_id).subquery())
    answered = select(Response.survey_id, func.count().label("n")).group_by(Response.survey_id).subquery()
    rows = session.execute(
        select(OrganizationSurvey, func.coalesce(addressed.c.n, 0), func.coalesce(answered.c.n, 0))
        .outerjoin(addressed, addressed.c.survey_id == OrganizationSurvey.survey_id)
        .outerjoin(answered, answered.c.survey_id == OrganizationSurvey.survey_id)
        .options(selectinload(OrganizationSurvey.survey))
        .order_by(OrganizationSurvey.fiscal_year.desc(), OrganizationSurvey.survey_id.desc())
    ).all()
    return [tuple(row) for row in rows]


def is_open(survey: Survey) -> bool:
    """Open until its closing date, if it has one; the date binds the public pages only."""
    return survey.closes_at is None or now() <= survey.closes_at


def not_yet_addressed(org_survey: OrganizationSurvey):
    """The organizations of the survey's types (all when none is chosen) not addressed yet."""
    invited = select(OrganizationInvitation.organization_id).where(
        OrganizationInvitation.survey_id == org_survey.survey_id)
    query = select(Organization).where(Organization.id.not_in(invited))
    if org_survey.organization_types:
        query = query.where(Organization.type.in_(org_survey.organization_types))
    return query.order_by(Organization.type, Organization.name, Organization.id)


def address_organizations(session: Session, org_survey: OrganizationSurvey) -> list[OrganizationInvitation]:
    """Address the survey to every organization of its types not addressed yet: each gets
    its personal link and, if it has none, its 事業所コード; its type is kept as it is now.
    Flushes, never commits (the mailing commits with its mails)."""
    created = []
    for organization in session.scalars(not_yet_addressed(org_survey)).all():
        ensure_code(session, organization)
        invitation = OrganizationInvitation(survey_id=org_survey.survey_id, organization_id=organization.id,
                                            organization_type=organization.type, token=new_token())
        invitation.organization = organization
        session.add(invitation)
        created.append(invitation)
    session.flush()
    return created


def invitation_by_token(session: Session, token: str) -> OrganizationInvitation | None:
    """The invitation of a personal link; a tampered or unknown token finds nothing."""
    if not 20 <= len(token) <= 64:
        return None
    return session.scalar(select(OrganizationInvitation).where(OrganizationInvitation.token == token))


def invitations_by_code(session: Session, code: str) -> list[OrganizationInvitation]:
    """The open surveys addressed to the office whose 事業所コード was typed (a code from a
    paper letter), the latest first. Raises SurveyError: code_invalid, for a code that is
    malformed or unknown alike, so that a guesser learns nothing more."""
    code = normalize_code(code)
    organization_id = session.scalar(select(Organization.id).where(Organization.code == code)) if code else None
    if organization_id is None:
        raise SurveyError("code_invalid", "code")
    return list(session.scalars(
        select(OrganizationInvitation).join(Survey, Survey.id == OrganizationInvitation.survey_id)
        .where(OrganizationInvitation.organization_id == organization_id,
               or_(Survey.closes_at.is_(None), Survey.closes_at >= now()))
        .order_by(OrganizationInvitation.survey_id.desc())
    ))


def find_addressee(session: Session, survey_id: int, text: str) -> OrganizationInvitation:
    """The office a paper sheet comes from, among the survey's addressees: by its
    事業所コード, else by its whole name, else by part of its name.
    Raises SurveyError: organization_required, unknown_organization, organization_ambiguous."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        raise SurveyError("organization_required", "organization")
    addressees = select(OrganizationInvitation).join(OrganizationInvitation.organization).where(
        OrganizationInvitation.survey_id == survey_id)
    code = normalize_code(text)
    key = normalize_org_name(text)
    for condition in ([Organization.code == code] if code else []) + [
            Organization.name_key == key, Organization.name_key.contains(key, autoescape=True)]:
        found = session.scalars(addressees.where(condition).limit(2)).all()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise SurveyError("organization_ambiguous", "organization")
    raise SurveyError("unknown_organization", "organization")


def submit_org_response(
    session: Session, *, survey_id: int, organization_id: int, answers, source: ResponseSource,
    entered_by_id: int | None = None,
) -> Response:
    """Store the office's one response; commits. The office answering (its link) must answer
    the required questions while the survey is open; staff typing a paper sheet may leave
    blanks and type after the closing date. The office's invitation row is locked while its
    earlier answer is looked for, and the unique (survey, organization) refuses what a race
    would still let through. Nothing is stored on refusal.
    Raises SurveyError: unknown_survey, closed, unknown_organization, organization_answered
    and the answer codes of check_answers."""
    org_survey = load_org_survey(session, survey_id)
    respondent = source not in STAFF_SOURCES
    if respondent and not is_open(org_survey.survey):
        raise SurveyError("closed")
    checked = check_answers(org_survey.survey, answers, require=respondent)
    session.commit()  # end the read transaction: the lock must be this transaction's first act (SQLite)
    condition = ((OrganizationInvitation.survey_id == survey_id)
                 & (OrganizationInvitation.organization_id == organization_id))
    if lock_row(session, OrganizationInvitation, condition) is None:
        session.rollback()
        raise SurveyError("unknown_organization", "organization")
    if organization_answer(session, survey_id, organization_id) is not None:
        session.rollback()
        raise SurveyError("organization_answered", "organization")
    response = Response(survey_id=survey_id, organization_id=organization_id, source=source,
                        entered_by_id=entered_by_id, answers=answer_rows(checked))
    session.add(response)
    try:
        session.commit()
    except IntegrityError:  # the lock makes this rare; the constraint makes it harmless
        session.rollback()
        raise SurveyError("organization_answered", "organization") from None
    return response


def organization_answer(session: Session, survey_id: int, organization_id: int) -> int | None:
    """The id of the office's response to the survey, if it has answered."""
    return session.scalar(select(Response.id).where(
        Response.survey_id == survey_id, Response.organization_id == organization_id))


def correct_org_response(
    session: Session, *, response_id: int, answers, organization_id: int, entered_by_id: int | None
) -> Response:
    """Replace the answers (and the office) of a paper sheet typed for a survey of
    organizations; commits. An office's own answer is not staff's to change.
    Raises SurveyError: unknown_response, not_editable, unknown_organization,
    organization_answered and the answer codes."""
    response = session.get(Response, response_id)
    if response is None:
        raise SurveyError("unknown_response")
    if response.source not in STAFF_SOURCES:
        raise SurveyError("not_editable")
    org_survey = load_org_survey(session, response.survey_id)
    checked = check_answers(org_survey.survey, answers, require=False)
    addressed = session.scalar(select(OrganizationInvitation.id).where(
        OrganizationInvitation.survey_id == response.survey_id,
        OrganizationInvitation.organization_id == organization_id))
    if addressed is None:
        raise SurveyError("unknown_organization", "organization")
    return replace_answers(session, response, checked, taken=SurveyError("organization_answered", "organization"),
                           organization_id=organization_id, entered_by_id=entered_by_id)


def delete_org_response(session: Session, *, response_id: int) -> int:
    """Remove a sheet typed by mistake for a survey of organizations; commits; returns the
    survey's id. Raises SurveyError: unknown_response, not_editable, unknown_survey."""
    response = session.get(Response, response_id)
    if response is None:
        raise SurveyError("unknown_response")
    if response.source not in STAFF_SOURCES:
        raise SurveyError("not_editable")
    survey_id = load_org_survey(session, response.survey_id).survey_id
    session.delete(response)
    session.commit()
    return survey_id


def typed_org_sheets(session: Session, survey_id: int, *, limit: int = 20) -> list[tuple[Response, str]]:
    """The latest sheets typed for a survey of organizations, with the office's name."""
    return [tuple(row) for row in session.execute(
        select(Response, func.coalesce(Organization.name, ""))
        .outerjoin(Organization, Organization.id == Response.organization_id)
        .where(Response.survey_id == survey_id, or_(*[Response.source == s for s in STAFF_SOURCES]))
        .order_by(Response.id.desc()).limit(limit)
    ).all()]
