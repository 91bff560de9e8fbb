"""flask --app eventsapp privacy purge|erase|export"""
import json
from datetime import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..dates import tokyo_datetime
from ..extensions import db
from ..people.models import Person
from .privacy import InactiveSince, erase_persons, export_person, past_retention_today, purge

privacy = AppGroup("privacy", help="個人情報の消去と開示")


@privacy.command("purge")
@click.option("--expired", is_flag=True,
              help="Erase people past the retention period of their series, as of today (Tokyo time).")
@click.option("--before", "before", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Erase people with no event on or after this date (YYYY-MM-DD, Tokyo time).")
@click.option("--dry-run", is_flag=True, help="Only count them.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_command(expired: bool, before, dry_run: bool, yes: bool) -> None:
    """Erase names, contacts and free text of people past their retention period (--expired,
    the cron job) or with no activity since --before; every count of past reports stays."""
    if expired == (before is not None):
        raise click.UsageError("--expired か --before YYYY-MM-DD のどちらか一方を指定してください。")
    if expired:
        rule = past_retention_today(current_app.config["PRIVACY_RETENTION_YEARS"])
    else:
        rule = InactiveSince(before=tokyo_datetime(before.date(), time(0, 0)))
    count = len(rule.candidates(db.session))
    click.echo(f"persons to erase ({rule.reason}): {count}")
    if dry_run or count == 0:
        return
    if not yes:
        click.confirm(f"{count} 人の氏名・連絡先・自由記述を消去します。元に戻せません。よろしいですか", abort=True)
    click.echo(f"erased {purge(db.session, rule, user=None)}")


@privacy.command("erase")
@click.argument("person_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(person_id: int, yes: bool) -> None:
    """Erase one person's personal data at their request."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise click.ClickException(f"参加者 No.{person_id} はいません。")
    if not yes:
        click.confirm(f"{person.display_name}（No.{person_id}）の個人情報を消去します。よろしいですか", abort=True)
    erase_persons(db.session, [person_id], user=None, reason="request")
    click.echo(f"erased person {person_id}")


@privacy.command("export")
@click.argument("person_id", type=int)
def export_command(person_id: int) -> None:
    """Print everything kept about one person as JSON."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise click.ClickException(f"参加者 No.{person_id} はいません。")
    click.echo(json.dumps(export_person(db.session, person, user=None), ensure_ascii=False, indent=2))
