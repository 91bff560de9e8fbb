"""flask --app eventsapp report fiscal-year 2025 --format json|csv|xlsx [--output FILE]"""
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..dates import FIRST_YEAR, LAST_YEAR
from ..exports import csv_bytes, xlsx_bytes
from ..extensions import db
from .api import FiscalYearReportSchema
from .summary import fiscal_year_report
from .tables import fiscal_year_table

report = AppGroup("report", help="集計・報告")


def render(data: dict, kind: str) -> bytes:
    """The report as bytes: JSON exactly as the API answers it (Tokyo times), or the
    spreadsheet of tables.fiscal_year_table (BOM, CRLF and formula guard by exports.py)."""
    if kind == "json":
        return (json.dumps(FiscalYearReportSchema().dump(data), ensure_ascii=False, indent=2) + "\n").encode()
    header, rows = fiscal_year_table(data)
    if kind == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes(header, rows, title=f"{data['label']}実績")


@report.command("fiscal-year")
@click.argument("year", type=click.IntRange(FIRST_YEAR, LAST_YEAR))
@click.option("--format", "kind", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def fiscal_year_command(year: int, kind: str, output: str | None) -> None:
    """Print or write the fiscal year's report: every event, then totals by series, goal
    and scene (pooled counts, 実人数 beside 延べ)."""
    body = render(fiscal_year_report(db.session, year), kind)
    if output is None:
        if kind == "xlsx":
            raise click.UsageError("XLSX は --output でファイルを指定してください。")
        click.echo(body, nl=False)  # bytes go to the binary stream as they are
        return
    Path(output).write_bytes(body)
    click.echo(f"wrote {output}", err=True)
