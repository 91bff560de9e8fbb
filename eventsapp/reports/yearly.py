"""The yearly report in the city's own table (seed 001; docs/architecture.md,
*The demo programme*): scene → goal → initiative, each initiative with its 対象, 計画 and a
実績 cell.

The 実績 cell is the organizer's prose (Initiative.result_note) followed by lines the system
writes from the initiative's linked events of that fiscal year, in the city's style:

    介護と医療をつむぐ会の開催:4回 延べ268名
    第1回:令和7年7月11日(金)18:30～20:20 45名参加 「ICTを活用した多職種連携について」
    　新規参加者 13名(28.9%) 満足度 95.2%(40/42) 気軽に連携できるようになった 80.0%(32/40)

Every number comes from the indicator engine (reports/summary.py), called once for the
whole year: this module only arranges and words them. The numbers are never stored, so an
edit of the prose can never leave a stale count behind.

The table's words are the city's official Japanese on purpose, not UI text run through
gettext: the report, its CSV headers and its XLSX read the same whatever language the
organizer's screen is in (and the builder needs no request, so a command can call it).
"""
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..catalog.models import Initiative
from ..dates import fiscal_year_label, format_schedule
from ..exports import neutralise
from ..surveys.defaults import indicator_label
from .summary import fiscal_year_report

INDICATOR_ORDER = ("satisfaction", "collaboration", "applicability")
NO_GOAL = "その他"


@dataclass
class InitiativeRow:
    id: int
    position: int
    target: str
    plan: str
    note: str
    computed: list[str]
    event_ids: list[int]

    @property
    def result_text(self) -> str:
        """The whole 実績 cell as exported: the prose first, then the computed lines."""
        return "\n".join(part for part in (self.note.strip(), "\n".join(self.computed)) if part)


@dataclass
class GoalRow:
    label: str
    codes: tuple[str, ...]
    initiatives: list[InitiativeRow] = field(default_factory=list)


@dataclass
class SceneBlock:
    code: str
    label: str
    goals: list[GoalRow] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(goal.initiatives) for goal in self.goals)


def yearly_table(session: Session, year: int) -> list[SceneBlock]:
    """The report table of one fiscal year: scene blocks (ordered as the plan first lists them)
    of goal rows (consecutive initiatives with the same goals, as the city groups them) of
    initiative rows. Queries: the engine's fiscal_year_report and the year's initiatives with
    their tags and links — the same count whatever the size of the year. Only events the
    report holds (held or planned in that year, neither draft nor cancelled) are written."""
    report = fiscal_year_report(session, year)
    initiatives = session.scalars(
        select(Initiative)
        .where(Initiative.fiscal_year == year)
        .options(selectinload(Initiative.scene), selectinload(Initiative.goals), selectinload(Initiative.events))
        .order_by(Initiative.position, Initiative.id)
    ).all()
    return arrange(initiatives, ResultWriter(report))


def arrange(initiatives, writer: "ResultWriter") -> list[SceneBlock]:
    """Group initiatives (already in plan order) into scene blocks and goal rows."""
    by_scene: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in initiatives:
        by_scene[initiative.scene_id].append(initiative)
    blocks = []
    for members in by_scene.values():  # dicts keep insertion order: first plan position wins
        scene = members[0].scene
        block = SceneBlock(code=scene.code, label=scene.label)
        for codes, group in groupby(members, key=lambda i: tuple(g.code for g in i.goals)):
            group = list(group)
            label = "・".join(g.label for g in group[0].goals) or NO_GOAL
            block.goals.append(GoalRow(label=label, codes=codes, initiatives=[writer.row(i) for i in group]))
        blocks.append(block)
    return blocks


