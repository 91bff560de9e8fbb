"""flask --app eventsapp import attendance FILE.csv --event ID"""
import click
from flask.cli import AppGroup

from ..extensions import db
from .importer import AttendanceImportError, import_attendance

imports = AppGroup("import", help="過去の名簿・回答の取り込み")


@imports.command("attendance")
@click.argument("file", type=click.File("rb"))
@click.option("--event", "event_id", type=int, required=True, help="The event the list belongs to.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; keep nothing.")
def import_attendance_command(file, event_id: int, dry_run: bool) -> None:
    """Import a past attendance list (all or nothing) and print what matched whom."""
    try:
        report = import_attendance(db.session, event_id=event_id, data=file.read(), commit=not dry_run)
    except AttendanceImportError as error:
        raise click.ClickException(error.message) from None
    for line, reason in report.rejected:
        click.echo(f"line {line}: rejected: {reason}", err=True)
    click.echo(f"rows {len(report.rows)}, persons matched {report.matched}, created {report.created}, "
               f"rejected {len(report.rejected)}")
    if report.rejected:
        raise click.ClickException("rejected lines: nothing was imported")
    click.echo("imported" if report.committed else "dry run: nothing was imported")
