"""Surveys, their questions and options, and the responses given to them.

A survey belongs to an event, or is a template: of a series (copied to each new event of
the series) or the default of an audience (copied to each new series), or is a survey of
organizations (OrganizationSurvey: addressed to offices, one response per office). A question may
carry an indicator key; the indicator rate of key K is computed from the options marked
positive (surveys/indicators.py).
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Audience
from ..dates import now
from ..dbtypes import UTCDateTime, enum_type
from ..extensions import db
from ..people.models import Organization
from ..registration.models import Registration


class QuestionKind(enum.StrEnum):
    LIKERT = "likert"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


class ResponseSource(enum.StrEnum):
    LINK = "link"  # the personal link mailed to a registration
    VENUE = "venue"  # the event's QR or short link
    PAPER = "paper"  # typed in by staff
    IMPORT = "import"  # a form tool's CSV


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        sa.CheckConstraint("event_id IS NULL OR series_id IS NULL", name="event_or_series_template"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), index=True)
    audience: Mapped[Audience | None] = mapped_column(enum_type(Audience, "survey_audience"))
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The event's venue short link (/q/<code>); templates have none.
    venue_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "key", name="uq_questions_survey_key"),
        # One question per indicator key in a survey, so the rate of K is unambiguous.
        sa.Index(
            "uq_questions_survey_indicator",
            "survey_id",
            "indicator",
            unique=True,
            sqlite_where=sa.text("indicator IS NOT NULL"),
            postgresql_where=sa.text("indicator IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(50))
    text: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, "question_kind"))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    indicator: Mapped[str | None] = mapped_column(sa.String(50))
    # Whom the question is asked: None everyone; at a joint event of a professionals' and a
    # citizens' series, the audience whose template it came from (editing.joint_questions).
    audience: Mapped[Audience | None] = mapped_column(enum_type(Audience, "question_audience"))
    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )


class Option(db.Model):
    __tablename__ = "options"
    __table_args__ = (sa.UniqueConstraint("question_id", "code", name="uq_options_question_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(50))
    label: Mapped[str] = mapped_column(sa.String(200))
    positive: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[Question] = relationship(back_populates="options")


class Response(db.Model):
    """One filled-in survey; at most one per registration and survey, and at most one per
    organization and survey (a survey of organizations: the office answers, not a person)."""

    __tablename__ = "responses"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "registration_id", name="uq_responses_survey_registration"),
        sa.UniqueConstraint("survey_id", "organization_id", name="uq_responses_survey_organization"),
        sa.CheckConstraint("registration_id IS NULL OR organization_id IS NULL", name="registration_or_organization"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[ResponseSource] = mapped_column(enum_type(ResponseSource, "response_source"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Which questions the respondent was asked (service.respondent_audience): their answer to
    # 「医療・介護の仕事をされていますか」 or their 職種; None on a survey that asks everyone all.
    audience: Mapped[Audience | None] = mapped_column(enum_type(Audience, "response_audience"))
    answers: Mapped[list["Answer"]] = relationship(cascade="all, delete-orphan")


class Answer(db.Model):
    """An option chosen (one row per option for multiple choice) or a text written."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.CheckConstraint("option_id IS NOT NULL OR text IS NOT NULL", name="option_or_text"),
        sa.UniqueConstraint("response_id", "question_id", "option_id", name="uq_answers_response_question_option"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int | None] = mapped_column(sa.ForeignKey("options.id", ondelete="RESTRICT"))
    text: Mapped[str | None] = mapped_column(sa.Text)


class SurveyInvitation(db.Model):
    """The personal survey link of a registration: an unguessable token, mailed once.

    One per registration (the unique constraint), so the cron job can run any number of
    times; the response's own unique (survey, registration) keeps it to one answer."""

    __tablename__ = "survey_invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship()


class VenueLinkTry(db.Model):
    """The failed tries to tie a venue answer to a 受付番号, per number and event.

    Numbers are sequential and the venue link is shared, so a number may be guessed: after
    MAX_LINK_FAILURES failures (surveys/service.py) the number links no more answers at that
    event. Numbers that do not exist are counted too, which caps enumeration as well. The row
    is locked while a try is checked, so parallel tries cannot pass the cap."""

    __tablename__ = "venue_link_tries"
    __table_args__ = (sa.UniqueConstraint("event_id", "number", name="uq_venue_link_tries_event_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]  # as typed; not a foreign key, since guesses at missing numbers count
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IndicatorLabel(db.Model):
    """The organizer's name of a custom indicator key (「連携シートを活用している」 for
    sheet_use), written everywhere a rate is shown instead of the key. The city's own keys
    have their names in surveys/defaults.py; a row here may rename them too."""

    __tablename__ = "indicator_labels"
    key: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(100))


class OrganizationSurvey(db.Model):
    """A survey of organizations, not tied to an event (事業所向けアンケート,
    居宅介護支援事業所アンケート): the survey's own row holds the title, the questions and
    the closing date; this one says to whom it goes and for which fiscal year it counts.

    `organization_types` lists the 事業所種別 addressed (people/organizations.py); empty
    means every organization. Who was actually addressed is fixed in OrganizationInvitation
    rows, so later edits of an office's type or new offices never change past results."""

    __tablename__ = "organization_surveys"
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(index=True)
    organization_types: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    survey: Mapped[Survey] = relationship()


class OrganizationInvitation(db.Model):
    """An organization addressed by a survey of organizations: its personal link (an
    unguessable token), the 事業所種別 it had when addressed (results are grouped by it) and
    the address the link was mailed to. One per survey and organization; the row is locked
    while the office's answer is stored, so two answers at once store one."""

    __tablename__ = "organization_invitations"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "organization_id", name="uq_organization_invitations_survey_organization"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("organization_surveys.survey_id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    organization_type: Mapped[str] = mapped_column(sa.String(50), default="")
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    mailed_to: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