class ResultWriter:
    """Words the 実績 lines of initiatives from the engine's fiscal-year report."""

    def __init__(self, report: dict):
        self.summaries = {row["event_id"]: row for row in report["events"]}
        self.by_series = {row["series_id"]: row for row in report["by_series"]}
        # Each series' events of the year in date order (the report's order): the 第N回
        # numbering, and the "whole series" test for using the engine's pooled row.
        self.series_events: dict[int, list[int]] = defaultdict(list)
        for row in report["events"]:
            for series_id in self.series_of(row["event_id"]):
                self.series_events[series_id].append(row["event_id"])

    def series_of(self, event_id: int) -> list[int]:
        """The event's series ids, primary first."""
        row = self.summaries[event_id]
        return [row["series_id"], *(s for s in row["joint_series_ids"] if s != row["series_id"])]

    def series_name(self, series_id: int) -> str:
        return self.by_series[series_id]["name"]

    def row(self, initiative: Initiative) -> InitiativeRow:
        linked = [e.id for e in initiative.events if e.id in self.summaries]
        return InitiativeRow(
            id=initiative.id, position=initiative.position, target=initiative.target, plan=initiative.plan,
            note=initiative.result_note or "", computed=self.lines(linked), event_ids=linked,
        )

    def lines(self, event_ids: list[int]) -> list[str]:
        groups = self.group_by_series(event_ids)
        lines = []
        for series_id, ids in groups:
            if len(groups) > 1 or len(ids) > 1:
                lines.append(self.heading(series_id, ids))
            for event_id in ids:
                lines.append(self.event_line(series_id, event_id))
                details = self.rates_text(self.summaries[event_id])
                if details:
                    lines.append("　" + details)
        return lines

    def group_by_series(self, event_ids: list[int]) -> list[tuple[int, list[int]]]:
        """Each event under one of its series: the one most of the linked events share (the
        joint つむぐ会/市民公開講座 event linked with the other つむぐ会 is つむぐ会 第2回); on a
        tie the series with fewer events that year (linked alone to the 市民公開講座 line, it is
        the 市民公開講座 held jointly with つむぐ会, unnumbered, as the city writes it), then the
        primary series. Groups come in order of their first event."""
        shared = Counter(s for event_id in event_ids for s in self.series_of(event_id))
        groups: dict[int, list[int]] = {}
        for event_id in sorted(event_ids, key=lambda i: (self.summaries[i]["starts_at"], i)):
            # max() keeps the first of equals, and series_of lists the primary series first
            series_id = max(self.series_of(event_id), key=lambda s: (shared[s], -len(self.series_events[s])))
            groups.setdefault(series_id, []).append(event_id)
        return list(groups.items())

    def heading(self, series_id: int, ids: list[int]) -> str:
        text = f"{self.series_name(series_id)}の開催"
        if len(ids) > 1:
            # 延べ人数: each event's attendees added up (docs/architecture.md, *Pooling*)
            total = sum(self.summaries[i]["attended"]["total"] for i in ids)
            text += f":{len(ids)}回 延べ{total}名"
            if sorted(ids) == sorted(self.series_events[series_id]):
                details = self.rates_text(self.by_series[series_id])  # pooled by the engine
                if details:
                    text += " " + details
        return text

    def event_line(self, series_id: int, event_id: int) -> str:
        summary = self.summaries[event_id]
        text = ""
        siblings = self.series_events[series_id]
        if len(siblings) > 1:
            text += f"第{siblings.index(event_id) + 1}回"
        if summary["area"]:
            text += f"({summary['area']})"
        if text:
            text += ":"
        text += f"{format_schedule(summary['starts_at'], summary['ends_at'])} {attendance_text(summary['attended'])}"
        text += f" 「{summary['title']}」"
        others = [self.series_name(s) for s in self.series_of(event_id) if s != series_id]
        if others:
            text += f"({'・'.join(others)}と合同開催)"
        return text

    @staticmethod
    def rates_text(summary: dict) -> str:
        """新規参加者 13名(28.9%) 満足度 95.2%(40/42) …: only the parts that have data."""
        parts = []
        new = (summary.get("new_participants") or {}).get("series")
        if new and new.get("pct") is not None:
            parts.append(f"新規参加者 {new['n']}名({percent(new['pct'])})")
        rates = summary.get("indicators") or {}
        keys = [k for k in INDICATOR_ORDER if k in rates] + sorted(k for k in rates if k not in INDICATOR_ORDER)
        for key in keys:
            value = rates[key]
            if value.get("d"):
                with force_locale("ja"):  # the 実績 is the city's Japanese text on every screen
                    phrase = str(indicator_label(key))
                parts.append(f"{phrase} {percent(value['pct'])}({value['n']}/{value['d']})")
        return " ".join(parts)


def percent(pct: float | None) -> str:
    return "－" if pct is None else f"{pct:.1f}%"


def attendance_text(attended: dict) -> str:
    """45名参加, or with on-demand viewers 82名参加(65名(参集)+17名(録画視聴申込)) as the city writes it."""
    if attended.get("on_demand"):
        return f"{attended['total']}名参加({attended['in_person']}名(参集)+{attended['on_demand']}名(録画視聴申込))"
    return f"{attended['total']}名参加"


def table_header(year: int) -> list[str]:
    label = fiscal_year_label(year)
    return ["場面", "中期目標", "対象", f"{label}計画", f"{label}実績"]


def table_rows(blocks: list[SceneBlock]) -> list[list[str]]:
    """One flat row per initiative, scene and goal repeated, for CSV and XLSX."""
    return [
        [block.label, goal.label, row.target, row.plan, row.result_text]
        for block in blocks
        for goal in block.goals
        for row in goal.initiatives
    ]


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
