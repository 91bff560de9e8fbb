"""The fiscal-year event table (`report fiscal-year --format xlsx`) as a sheet that reads
and prints: percentages are real percentage cells (0.289 shown as 28.9%), the header wraps,
and the page setup prints A4 landscape with the header row and the row names (区分, 名称)
repeated on every page, the 45 columns spread over a few pages wide."""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..exports import neutralise

PERCENT_SUFFIX = "（%）"
PAGES_WIDE = 3
WIDTHS = {"区分": 10, "名称": 34, "開催日時": 24, "シリーズ": 18, "中期目標": 18, "場面": 16, "圏域": 6}
NUMBER_WIDTH = 9


def fiscal_year_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, size=9)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    sheet.row_dimensions[1].height = 48
    percent_columns = {index for index, name in enumerate(header) if name.endswith(PERCENT_SUFFIX)}
    for row in rows:
        sheet.append([
            (None if value is None else value / 100) if index in percent_columns else neutralise(value)
            for index, value in enumerate(row)
        ])
        for index in percent_columns:
            sheet.cell(sheet.max_row, index + 1).number_format = "0.0%"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, NUMBER_WIDTH)
    sheet.freeze_panes = "C2"
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:B"
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth, setup.fitToHeight = PAGES_WIDE, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
