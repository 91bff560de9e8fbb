"""Seed 000's 居宅介護支援事業所アンケート as a survey of organizations of fiscal 2025, answered.

The plan reports it as shares of the 24 offices that answered: 「連携が取れている」 79.2 %
(19/24, the other 5 「一部連携が取れている」, none 「取れていない」), 「ACPを取り入れている」 70.8 %
(17/24); of the 17, ACP is first raised 「入院・退院など状況が変わった時」 35.3 % (6) and
「ケアマネジメントを開始する時」 29.4 % (5); as obstacles, 「人生会議の考え方が一般に浸透していない」
75 % (18/24) and 「話を切り出した時の利用者や家族の反応に不安がある」 70.8 % (17/24). The demo
addresses 28 offices (the participants' ten ケアプランセンター and eighteen more), so that four
have not answered; half of them have a contact address (marked as mailed: the demo queues no
mail), the others answered on paper. The answers go through submit_org_response, the rule
every answer follows. Loaded once: a second run finds the survey by title and year.
"""
from datetime import date, time

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..dates import tokyo_datetime
from ..people.identity import normalize_org_name
from ..people.models import Organization
from ..surveys.models import OrganizationSurvey, ResponseSource, Survey
from ..surveys.org_service import OrgSurveyInput, address_organizations, create_org_survey, submit_org_response
from .participants import PREFIXES

TITLE = "居宅介護支援事業所アンケート"
FISCAL_YEAR = 2025
KIND = "居宅介護支援事業所"
OFFICES = 28
CLOSES_ON = date(2026, 1, 31)
MAILED_AT = tokyo_datetime(date(2025, 12, 1), time(9, 0))
# Per answering office (24): collaboration, ACP, the timing of ACP (ACP offices only), obstacles.
COLLABORATION = ["yes"] * 19 + ["partly"] * 5
ACP = ["yes"] * 17 + ["no"] * 7
TIMING = ["transition"] * 6 + ["care_start"] * 5 + ["worsening"] * 3 + ["asked"] * 2 + ["other"]
OBSTACLES = {"not_known": 18, "reaction": 17, "knowledge": 10, "time": 6}


def answers(index: int) -> dict:
    """The answer sheet of the index-th answering office (0–23), so that the counts above hold."""
    sheet = {"office_collaboration": COLLABORATION[index], "office_acp": ACP[index]}
    if index < len(TIMING):
        sheet["acp_timing"] = TIMING[index]
    # Each obstacle is ticked by the first N offices, counted from a different start, so that
    # the sheets differ while every total is exact.
    ticked = [code for shift, (code, count) in enumerate(OBSTACLES.items()) if (index + 5 * shift) % 24 < count]
    if ticked:
        sheet["acp_obstacles"] = ticked
    return sheet


def ensure_offices(session: Session) -> None:
    """28 居宅介護支援事業所: those of the participants, then more, named after PREFIXES."""
    have = session.scalar(select(Organization.id).where(Organization.type == KIND).limit(OFFICES).offset(OFFICES - 1))
    if have is not None:
        return
    existing = set(session.scalars(select(Organization.name_key)))
    count = len(session.scalars(select(Organization.id).where(Organization.type == KIND)).all())
    rows = []
    for prefix in PREFIXES:
        for pattern in ("{}居宅介護支援事業所", "ケアマネジメント{}"):
            name = pattern.format(prefix)
            if count + len(rows) < OFFICES and normalize_org_name(name) not in existing:
                rows.append({"name": name, "name_key": normalize_org_name(name), "type": KIND})
    session.execute(insert(Organization), rows)
    session.flush()


def ensure_org_survey(session: Session) -> int:
    """The answered survey, created once; returns how many responses were written."""
    found = session.scalar(select(OrganizationSurvey.survey_id).join(Survey, Survey.id == OrganizationSurvey.survey_id)
                           .where(Survey.title == TITLE, OrganizationSurvey.fiscal_year == FISCAL_YEAR))
    if found is not None:
        return 0
    ensure_offices(session)
    # Open while the offices answer through their links, closed on its day afterwards.
    org_survey = create_org_survey(session, OrgSurveyInput(title=TITLE, fiscal_year=FISCAL_YEAR,
                                                           organization_types=[KIND]))
    invitations = address_organizations(session, org_survey)
    for number, invitation in enumerate(invitations):
        if number % 2 == 0:
            invitation.organization.contact_email = invitation.organization.contact_email or f"office{number + 1}@example.jp"
            invitation.mailed_to, invitation.sent_at = invitation.organization.contact_email, MAILED_AT
    session.commit()
    addressees = [(i.organization_id, bool(i.sent_at)) for i in invitations][:len(COLLABORATION)]
    for index, (organization_id, mailed) in enumerate(addressees):
        submit_org_response(session, survey_id=org_survey.survey_id, organization_id=organization_id,
                            answers=answers(index), source=ResponseSource.LINK if mailed else ResponseSource.PAPER)
    session.get(Survey, org_survey.survey_id).closes_at = tokyo_datetime(CLOSES_ON, time(23, 59, 59))
    session.commit()
    return len(addressees)
