"""flask --app eventsapp mail send: deliver the outbox (run it from cron every minute)."""
import click
from flask.cli import AppGroup

from ..extensions import db
from .outbox import send_pending

mail = AppGroup("mail", help="メールの送信")


@mail.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="At most this many mails in this run.")
def mail_send(limit: int) -> None:
    """Send the mails waiting in the outbox; failed ones stay for the next run."""
    report = send_pending(db.session, limit=limit)
    click.echo(f"sent {report.sent}, failed {report.failed}, waiting {report.remaining}")
