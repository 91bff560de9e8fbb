"""Tokens stay out of the logs: the access log, the app's error records and the SQL
parameters of a failing request's traceback (hide_parameters in production)."""
import logging
import urllib.request

import pytest
import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.extensions import db
from eventsapp.logmask import mask_secrets
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import gunicorn

SURVEY_TOKEN = "SurveyTokenSurveyToken0123456789"
VENUE_CODE = "VenueCode42"


@pytest.mark.parametrize("text, masked", [
    ("GET /r/AbC-_123456789012345678901234/cancel HTTP/1.1", "GET /r/***/cancel HTTP/1.1"),
    ("https://events.example.jp/r/tok_en/calendar.ics?x=1", "https://events.example.jp/r/***/calendar.ics?x=1"),
    ("/s/abc /q/xyz\t/r/%41%42", "/s/*** /q/***\t/r/***"),
    ("Exception on /s/abc [POST]", "Exception on /s/*** [POST]"),
    ("POST /os/OfficeToken_123 HTTP/1.1 /o", "POST /os/*** HTTP/1.1 /o"),
    ("/events/12/register /admin/registrations/3 /static/css/site.css /r/", "/events/12/register /admin/registrations/3 /static/css/site.css /r/"),
])
def test_mask_secrets(text, masked):
    assert mask_secrets(text) == masked


def test_an_exception_record_carries_no_token(app, client, make_event, caplog, monkeypatch):
    """Flask logs "Exception on <path>" with the traceback; both carry the token here."""
    token = "A" * 32

    def fail(manage_token):
        raise RuntimeError(f"lookup failed at https://events.example.jp/r/{manage_token}")

    monkeypatch.setattr("eventsapp.registration.views.get_registration_or_404", fail)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a 500, logged, as in production
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/r/{token}").status_code == 500
    assert "Exception on /r/*** [GET]" in caplog.text and "RuntimeError: lookup failed" in caplog.text
    assert token not in caplog.text


def test_production_hides_sql_parameters(tmp_path):
    app = create_app({"PRODUCTION": True, "SECRET_KEY": "k" * 48, "PUBLIC_BASE_URL": "https://events.example.lg.jp",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context():
        assert db.engine.hide_parameters is True
    with create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'y.sqlite3'}"}).app_context():
        assert db.engine.hide_parameters is False  # development shows them, to debug


def get(url: str, **headers) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_a_failing_request_under_gunicorn_leaves_no_token_in_the_logs(app, make_event, tmp_path):
    """The README's production command (its logger class, FLASK_PRODUCTION=true) on PostgreSQL;
    the registration table is broken so that looking up the manage token fails inside the
    database, with the token as the statement's parameter."""
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("PostgreSQL raises a ProgrammingError (a 500) here; SQLite's error is answered 503")
    event = make_event()
    token = register(db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                     person=PersonFields(family_name="記録", family_kana="きろく", email="log@example.jp")
                     ).registration.manage_token
    db.session.remove()
    rename = "ALTER TABLE registrations RENAME COLUMN {} TO {}"
    env = {"FLASK_PRODUCTION": "true", "SECRET_KEY": "k" * 48, "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
           "FLASK_RATELIMIT_ENABLED": "false", "FLASK_MAIL_SEND_AFTER_REQUEST": "false"}
    access_log = tmp_path / "access.log"
    options = ("--logger-class", "eventsapp.gunicorn_logging.Logger", "--access-logfile", str(access_log))
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, env, options=options) as server:
        with db.engine.begin() as connection:
            connection.execute(sa.text(rename.format("cancelled_at", "cancelled_at_gone")))
        try:
            answers = [get(f"{server.base}/r/{token}"), get(f"{server.base}/r/{token}/calendar.ics"),
                       get(f"{server.base}/s/{SURVEY_TOKEN}"), get(f"{server.base}/q/{VENUE_CODE}"),
                       get(f"{server.base}/privacy", Referer=f"{server.base}/r/{token}"),
                       get(f"{server.base}/r/{token}", Host="evil.example")]
        finally:
            with db.engine.begin() as connection:
                connection.execute(sa.text(rename.format("cancelled_at_gone", "cancelled_at")))
    error_log, access = (tmp_path / "gunicorn.log").read_text(), access_log.read_text()
    assert answers[:2] == [500, 500] and answers[4:] == [200, 400]  # a forged Host: 400, logged masked
    # The failures were logged, path and SQL included ...
    assert "Exception on /r/*** [GET]" in error_log and "cancelled_at" in error_log
    assert "SQL parameters hidden" in error_log
    assert access.count('"GET /r/*** HTTP/1.1" 500') == 1 and '"GET /r/*** HTTP/1.1" 400' in access and '"GET /r/***/calendar.ics HTTP/1.1" 500' in access
    assert "/s/***" in access and "/q/***" in access and f"{server.base}/r/***" in access
    # ... and no log holds a token.
    for secret in (token, SURVEY_TOKEN, VENUE_CODE):
        assert secret not in error_log and secret not in access


def test_the_development_server_log_is_masked(app, caplog):
    """`make run` logs each request line through the werkzeug logger."""
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - "%s" %s', "127.0.0.1", "GET /s/SurveyToken123 HTTP/1.1", 200)
    assert '"GET /s/*** HTTP/1.1" 200' in caplog.text and "SurveyToken123" not in caplog.text
