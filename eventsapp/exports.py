"""Spreadsheet exports: CSV as Excel in Japan opens it (UTF-8 with BOM, CRLF) and XLSX.

A cell that begins with = + - @ (or a tab or carriage return) would be run as a formula by a
spreadsheet: such cells get a leading apostrophe (CSV injection guard).

A cell may be a label still to translate (a lazy string, such as a registration status): it is
written in Japanese whatever the screen's language, like the headers, which are the contract of
docs/architecture.md (*CSV formats*) — an attendance list must read back through the import."""
import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence

from flask import Response, send_file
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
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


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str,
               preamble: Sequence[tuple[str, object]] = (), fit_to_width: bool = False,
               landscape: bool = False) -> bytes:
    """The table as an XLSX sheet, header in bold and repeated on every printed page; a column
    headed "%" (or "…（%）", "…(%)") shows its numbers with one decimal.

    `preamble`: (label, value) lines above the table (what the table is about), each value
    spread over the table's width and wrapped. `fit_to_width`: printed on A4 portrait (or
    `landscape`), scaled to one page wide."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for label, value in preamble:
        sheet.append([label, neutralise(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 1).alignment = Alignment(vertical="top")
    header_row = len(preamble) + 2 if preamble else 1  # a blank row between
    if preamble:
        sheet.append([])
    sheet.append([neutralise(value) for value in header])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    values_widths = [0] * len(header)  # each column's longest value, in characters
    for row in rows:
        values = [neutralise(value) for value in row]
        sheet.append(values)
        values_widths = [max(w, len(str(v or ""))) for w, v in zip(values_widths, values, strict=False)]
    for column, name in enumerate(header, start=1):
        if str(name).endswith(("%", "%）", "%)")):  # a rate's percentage: 28.0 shown as 28.0, not 28
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                cell.number_format = "0.0"
    if fit_to_width:  # printed: a long heading (a question's text) wraps instead of widening its column
        widths = [min(PRINTED_MAX_WIDTH, 2 + 2 * max(min(len(str(h)), PRINTED_HEADER_CHARS), width))
                  for h, width in zip(header, values_widths, strict=True)]
    else:
        widths = [min(60, 2 + 2 * max(len(str(h)), width)) for h, width in zip(header, values_widths, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if fit_to_width:
        for row in range(header_row, sheet.max_row + 1):
            for cell in sheet[row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            fit_row_height(sheet, row, widths)
    _spread_preamble(sheet, len(preamble), widths)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    if fit_to_width:
        print_on_a4(sheet, landscape=landscape)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A printed table: a heading counts for this many characters of its column's width (it wraps
# beyond), and no column is wider than this (its cells wrap, each row as tall as its text).
PRINTED_HEADER_CHARS = 8
PRINTED_MAX_WIDTH = 40


def _spread_preamble(sheet, lines: int, widths: list[float]) -> None:
    """Merge each preamble value over the columns right of its label and wrap it; spreadsheets
    do not grow a merged row to its text, so the row is given its lines' height."""
    if len(widths) < 2:
        return
    room = sum(widths[1:])  # the merged cell's width, in the units of wrapped_lines
    for row in range(1, lines + 1):
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(widths))
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = wrapped_lines(sheet.cell(row, 2).value, room) * LINE_HEIGHT + ROW_PADDING
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


def print_on_a4(sheet, *, landscape: bool) -> None:
    """A4, portrait or landscape, all columns on one page wide (as many pages high as needed)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def print_on_a4_landscape(sheet, *, title_rows: str) -> None:
    """A4 landscape, one page wide, narrow side margins, the title rows (e.g. "5:5", the table's
    header) repeated at the top of every page."""
    sheet.print_title_rows = title_rows
    print_on_a4(sheet, landscape=True)
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


def table_download(header: Sequence[str], rows: Sequence[Sequence], *, kind: str, filename: str, title: str,
                   preamble: Sequence[tuple[str, object]] = (), fit_to_width: bool = False,
                   landscape: bool = False) -> Response:
    """The table as CSV (UTF-8 with BOM) or XLSX, as asked. The preamble stands above the
    XLSX table (see xlsx_bytes); a CSV stays one table, so there its lines come first in it."""
    if kind == "csv":
        padding = [None] * (len(header) - 2)
        body = csv_bytes(header, [*([label, value, *padding] for label, value in preamble), *rows])
    else:
        body = xlsx_bytes(header, rows, title=title, preamble=preamble, fit_to_width=fit_to_width, landscape=landscape)
    return download(body, kind=kind, filename=filename)
