"""Command-line entry points of the whole application: flask --app eventsapp backup|restore."""

import click
from flask import Flask, current_app

from .extensions import db


@click.command("backup")
@click.option("--output", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the backup file (default: instance/backups).")
def backup(directory: str | None) -> None:
    """Back up the whole database (SQLite online backup, or pg_dump) and print the file."""
    from pathlib import Path

    from .backup import BackupError, backup_database
    from .dates import now, to_tokyo

    target = Path(directory) if directory else Path(current_app.instance_path) / "backups"
    try:
        path = backup_database(db.engine, target, moment=to_tokyo(now()))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup: {path}")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(backup_file: str, yes: bool) -> None:
    """Replace the database's contents by BACKUP_FILE (made by `backup`)."""
    from pathlib import Path

    from .backup import BackupError, restore_database

    if not yes:
        click.confirm(f"現在のデータをすべて {backup_file} の内容に置き換えます。よろしいですか", abort=True)
    db.session.remove()
    try:
        restore_database(db.engine, Path(backup_file))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored from {backup_file}")


def register(app: Flask) -> None:
    """The commands of the whole application; each capability adds its own (see create_app)."""
    app.cli.add_command(backup)
    app.cli.add_command(restore)
