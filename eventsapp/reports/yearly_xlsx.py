"""The yearly report as an XLSX sheet that prints as the city's table."""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..exports import neutralise

# Column widths (in characters) of the printed table: 場面, 中期目標, 対象, 計画, 実績.
XLSX_WIDTHS = (14, 16, 12, 50, 80)


def yearly_xlsx(header: list[str], rows: list[list[str]], *, title: str) -> bytes:
    """The report table as one sheet formatted for printing: a bold, shaded header row
    repeated on every page, wrapped text at the top of each cell, thin borders, fixed column
    widths, A4 landscape fitted to the page width. Cells go through the formula guard."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(header))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[2]:
        cell.font, cell.border, cell.alignment = Font(bold=True), border, wrap
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.border, cell.alignment = border, wrap
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
