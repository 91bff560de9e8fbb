"""flask --app eventsapp mail viewing: the viewing links of recordings whose period has opened
(run from cron, every 10 minutes say). viewing.register() attaches it to the `mail` group."""
import click
from flask.cli import with_appcontext

from ..extensions import db
from .mailing import queue_viewing_links


@click.command("viewing")
@with_appcontext
def mail_viewing() -> None:
    """Queue each on-demand registrant's viewing link once its period is open; `mail send`
    delivers them. Safe to run twice."""
    summary = queue_viewing_links(db.session)
    click.echo(f"events {summary.events}, mails queued {summary.mailed}, without e-mail {summary.without_email}")
