"""Spreadsheet exports: CSV as Excel in Japan opens it (UTF-8 with BOM, CRLF) and XLSX.

A cell that begins with = + - @ (or a tab or carriage return) would be run as a formula by a
spreadsheet: such cells get a leading apostrophe (CSV injection guard)."""
import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(header))
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


# A wrapped line of 11-point text, in points, with room for the Japanese fallback font, which
# LibreOffice draws taller than Calibri; and the cell's own padding.
LINE_HEIGHT = 15.5
ROW_PADDING = 3


def text_width(text: str) -> int:
    """The character units a text takes in a cell: 2 for a full-width character (漢字, かな,
    full-width forms), 1 for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(value, width: float) -> int:
    """How many lines a wrapped cell `width` character units wide needs for the value: each of
    its own lines broken where it reaches the width (one unit is kept for the cell's margins)."""
    usable = max(1.0, width - 1)
    text = "" if value is None else str(value)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def fit_row_height(sheet, row: int, widths: Sequence[float]) -> None:
    """Set the row's height to its tallest wrapped cell. Spreadsheets grow a wrapped row only
    when they edit it, and LibreOffice not even then for a file it opens: without a height a
    printed row shows one line and cuts the rest."""
    lines = max(wrapped_lines(sheet.cell(row=row, column=column).value, width)
                for column, width in enumerate(widths, start=1))
    sheet.row_dimensions[row].height = lines * LINE_HEIGHT + ROW_PADDING


def print_on_a4_landscape(sheet, *, title_rows: str) -> None:
    """A4 landscape, all columns on one page wide (as many pages high as needed), the title
    rows (e.g. "5:5", the table's header) repeated at the top of every page."""
    sheet.print_title_rows = title_rows
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


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
