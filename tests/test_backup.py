"""Backup → change → restore gives back exactly what was backed up, on both engines."""
import sqlalchemy as sa

from eventsapp.checkin.service import Scan, check_in, live_counts
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_backup_and_restore_round_trip(app, runner, make_event, tmp_path):
    event = make_event(capacity=10)
    for n in range(3):
        fields = PersonFields(family_name="控え", given_name=str(n), family_kana="ひかえ", email=f"bk{n}@example.jp")
        registration = register(db.session, event_id=event.id, person=fields, mode=RegistrationMode.IN_PERSON,
                                source=RegistrationSource.STAFF).registration
    check_in(db.session, event_id=event.id, scan=Scan(ticket=registration.ticket_token, nonce="backup-nonce"), staff=None,
             at=event.starts_at)
    event_id, kept_id = event.id, registration.id
    before_counts, before_door = row_counts(), live_counts(db.session, event_id)
    db.session.remove()

    result = runner.invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    backup_file = result.output.split("backup: ")[1].strip()

    db.session.execute(sa.delete(Registration).where(Registration.id != kept_id)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert row_counts() != before_counts
    db.session.remove()

    refused = runner.invoke(args=["restore", backup_file], input="n\n")
    assert refused.exit_code != 0 and row_counts() != before_counts
    db.session.remove()
    result = runner.invoke(args=["restore", backup_file, "--yes"])
    assert result.exit_code == 0, result.output
    assert row_counts() == before_counts
    assert live_counts(db.session, event_id) == before_door


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("not a database")
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "バックアップ" in result.output or "失敗" in result.output
    assert runner.invoke(args=["restore", str(tmp_path / "missing"), "--yes"]).exit_code != 0


def test_backups_are_readable_by_their_owner_only(app, runner, tmp_path):
    """Even under a permissive umask: the file 0600, the folder the backup creates 0700."""
    import os
    import stat

    folder = tmp_path / "new" / "backups"
    old = os.umask(0o002)
    try:
        result = runner.invoke(args=["backup", "--output", str(folder)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    backup_file = result.output.split("backup: ")[1].strip()
    assert stat.S_IMODE(os.stat(backup_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert os.path.getsize(backup_file) > 0
