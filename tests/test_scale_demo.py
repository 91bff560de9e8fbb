"""The synthetic scale programme at a tiny size: exact counts, determinism, the
refusal of a non-empty database, and the reports running on its output. No timings here:
speed is measured by bench/reports.py."""
import hashlib

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import Event
from eventsapp.checkin.models import CheckIn
from eventsapp.demo.scale import ScaleDemoError, generate
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration
from eventsapp.reports.summary import event_summaries, fiscal_year_report
from eventsapp.surveys.models import Answer, Response, Survey

TINY = {"persons": 200, "events": 10, "registrations": 1000, "years": 3}


def quiet(_line: str) -> None:
    pass


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def fingerprint() -> str:
    """The generated registrations, check-ins and answers, independent of row ids."""
    rows = db.session.execute(
        sa.select(Event.title, Event.starts_at, Person.email, Registration.status, Registration.mode,
                  Registration.source, Registration.ticket_token, CheckIn.method, sa.func.count(Answer.id))
        .join(Event, Event.id == Registration.event_id)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .outerjoin(Response, Response.registration_id == Registration.id)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .group_by(Registration.id, Event.title, Event.starts_at, Person.email, CheckIn.method)
        .order_by(Event.starts_at, Event.title, Person.email)
    ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_tiny_programme_has_the_requested_counts(app):
    created = generate(db.session, **TINY, seed=7, echo=quiet)
    assert count(Person) == 200 and count(Event) == 10 and count(Registration) == 1000
    assert created["persons"] == 200 and created["events"] == 10 and created["registrations"] == 1000
    assert count(Survey.__table__.select().where(Survey.event_id.is_not(None)).subquery()) == 10
    checked_in = count(CheckIn)
    assert 600 <= checked_in <= 900  # about 75 % (10 events: depends on their formats)
    assert count(Response) > 0 and count(Answer) > 0
    years = set(db.session.scalars(sa.select(Event.fiscal_year).distinct()))
    assert years <= {2023, 2024, 2025}


def test_same_seed_same_programme(app, wipe_tables):
    generate(db.session, **TINY, seed=3, echo=quiet)
    first = fingerprint()
    wipe_tables()
    generate(db.session, **TINY, seed=3, echo=quiet)
    assert fingerprint() == first
    wipe_tables()
    generate(db.session, **TINY, seed=4, echo=quiet)
    assert fingerprint() != first


def test_refuses_a_database_with_registrations_unless_append(app, runner):
    args = ["demo", "scale", "--persons", "50", "--events", "4", "--registrations", "100", "--years", "2"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "registrations +100" in result.output
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0
    assert "--append" in refused.output and "100 件" in refused.output
    assert count(Registration) == 100
    with pytest.raises(ScaleDemoError):
        generate(db.session, persons=10, events=2, registrations=5, echo=quiet)
    appended = runner.invoke(args=[*args, "--append"])
    assert appended.exit_code == 0, appended.output
    assert count(Registration) == 200 and count(Person) == 100


def test_reports_run_on_the_generated_programme(app):
    generate(db.session, **TINY, seed=1, echo=quiet)
    year = db.session.scalar(sa.select(sa.func.max(Event.fiscal_year)))
    report = fiscal_year_report(db.session, year)
    assert report["events"] and report["total"]["attended"]["total"] > 0
    assert set(report["total"]["indicators"]) >= {"satisfaction"}
    event_id = report["events"][0]["event_id"]
    summary = event_summaries(db.session, [event_id])[event_id]
    assert summary["registered"]["total"] >= 0 and summary["responses"]["d"] == summary["attended"]["total"]
