"""flask --app eventsapp mail remind: the day-before reminders (run daily from cron).
registration.register() attaches the command to the `mail` group."""
from datetime import date, timedelta

import click
from flask.cli import with_appcontext

from ..dates import now, to_tokyo
from ..extensions import db
from .notices import queue_reminders


@click.command("remind")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Events starting on this day (Tokyo); default: tomorrow.")
@with_appcontext
def mail_remind(day) -> None:
    """Queue reminders for tomorrow's events; `mail send` delivers them. Safe to run twice."""
    target: date = day.date() if day else to_tokyo(now()).date() + timedelta(days=1)
    queued = queue_reminders(db.session, day=target)
    click.echo(f"reminders queued for {target.isoformat()}: {queued}")
