"""Backup and restore of the whole database, with the engine's own tools.

SQLite: the online backup API, which copies a consistent snapshot while the app keeps
serving. PostgreSQL: pg_dump in its custom format, restored by pg_restore in one
transaction. The PostgreSQL client programs must match the server's major version.

A backup holds every person's data: the file is readable by its owner only (0600), and a
folder the backup creates is too (0700), whatever the umask.
"""
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import Engine


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in Japanese."""


def backup_database(engine: Engine, directory: Path, *, moment: datetime) -> Path:
    """Write a backup into `directory` and return its path."""
    private_directory(directory)
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    if engine.dialect.name == "sqlite":
        target = private_file(directory / f"eventsapp-{stamp}.sqlite3")
        copy_sqlite(sqlite_path(engine), str(target))
        return target
    target = private_file(directory / f"eventsapp-{stamp}.dump")
    run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
         *schema_options(engine), f"--dbname={libpq_url(engine)}"])
    return target


def private_directory(directory: Path) -> None:
    """Create the folder 0700 if it is missing; an existing folder keeps the mode its owner chose."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # mkdir's mode is cut by the umask; chmod's is not


def private_file(target: Path) -> Path:
    """An empty file 0600 for the backup to be written into (SQLite and pg_dump keep the mode
    of a file that exists). An existing file of the same name is a refusal, not an overwrite."""
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"同じ名前のバックアップファイルがすでにあります: {target}") from None
    os.fchmod(handle, 0o600)
    os.close(handle)
    return target


def restore_database(engine: Engine, backup: Path) -> None:
    """Replace the database's contents by the backup's. All or nothing."""
    if not backup.is_file():
        raise BackupError(f"バックアップファイルがありません: {backup}")
    engine.dispose()  # no pooled connection may hold the old contents
    if engine.dialect.name == "sqlite":
        with open(backup, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError("SQLite のバックアップファイルではありません。")
        copy_sqlite(str(backup), sqlite_path(engine))
        return
    run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", *schema_options(engine), f"--dbname={libpq_url(engine)}", str(backup)])


def copy_sqlite(source: str, target: str) -> None:
    """SQLite's online backup: a consistent copy even while others write."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("メモリ上のデータベースはバックアップできません。")
    return database


def libpq_url(engine: Engine) -> str:
    """The SQLAlchemy URL as pg_dump understands it (no +psycopg driver name)."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def schema_options(engine: Engine) -> list[str]:
    """--schema=S when the URL sets search_path=S (a database shared by several apps or tests)."""
    options = engine.url.query.get("options", "")
    for value in ([options] if isinstance(options, str) else options):
        for part in unquote(value).split():
            if part.startswith("-csearch_path="):
                return [f"--schema={part.split('=', 1)[1]}"]
    return []


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} が見つかりません（PostgreSQL のクライアント postgresql-client を入れてください）。")
    return found


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} が失敗しました: {result.stderr.strip()[-500:]}")

