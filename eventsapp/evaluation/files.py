"""The 評価シート as files, made from the same document as the page and the API (sheet.py).

- CSV: the sheet's data, one line per indicator and year (every number with its n, d, kind
  and note, and the year's 評価), so a spreadsheet can filter and sum it; exports.py's BOM,
  CRLF and formula guard.
- XLSX: the first sheet is the document as the page prints it (goal → indicator, the five
  years side by side, the target and the 評価), A4 landscape, one page wide, the header on
  every page; the second sheet holds the CSV's lines.
"""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..dates import fiscal_year_label
from ..exports import csv_bytes, fit_row_height, neutralise, print_on_a4_landscape
from .sheet import KIND_LABEL, value_text

DATA_HEADER = ("指標番号", "中期目標", "場面", "評価指標", "期待値", "把握方法", "評価時期", "単位", "目標",
               "年度", "年度（和暦）", "値", "分子", "分母", "区分", "備考", "評価")
DOCUMENT_WIDTHS = (11, 10, 26, 22, 16, 7)  # 中期目標, 場面, 期待値, 評価指標, 把握方法・評価時期, 目標
YEAR_WIDTH, COMMENT_WIDTH = 13, 30


def sheet_title(document: dict) -> str:
    return f"{document['label']} 評価シート"


def data_rows(document: dict) -> list[list]:
    """One line per indicator and year, in the sheet's order."""
    return [
        [row["id"], row["goal"], row["scene"], row["name"], row["expected"], row["source"], row["timing"],
         row["unit"], row["target"] or "", value["fiscal_year"], fiscal_year_label(value["fiscal_year"]),
         value["value"], value["n"], value["d"], KIND_LABEL[value["kind"]], value["note"], value["comment"]]
        for row in document["indicators"] for value in row["values"]
    ]


def sheet_csv(document: dict) -> bytes:
    return csv_bytes(DATA_HEADER, data_rows(document))


def document_header(document: dict) -> list[str]:
    years = [fiscal_year_label(year) for year in document["years"]]
    return ["中期目標", "場面", "期待値", "評価指標", "把握方法・評価時期", "目標", *years,
            f"評価（{document['label']}）"]


def document_rows(document: dict) -> list[list[str]]:
    """The page's table as cells: each year's value as printed, 入力 under an entered one."""
    def cell(value: dict, unit: str) -> str:
        if value["value"] is None:
            return "—"
        return f"{value_text(value, unit)}\n{KIND_LABEL[value['kind']]}"

    return [
        [row["goal"], row["scene"], row["expected"], row["name"], f"{row['source']}\n{row['timing']}".strip(),
         row["target"] or "", *(cell(value, row["unit"]) for value in row["values"]), row["values"][-1]["comment"]]
        for row in document["indicators"]
    ]


def sheet_xlsx(document: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "評価シート"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([sheet_title(document)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    header = document_header(document)
    sheet.append(header)
    header_row = sheet.max_row
    widths = [*DOCUMENT_WIDTHS, *([YEAR_WIDTH] * len(document["years"])), COMMENT_WIDTH]
    for cell in sheet[header_row]:
        cell.font, cell.border, cell.alignment = Font(bold=True, size=10), border, wrap
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for values in document_rows(document):
        sheet.append([neutralise(value) for value in values])
        row = sheet.max_row
        for cell in sheet[row]:
            cell.border, cell.alignment, cell.font = border, wrap, Font(size=10)
        fit_row_height(sheet, row, widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    print_on_a4_landscape(sheet, title_rows=f"{header_row}:{header_row}")

    data = workbook.create_sheet("データ")
    data.append(list(DATA_HEADER))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for values in data_rows(document):
        data.append([neutralise(value) for value in values])
    data.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
