"""The attendance list as a file (docs/architecture.md, *CSV formats*): its columns, and the
XLSX laid out for printing — the event's title, date and venue above the table, A4 landscape,
one page wide, the header repeated on every page, each row as tall as its wrapped text."""
import io
from collections.abc import Sequence

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..catalog.models import Event
from ..checkin.labels import METHOD
from ..dates import format_schedule, to_tokyo
from ..exports import LINE_HEIGHT, ROW_PADDING, fit_row_height, neutralise, print_on_a4_landscape, wrapped_lines
from ..registration.roster import CHANNEL_LABEL, MODE_LABEL, STATUS_LABEL
from .labels import WALK_IN_MARK
from .listing import RosterEntry

# The first eleven columns are the list's original ones, in their order; the three of the door
# are appended, so that programs reading the older file by position still read it.
ROSTER_HEADER = ("受付番号", "氏名", "ふりがな", "職種", "所属", "メールアドレス", "電話番号", "参加形態", "状態", "経路",
                 "申込日時", "受付時刻", "受付方法", "当日参加")
# Printed widths in character units (a full-width character takes two), column by column.
WIDTHS = (7, 14, 16, 12, 20, 24, 13, 9, 9, 9, 11, 11, 7, 7)
TIME_FORMAT = "%Y-%m-%d %H:%M"
TABLE_ROW = 5  # the header's row: title, date and venue above it, then an empty row
BODY_SIZE = 11  # points: openpyxl's default font size


def moment(value) -> str:
    return to_tokyo(value).strftime(TIME_FORMAT) if value else ""


def roster_rows(entries: Sequence[RosterEntry]) -> list[tuple]:
    """One row per registration, in ROSTER_HEADER's order. Labels are written in Japanese
    whatever the organizer's screen language: the file is the city's record."""
    rows = []
    with force_locale("ja"):
        for entry in entries:
            registration, person = entry.registration, entry.person
            method = entry.check_in_method
            rows.append((
                registration.id, person.display_name, person.display_kana, entry.profession, entry.organization,
                person.email, person.phone, MODE_LABEL[registration.mode], STATUS_LABEL[registration.status],
                CHANNEL_LABEL.get(registration.channel, ""), moment(registration.created_at),
                moment(entry.checked_in_at), str(METHOD[method]) if method else "",
                WALK_IN_MARK if entry.walk_in else "",
            ))
    return rows


def roster_xlsx(event: Event, rows: Sequence[Sequence]) -> bytes:
    """The attendance list of one event as a printable sheet (formula guard on every cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "参加者名簿"
    last = get_column_letter(len(ROSTER_HEADER))
    heading = (event.title, format_schedule(event.starts_at, event.ends_at), f"会場：{event.venue}" if event.venue else "")
    for row, (text, size) in enumerate(zip(heading, (14, 11, 11), strict=True), start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")  # one cell as wide as the table: wraps, never runs off
        cell = sheet.cell(row=row, column=1, value=neutralise(text))
        cell.font, cell.alignment = Font(bold=row == 1, size=size), Alignment(wrap_text=True, vertical="top")
        scale = size / BODY_SIZE  # a larger font: fewer characters a line, taller lines
        sheet.row_dimensions[row].height = wrapped_lines(text, sum(WIDTHS) / scale) * LINE_HEIGHT * scale + ROW_PADDING

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, values in enumerate([ROSTER_HEADER, *rows], start=TABLE_ROW):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=neutralise(value))
            cell.border, cell.alignment = border, wrap
            if row == TABLE_ROW:
                cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
        fit_row_height(sheet, row, WIDTHS)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{TABLE_ROW + 1}"
    print_on_a4_landscape(sheet, title_rows=f"{TABLE_ROW}:{TABLE_ROW}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
