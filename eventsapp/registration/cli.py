"""flask --app eventsapp mail remind: the day-before reminders (run daily from cron)."""
from datetime import date, timedelta

import click

from ..dates import now, to_tokyo
from ..extensions import db
from ..mail.cli import mail
from .notices import queue_reminders


@mail.command("remind")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Events starting on this day (Tokyo); default: tomorrow.")
def mail_remind(day) -> None:
    """Queue reminders for tomorrow's events; `mail send` delivers them. Safe to run twice."""
    target: date = day.date() if day else to_tokyo(now()).date() + timedelta(days=1)
    queued = queue_reminders(db.session, day=target)
    click.echo(f"reminders queued for {target.isoformat()}: {queued}")
