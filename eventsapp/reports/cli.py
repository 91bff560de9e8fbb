"""flask --app eventsapp report fiscal-year|yearly YEAR --format json|csv|xlsx [--output FILE]"""
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..dates import FIRST_YEAR, LAST_YEAR
from ..exports import csv_bytes
from ..extensions import db
from ..surveys.indicators import indicator_names
from .api import FiscalYearReportSchema, YearlyReportSchema
from .fiscal_xlsx import fiscal_year_xlsx
from .summary import fiscal_year_report
from .tables import fiscal_year_table
from .yearly_document import document_csv, yearly_document
from .yearly_xlsx import yearly_xlsx

report = AppGroup("report", help="集計・報告")
YEAR = click.IntRange(FIRST_YEAR, LAST_YEAR)
FORMAT = click.Choice(["json", "csv", "xlsx"])


def as_json(schema, data: dict) -> bytes:
    return (json.dumps(schema.dump(data), ensure_ascii=False, indent=2) + "\n").encode()


def render(data: dict, kind: str) -> bytes:
    """The fiscal-year report as bytes: JSON exactly as the API answers it (Tokyo times), or
    the spreadsheet of tables.fiscal_year_table (BOM, CRLF and formula guard by exports.py)."""
    if kind == "json":
        return as_json(FiscalYearReportSchema(), data)
    header, rows = fiscal_year_table(data, indicator_names(db.session))
    if kind == "csv":
        return csv_bytes(header, rows)
    return fiscal_year_xlsx(header, rows, title=f"{data['label']}実績")


def render_yearly(document: dict, kind: str) -> bytes:
    """The yearly report as bytes: the API's JSON, or the same CSV and XLSX as the screens'."""
    if kind == "json":
        return as_json(YearlyReportSchema(), document)
    return document_csv(document) if kind == "csv" else yearly_xlsx(document)


def emit(body: bytes, kind: str, output: str | None) -> None:
    if output is None:
        if kind == "xlsx":
            raise click.UsageError("XLSX は --output でファイルを指定してください。")
        click.echo(body, nl=False)  # bytes go to the binary stream as they are
        return
    Path(output).write_bytes(body)
    click.echo(f"wrote {output}", err=True)


@report.command("fiscal-year")
@click.argument("year", type=YEAR)
@click.option("--format", "kind", type=FORMAT, default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def fiscal_year_command(year: int, kind: str, output: str | None) -> None:
    """Print or write the fiscal year's report: every event, then totals by series, goal
    and scene (pooled counts, 実人数 beside 延べ)."""
    emit(render(fiscal_year_report(db.session, year), kind), kind, output)


@report.command("yearly")
@click.argument("year", type=YEAR)
@click.option("--format", "kind", type=FORMAT, default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def yearly_command(year: int, kind: str, output: str | None) -> None:
    """Print or write the yearly report (the city's table with its front matter): the same
    document as the screen, its exports and GET /api/v1/reports/yearly/YEAR."""
    emit(render_yearly(yearly_document(db.session, year), kind), kind, output)
