"""The yearly report as an XLSX sheet that prints as the city's table, nothing clipped.

Spreadsheet programs do not grow a row to fit wrapped text when they open a file (LibreOffice
and Excel keep the stored height, one line by default), so the 計画 and 実績 were cut at the
cell's edge. Every row here gets the height of its tallest cell: the wrapped line count at its
column's width, counting a full-width character as two columns, times the line height. Scene
and goal are written on every row instead of merged, so a page break never leaves a row without
them; the header row repeats on each page; A4 landscape, one page wide.
tests/test_yearly_print.py converts the file with LibreOffice and finds every line in the PDF.
"""
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..exports import neutralise
from .front_matter import front_matter_lines
from .yearly import table_header
from .yearly_document import document_rows

# Column widths (in characters) of the printed table: 場面, 中期目標, 対象, 計画, 実績.
XLSX_WIDTHS = (10, 14, 10, 46, 82)
FONT_SIZE = 10
LINE_HEIGHT = 14.5  # points per line at FONT_SIZE, with the CJK fonts' taller lines
PADDING = 4  # points above and below the text
FRONT_TEXT_COLUMNS = 3  # the front matter's text spans 対象, 計画 and 実績


# Width of a full-width character in column units at FONT_SIZE: LibreOffice draws one in about
# 1.4 units, Excel with a Japanese font in up to 1.8; the larger keeps both from clipping.
WIDE = 1.8


def display_width(text: str) -> float:
    """Columns a line takes: full-width, wide and ambiguous characters count WIDE."""
    return sum(WIDE if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines the text takes once wrapped in a column `width` characters wide. One column is
    kept free for the cell's margins; a wrapped character never splits, so each line holds
    whole characters only (a full-width one may move to the next line whole)."""
    usable = max(2, width - 1)
    lines = 0
    for paragraph in str(text or "").split("\n"):
        used, count = 0, 1
        for ch in paragraph:
            step = display_width(ch)
            if used + step > usable:
                count, used = count + 1, 0
            used += step
        lines += count
    return max(1, lines)


def row_height(values, widths) -> float:
    lines = max(line_count(value, width) for value, width in zip(values, widths, strict=True))
    return lines * LINE_HEIGHT + PADDING


def yearly_xlsx(document: dict) -> bytes:
    """The document as one sheet: title, front matter, header (repeated on every page), rows."""
    workbook = Workbook()
    sheet = workbook.active
    matter = document["front_matter"]
    sheet.title = f"{document['label']}実績報告"[:31]
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    body = Font(size=FONT_SIZE)

    sheet.append([matter["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.row_dimensions[1].height = 24
    text_width = sum(XLSX_WIDTHS[-FRONT_TEXT_COLUMNS:])
    for heading, label, text in front_matter_lines(matter):
        sheet.append([heading, label, neutralise(text)])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=len(XLSX_WIDTHS))
        for cell in sheet[row]:
            cell.alignment, cell.font = wrap, body
        sheet.cell(row, 1).font = Font(bold=True, size=FONT_SIZE)
        sheet.row_dimensions[row].height = row_height([heading, label, text], [*XLSX_WIDTHS[:2], text_width])
    if sheet.max_row > 1:
        sheet.append([])

    sheet.append(table_header(document["fiscal_year"]))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.border, cell.alignment = Font(bold=True, size=FONT_SIZE), border, wrap
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for values in document_rows(document):
        sheet.append([neutralise(value) for value in values])
        row = sheet.max_row
        for cell in sheet[row]:
            cell.border, cell.alignment, cell.font = border, wrap, body
        sheet.row_dimensions[row].height = row_height(values, XLSX_WIDTHS)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

