"""Spreadsheet exports: CSV as Excel in Japan opens it (UTF-8 with BOM, CRLF) and XLSX.

A cell that begins with = + - @ (or a tab or carriage return) would be run as a formula by a
spreadsheet: such cells get a leading apostrophe (CSV injection guard).

A cell may be a label still to translate (a lazy string, such as a registration status): it is
written in Japanese whatever the screen's language, like the headers, which are the contract of
docs/architecture.md (*CSV formats*) — an attendance list must read back through the import."""
import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response, send_file
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> object:
    if isinstance(value, LazyString):
        with force_locale("ja"):
            value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(value) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([neutralise(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = [neutralise(value) for value in row]
        sheet.append(values)
        widths = [max(w, len(str(v or ""))) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, 2 + width * 2)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Bare types: Werkzeug adds "; charset=utf-8" to text/* itself (a charset here would appear twice).
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def send_download(body: bytes | str, *, download_name: str, mimetype: str) -> Response:
    """Any file the app hands out to save (exports, calendars, a person's data): Flask's
    send_file writes Content-Disposition, quoting and non-ASCII names included, so no view
    types that header. Not conditional: the body is made anew on each request, and a resumed
    Range request could stitch two versions together."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=download_name,
                     conditional=False)


def download(body: bytes, *, kind: str, filename: str) -> Response:
    """A file to save: the body of csv_bytes or xlsx_bytes (kind "csv" or "xlsx")."""
    return send_download(body, download_name=f"{filename}.{kind}", mimetype=MIMETYPES[kind])


def table_download(header: Sequence[str], rows: Sequence[Sequence], *, kind: str, filename: str,
                   title: str) -> Response:
    """The table as CSV (UTF-8 with BOM) or XLSX, as asked."""
    body = csv_bytes(header, rows) if kind == "csv" else xlsx_bytes(header, rows, title=title)
    return download(body, kind=kind, filename=filename)
