"""Migration 0012: the former check-in method "manual" split into number and search by what each
door path wrote (docs in the migration), and folded back on downgrade; both engines."""
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventsapp import create_app
from eventsapp.catalog.models import Audience, EventFormat
from eventsapp.catalog.service import EventInput, save_event, save_series
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register

BEFORE = "0011"


def methods(conn) -> dict[int, str]:
    return dict(conn.execute(sa.text("SELECT registration_id, method FROM checkins")).all())


def test_manual_rows_are_split_by_the_path_that_wrote_them(migrated_app, scratch_database):
    url = scratch_database(migrated_app.config["ENGINE_NAME"])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        series = save_series(db.session, name="つむぐ会", audience=Audience.PROFESSIONALS, goals=[], scenes=[])
        start = tokyo_datetime(date(2025, 7, 11), time(18, 30))
        event = save_event(db.session, EventInput(title="移行の確認", series_id=series.id, starts_at=start,
                                                  ends_at=start + timedelta(hours=2), format=EventFormat.IN_PERSON))
        ids = []
        for n in range(5):
            person = PersonFields(family_name="移行", given_name=str(n), family_kana="いこう", email=f"m{n}@example.jp")
            ids.append(register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                                source=RegistrationSource.STAFF).registration.id)
        # the scanner's typed number (nonce and device time), the search page's one tap (nonce
        # only), the walk-in form (no nonce), a QR scan and an imported list
        rows = [(CheckInMethod.NUMBER, "typed-0001", start), (CheckInMethod.SEARCH, "tapped-001", None),
                (CheckInMethod.WALK_IN, None, None), (CheckInMethod.QR, "scanned-01", start),
                (CheckInMethod.IMPORT, None, None)]
        for registration_id, (method, nonce, scanned_at) in zip(ids, rows, strict=True):
            db.session.add(CheckIn(registration_id=registration_id, method=method, nonce=nonce, scanned_at=scanned_at))
        db.session.commit()
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            assert methods(conn) == dict(zip(ids, ["manual", "manual", "walk_in", "qr", "import"], strict=True))
            # before 0012 the walk-in form wrote "manual" for a registered person it found
            conn.execute(sa.text("UPDATE checkins SET method = 'manual' WHERE registration_id = :id"), {"id": ids[2]})
        upgrade()
        with db.engine.begin() as conn:
            assert methods(conn) == dict(zip(ids, ["number", "search", "walk_in", "qr", "import"], strict=True))
            refused = sa.text("UPDATE checkins SET method = 'manual' WHERE registration_id = :id")
            try:
                conn.execute(refused, {"id": ids[0]})
            except sa.exc.IntegrityError:
                pass
            else:
                raise AssertionError("the CHECK constraint still takes 'manual'")
        db.engine.dispose()
