"""Sending a survey of organizations: address it to the offices of its types, mail each
office with a contact address its personal link, and list the offices to write to on
paper (their letter carries the link's QR code and the 事業所コード).

Sending again later mails nobody twice: an invitation records sent_at, and the outbox's
dedupe key org-survey:<survey>:<organization> refuses a second mail even to a concurrent run.
Offices added (or given an address) since the last sending are addressed and mailed then.
"""
from dataclasses import dataclass

from flask import render_template
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..dates import format_date, now
from ..links import public_url
from ..mail.models import MailKind
from ..mail.outbox import queue_mail
from ..people.models import Organization
from ..people.organizations import format_code
from ..registration.mails import HEADLINES
from .models import OrganizationInvitation, OrganizationSurvey, Response
from .org_service import address_organizations, load_org_survey, not_yet_addressed


@dataclass
class SendingPlan:
    """Where the sending stands and what sending now would do."""
    addressed: int  # offices addressed so far
    mailed: int  # of them, mailed their link
    new: int  # offices of the survey's types not addressed yet
    to_mail: int  # mails sending now queues: new or earlier addressees with an address, not mailed yet
    on_paper: int  # new offices without an address: a paper letter each


@dataclass
class SendSummary:
    addressed: int = 0
    mailed: int = 0
    without_email: int = 0


def sending_plan(session: Session, org_survey: OrganizationSurvey) -> SendingPlan:
    """The counts the survey's page and the confirmation show before anything is sent."""
    fresh = not_yet_addressed(org_survey).subquery()
    new_with = session.scalar(select(func.count()).select_from(fresh).where(fresh.c.contact_email != ""))
    new = session.scalar(select(func.count()).select_from(fresh))
    addressed, mailed, unsent_with = session.execute(
        select(func.count(), func.count(OrganizationInvitation.sent_at),
               func.count(case((and_(OrganizationInvitation.sent_at.is_(None), Organization.contact_email != ""), 1))))
        .select_from(OrganizationInvitation)
        .join(Organization, Organization.id == OrganizationInvitation.organization_id)
        .where(OrganizationInvitation.survey_id == org_survey.survey_id)
    ).one()
    return SendingPlan(addressed=addressed, mailed=mailed, new=new, to_mail=new_with + unsent_with,
                       on_paper=new - new_with)


def send_org_survey(session: Session, *, survey_id: int, user: User | None = None) -> SendSummary:
    """Address the survey to the offices of its types not addressed yet and queue the
    personal link to each addressee with a contact address not mailed yet; commits
    (the mails with the invitations, and an audit line). Offices without an address get no
    mail: their paper letters are printed from the letters page.
    Raises SurveyError: unknown_survey."""
    org_survey = load_org_survey(session, survey_id)
    summary = SendSummary(addressed=len(address_organizations(session, org_survey)))
    deadline = format_date(org_survey.survey.closes_at) if org_survey.survey.closes_at else ""
    unsent = session.scalars(
        select(OrganizationInvitation).where(OrganizationInvitation.survey_id == survey_id,
                                             OrganizationInvitation.sent_at.is_(None))
        .order_by(OrganizationInvitation.id)
    ).all()
    for invitation in unsent:
        address = invitation.organization.contact_email.strip()
        if not address:
            summary.without_email += 1
            continue
        queue_org_survey_mail(session, org_survey, invitation, address=address, closes_on=deadline)
        invitation.sent_at, invitation.mailed_to = now(), address
        summary.mailed += 1
    record(session, "send_org_survey", user=user, target=f"survey:{survey_id}",
           addressed=summary.addressed, mailed=summary.mailed, without_email=summary.without_email)
    try:
        session.commit()
    except IntegrityError:  # another sending addressed the same offices at the same moment
        session.rollback()
        return SendSummary()
    return summary


def queue_org_survey_mail(session: Session, org_survey: OrganizationSurvey, invitation: OrganizationInvitation, *,
                          address: str, closes_on: str):
    """Queue the office's mail with its personal link, in the caller's transaction."""
    context = letter_context(org_survey, invitation, closes_on=closes_on)
    return queue_mail(
        session, to=address, kind=MailKind.ORG_SURVEY,
        dedupe_key=f"org-survey:{org_survey.survey_id}:{invitation.organization_id}",
        subject=f"【{HEADLINES[MailKind.ORG_SURVEY]}】{org_survey.survey.title}",
        text=render_template("orgsurveys/mail.txt", **context), html=render_template("orgsurveys/mail.html", **context),
    )


def letter_context(org_survey: OrganizationSurvey, invitation: OrganizationInvitation, *, closes_on: str) -> dict:
    """What a mail and a paper letter say to one office: its name, the survey, its link,
    the code page's address and its 事業所コード, and the closing day ("" for none)."""
    return dict(organization=invitation.organization, survey=org_survey.survey, closes_on=closes_on,
                survey_url=public_url("orgsurveys.personal", token=invitation.token),
                code_url=public_url("orgsurveys.by_code"), code=format_code(invitation.organization.code))


def letters_of(session: Session, org_survey: OrganizationSurvey, *, every: bool = False) -> list[dict]:
    """The paper letters to print: one per office without a contact address that has not
    answered yet, or (every) one per office addressed; by type and name. The closing day is
    written on each."""
    answered = select(Response.organization_id).where(Response.survey_id == org_survey.survey_id,
                                                      Response.organization_id.is_not(None))
    query = (select(OrganizationInvitation).join(Organization, Organization.id == OrganizationInvitation.organization_id)
             .where(OrganizationInvitation.survey_id == org_survey.survey_id)
             .order_by(OrganizationInvitation.organization_type, Organization.name, Organization.id))
    if not every:
        query = query.where(Organization.contact_email == "", OrganizationInvitation.organization_id.not_in(answered))
    deadline = format_date(org_survey.survey.closes_at) if org_survey.survey.closes_at else ""
    return [letter_context(org_survey, invitation, closes_on=deadline) for invitation in session.scalars(query)]
