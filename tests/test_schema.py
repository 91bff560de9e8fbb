"""The schema as the migrations build it: integrity is enforced by the database itself,
on SQLite and on PostgreSQL alike."""
import secrets
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from eventsapp import create_app
from eventsapp.catalog.models import Audience, Event, EventFormat, Series
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationStatus
from eventsapp.surveys.models import Question, QuestionKind, Response, ResponseSource, Survey


def test_migrations_build_the_models_schema_and_downgrade_to_nothing(migrated_app, scratch_database):
    url = scratch_database(migrated_app.config["ENGINE_NAME"])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert differences == []
            assert conn.execute(sa.text("SELECT count(*) FROM goals")).scalar() == 4
            assert conn.execute(sa.text("SELECT count(*) FROM scenes")).scalar() == 6
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back again, from nothing
        db.engine.dispose()


def make_person(name: str = "山田") -> Person:
    person = Person(family_name=name, given_name="花子", family_kana="ヤマダ", given_kana="ハナコ")
    db.session.add(person)
    db.session.flush()
    return person


def make_registration(event, person, **kw) -> Registration:
    registration = Registration(
        event_id=event.id,
        person_id=person.id,
        mode=RegistrationMode.IN_PERSON,
        ticket_token=kw.pop("ticket_token", secrets.token_urlsafe(16)),
        manage_token=secrets.token_urlsafe(16),
        **kw,
    )
    db.session.add(registration)
    db.session.flush()
    return registration


def assert_refused(statement=None):
    """Flush (or run the statement) and expect the database to refuse it."""
    with pytest.raises(IntegrityError):
        if statement is None:
            db.session.flush()
        else:
            db.session.execute(statement)
            db.session.flush()
    db.session.rollback()


def test_ticket_tokens_are_unique(make_event):
    event = make_event()
    make_registration(event, make_person("一"), ticket_token="same")
    db.session.add(
        Registration(
            event_id=event.id, person_id=make_person("二").id, mode=RegistrationMode.IN_PERSON,
            ticket_token="same", manage_token="other",
        )
    )
    assert_refused()


def test_one_live_registration_per_person_and_event(make_event):
    event = make_event()
    person = make_person()
    first = make_registration(event, person)
    db.session.commit()
    db.session.add(
        Registration(event_id=event.id, person_id=person.id, mode=RegistrationMode.ON_DEMAND,
                     ticket_token="t2", manage_token="m2")
    )
    assert_refused()
    # Once the first is cancelled, the person may register again; history is kept.
    first = db.session.get(Registration, first.id)
    first.status = RegistrationStatus.CANCELLED
    db.session.commit()
    make_registration(event, db.session.get(Person, person.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


def test_one_checkin_per_registration_and_nonces_unique(make_event):
    event = make_event()
    first = make_registration(event, make_person("一"))
    second = make_registration(event, make_person("二"))
    db.session.add(CheckIn(registration_id=first.id, method=CheckInMethod.QR, nonce="n-1"))
    db.session.commit()
    db.session.add(CheckIn(registration_id=first.id, method=CheckInMethod.QR, nonce="n-2"))
    assert_refused()
    db.session.add(CheckIn(registration_id=second.id, method=CheckInMethod.QR, nonce="n-1"))
    assert_refused()
    # Imported history has no nonce; several such rows may exist.
    third = make_registration(event, make_person("三"))
    db.session.add(CheckIn(registration_id=second.id, method=CheckInMethod.IMPORT))
    db.session.add(CheckIn(registration_id=third.id, method=CheckInMethod.IMPORT))
    db.session.commit()


def test_foreign_keys_are_enforced(make_event):
    event = make_event()
    db.session.add(Registration(event_id=event.id, person_id=987654, mode=RegistrationMode.IN_PERSON,
                                ticket_token="t", manage_token="m"))
    assert_refused()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE registrations SET status = 'bogus'",
        "UPDATE registrations SET mode = 'telepathy'",
        "UPDATE registrations SET channel = 'fax'",
        "UPDATE events SET format = 'circus'",
        "UPDATE events SET capacity = -1",
        "UPDATE events SET fiscal_year = 1998",
        "UPDATE events SET fiscal_year = 2101",
        "UPDATE events SET ends_at = starts_at - INTERVAL '1 hour'",
    ],
)
def test_check_constraints(make_event, statement, app):
    event = make_event()
    make_registration(event, make_person())
    db.session.commit()
    if "INTERVAL" in statement and app.config["ENGINE_NAME"] == "sqlite":
        statement = "UPDATE events SET ends_at = '2000-01-01 00:00:00.000000'"
    assert_refused(sa.text(statement))


def test_one_response_per_registration_and_one_question_per_indicator(make_event):
    event = make_event()
    registration = make_registration(event, make_person())
    survey = db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))  # copied when the event was made
    db.session.add(Response(survey_id=survey.id, registration_id=registration.id, source=ResponseSource.LINK))
    db.session.commit()
    db.session.add(Response(survey_id=survey.id, registration_id=registration.id, source=ResponseSource.PAPER))
    assert_refused()
    # Anonymous responses (no registration) are many.
    db.session.add_all([Response(survey_id=survey.id, source=ResponseSource.VENUE) for _ in range(2)])
    db.session.commit()
    db.session.add(Question(survey_id=survey.id, key="q1", text="人生会議", kind=QuestionKind.LIKERT, indicator="acp_share"))
    db.session.commit()
    db.session.add(Question(survey_id=survey.id, key="q2", text="人生会議2", kind=QuestionKind.LIKERT, indicator="acp_share"))
    assert_refused()


def test_the_fiscal_year_check_takes_the_supported_years_edges(make_event):
    """dates.FIRST_YEAR–LAST_YEAR as fiscal years: January 2000 is fiscal 1999, and 2100."""
    event = make_event()
    for year in (1999, 2100):
        db.session.execute(sa.text("UPDATE events SET fiscal_year = :y WHERE id = :id"), {"y": year, "id": event.id})
        db.session.commit()


def test_the_upgrades_since_0008_keep_the_rows_that_point_at_rebuilt_tables(migrated_app, scratch_database):
    """SQLite rebuilds a table to change a CHECK (events in 0009 and 0014, registrations in 0011,
    checkins in 0012) while other rows point at it: down to 0008 and up again, nothing is lost."""
    url = scratch_database(migrated_app.config["ENGINE_NAME"])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        series = Series(name="つむぐ会", audience=Audience.PROFESSIONALS)
        db.session.add(series)
        db.session.flush()
        start = tokyo_datetime(date(2025, 7, 11), time(18, 30))
        event = Event(title="移行", series_id=series.id, starts_at=start, ends_at=start + timedelta(hours=2),
                      format=EventFormat.IN_PERSON)
        db.session.add(event)
        db.session.flush()
        registration = make_registration(event, make_person())
        db.session.add(CheckIn(registration_id=registration.id, method=CheckInMethod.QR, nonce="kept-0001"))
        db.session.commit()
        db.session.remove()
        counts = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM registrations), (SELECT count(*) FROM checkins)"
        downgrade(revision="0008")
        with db.engine.connect() as conn:
            assert tuple(conn.execute(sa.text(counts)).one()) == (1, 1, 1)
        upgrade()
        with db.engine.connect() as conn:
            assert tuple(conn.execute(sa.text(counts)).one()) == (1, 1, 1)
            assert conn.execute(sa.text("SELECT method FROM checkins")).scalar() == "qr"
        db.engine.dispose()
