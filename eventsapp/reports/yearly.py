"""The yearly report in the city's own table (seed 001; docs/architecture.md,
*The demo programme*): scene → goal → initiative, each initiative with its 対象, 計画 and a
実績 cell.

The 実績 cell holds lines the system writes from the initiative's linked events of that
fiscal year (reports/result_lines.py: each event once, where the organizer put it, in the
city's words), then the organizer's prose (Initiative.result_note) — or the prose first,
when the organizer says so (Initiative.prose_first):

    介護と医療をつむぐ会の開催:4回 延べ268名
    第1回:令和7年7月11日(金)18:30～20:20 45名参加 「ICTを活用した多職種連携について」
    　新規参加者 13名(28.9%) 満足度 95.2%(40/42) 気軽に連携できるようになった 80.0%(32/40)

Every number comes from the indicator engine (reports/summary.py), called once for the
whole year: this module only arranges them. The numbers are never stored, so an edit of the
prose can never leave a stale count behind.

The table's words are the city's official Japanese on purpose, not UI text run through
gettext: the report, its CSV headers and its XLSX read the same whatever language the
organizer's screen is in (and the builder needs no request, so a command can call it).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..catalog.models import Initiative, Series
from ..dates import fiscal_year_label
from ..surveys.indicators import indicator_names
from .result_lines import EventSettings, PlanLine, ResultWriter, SeriesStyle
from .summary import fiscal_year_report, series_summaries

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
    prose_first: bool = False

    @property
    def parts(self) -> list[tuple[str, list[str]]]:
        """The cell's two parts in their printed order: ("computed", lines), ("note", lines)."""
        parts = [("computed", self.computed), ("note", self.note.strip().splitlines())]
        return [part for part in (parts[::-1] if self.prose_first else parts) if part[1]]

    @property
    def result_lines(self) -> list[str]:
        return [line for _, lines in self.parts for line in lines]

    @property
    def result_text(self) -> str:
        """The whole 実績 cell as exported, its lines in printed order."""
        return "\n".join(self.result_lines)


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
    initiative rows. Queries: the engine's fiscal_year_report and series_summaries, the
    year's initiatives with their tags and links, the series and the indicator names — the
    same count whatever the size of the year. Only events the report holds (held or planned
    in that year, neither draft nor cancelled) are written."""
    report = fiscal_year_report(session, year)
    initiatives = session.scalars(
        select(Initiative)
        .where(Initiative.fiscal_year == year)
        .options(selectinload(Initiative.scene), selectinload(Initiative.goals), selectinload(Initiative.events))
        .order_by(Initiative.position, Initiative.id)
    ).all()
    writer = year_writer(session, report, initiatives)
    computed = writer.write([PlanLine(i.id, i.plan, tuple(e.id for e in i.events)) for i in initiatives])
    return arrange(initiatives, computed)


def year_writer(session: Session, report: dict, initiatives) -> ResultWriter:
    """The writer of a year's cells: the report, each event in each of its series, how each
    series writes its events, the events' settings (from the initiatives' loaded links) and
    the indicators' names."""
    styles = {
        series.id: SeriesStyle(name=series.name, indicators=series.yearly_indicators,
                               new_share=series.report_new_share, participant_label=series.participant_label)
        for series in session.scalars(select(Series))
    }
    events = {
        event.id: EventSettings(joint_label=event.joint_label, main_initiative_id=event.main_initiative_id)
        for initiative in initiatives for event in initiative.events
    }
    scoped = series_summaries(session, [row["event_id"] for row in report["events"]])
    return ResultWriter(report, scoped=scoped, styles=styles, events=events, names=indicator_names(session))


def arrange(initiatives, computed: dict[int, list[str]]) -> list[SceneBlock]:
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
            block.goals.append(GoalRow(label=label, codes=codes, initiatives=[
                InitiativeRow(id=i.id, position=i.position, target=i.target, plan=i.plan, note=i.result_note or "",
                              computed=computed.get(i.id, []), event_ids=[e.id for e in i.events],
                              prose_first=i.prose_first)
                for i in group
            ]))
        blocks.append(block)
    return blocks


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


def initiative_row(session: Session, initiative: Initiative) -> InitiativeRow:
    """One initiative's row as the year's table writes it (its events are placed across the
    whole year, so the row cannot be written alone)."""
    for block in yearly_table(session, initiative.fiscal_year):
        for goal in block.goals:
            for row in goal.initiatives:
                if row.id == initiative.id:
                    return row
    raise LookupError(initiative.id)  # the initiative is of that year by construction
