"""flask --app eventsapp surveys send [--event ID]  ·  flask --app eventsapp import responses FILE.csv --event ID"""
import click
from flask.cli import AppGroup

from ..extensions import db
from ..checkin.import_cli import imports
from .importer import ResponseImportError, import_responses
from .invitations import send_invitations

surveys = AppGroup("surveys", help="アンケート")


@surveys.command("send")
@click.option("--event", "event_id", type=int, default=None, help="Only this event.")
def send_command(event_id: int | None) -> None:
    """Queue the personal survey link for the attendees of ended events whose survey is
    open (once per person; run from cron, then `mail send` delivers)."""
    summary = send_invitations(db.session, event_id=event_id)
    click.echo(f"events {summary.events}, mails queued {summary.mailed}, without e-mail {summary.without_email}")


@imports.command("responses")
@click.argument("file", type=click.File("rb"))
@click.option("--event", "event_id", type=int, required=True, help="The event the answers belong to.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; keep nothing.")
def import_responses_command(file, event_id: int, dry_run: bool) -> None:
    """Import survey answers exported from a form tool (all or nothing)."""
    try:
        report = import_responses(db.session, event_id=event_id, data=file.read(), commit=not dry_run)
    except ResponseImportError as error:
        raise click.ClickException(error.message) from None
    for line, reason in report.rejected:
        click.echo(f"line {line}: rejected: {reason}", err=True)
    click.echo(f"rows {len(report.rows)}, linked to registrations {report.linked}, rejected {len(report.rejected)}")
    if report.rejected:
        raise click.ClickException("rejected lines: nothing was imported")
    click.echo("imported" if report.committed else "dry run: nothing was imported")
