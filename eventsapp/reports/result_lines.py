"""The computed lines of the yearly report's 実績 cells, worded as seed 001 words them.

Each event is written once per report: its lines go to one initiative — the one
the organizer marks as the event's main one (Event.main_initiative_id), else the first
linked in plan order — and every other initiative linked to it gets one reference line,
「介護と医療をつむぐ会（第1回～第4回）は「在宅・病院・施設…」の欄を参照」. The unit is an event
*in a series*: the joint つむぐ会 第2回 / 市民公開講座 is the つむぐ会's 第2回 in the つむぐ会's
block and the lecture in the lecture's row, each with the new share of its own series.

How a series' events are written is the series' own setting (catalog/models.py): which survey
indicators follow the event line (professionals: 満足度 and the two collaboration items;
citizens: 満足度 and 人生会議の重要性を…; committees none), whether the new share is written,
and who took part (「45名参加」, 「委員6名参加 議題:…」).
"""
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask_babel import force_locale

from ..dates import format_schedule

REFERENCE_PLAN_CHARS = 30  # how much of the referred initiative's 計画 a reference line quotes
COMMITTEE_LABEL = "委員"


@dataclass(frozen=True)
class SeriesStyle:
    """What the report needs of a series: its name and how its events are written."""

    name: str
    indicators: tuple[str, ...] = ("satisfaction", "collaboration", "applicability")
    new_share: bool = True
    participant_label: str = "参加者"

    @property
    def committee(self) -> bool:
        return self.participant_label == COMMITTEE_LABEL


@dataclass(frozen=True)
class EventSettings:
    """What the report needs of an event beyond its summary."""

    joint_label: str = "合同開催"
    main_initiative_id: int | None = None


@dataclass(frozen=True)
class PlanLine:
    """An initiative as the writer sees it: where it stands and which events it links."""

    id: int
    plan: str
    event_ids: tuple[int, ...]


class ResultWriter:
    """Words the 実績 lines of a whole year's initiatives from the engine's numbers.

    `report` is reports/summary.py's fiscal_year_report; `scoped` its series_summaries
    (each event in each of its series); `styles` SeriesStyle by series id; `events`
    EventSettings by event id; `names` the indicators' names (surveys/indicators.py)."""

    def __init__(self, report: dict, *, scoped: dict, styles: dict, events: dict, names: dict):
        self.summaries = {row["event_id"]: row for row in report["events"]}
        self.by_series = {row["series_id"]: row for row in report["by_series"]}
        self.scoped, self.styles, self.events, self.names = scoped, styles, events, names
        # Each series' events of the year in date order (the report's order): the 第N回
        # numbering, and the "whole series" test for using the engine's pooled row.
        self.series_events: dict[int, list[int]] = defaultdict(list)
        for row in report["events"]:
            for series_id in self.series_of(row["event_id"]):
                self.series_events[series_id].append(row["event_id"])

    # --- where each event is written ---------------------------------------------------

    def write(self, lines: list[PlanLine]) -> dict[int, list[str]]:
        """The computed lines of every initiative (given in plan order), by id."""
        groups = {line.id: self.group_by_series([e for e in line.event_ids if e in self.summaries])
                  for line in lines}
        seen: dict[tuple[int, int], list[int]] = defaultdict(list)
        for line in lines:
            for series_id, ids in groups[line.id]:
                for event_id in ids:
                    seen[(event_id, series_id)].append(line.id)
        home = {}
        for (event_id, series_id), places in seen.items():
            main = self.events.get(event_id, EventSettings()).main_initiative_id
            home[(event_id, series_id)] = main if main in places else places[0]
        plans = {line.id: line.plan for line in lines}
        return {line.id: self.cell(line.id, groups[line.id], home, plans) for line in lines}

    def cell(self, initiative_id: int, groups, home: dict, plans: dict) -> list[str]:
        owned = [(s, [e for e in ids if home[(e, s)] == initiative_id]) for s, ids in groups]
        with_heading = sum(1 for _, ids in owned if ids) > 1
        lines = []
        for (series_id, ids), (_, own) in zip(groups, owned, strict=True):
            if own:
                lines += self.block(series_id, own, heading=with_heading or len(own) > 1)
            elsewhere: dict[int, list[int]] = defaultdict(list)
            for event_id in ids:
                if home[(event_id, series_id)] != initiative_id:
                    elsewhere[home[(event_id, series_id)]].append(event_id)
            for other, refs in elsewhere.items():
                lines.append(self.reference(series_id, refs, plans[other]))
        return lines

    def series_of(self, event_id: int) -> list[int]:
        """The event's series ids, primary first."""
        row = self.summaries[event_id]
        return [row["series_id"], *(s for s in row["joint_series_ids"] if s != row["series_id"])]

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

    # --- the words ---------------------------------------------------------------------

    def style(self, series_id: int) -> SeriesStyle:
        return self.styles.get(series_id) or SeriesStyle(name=self.by_series[series_id]["name"])

    def block(self, series_id: int, ids: list[int], *, heading: bool) -> list[str]:
        lines = [self.heading(series_id, ids)] if heading else []
        for event_id in ids:
            lines.append(self.event_line(series_id, event_id))
            details = self.rates_text(self.summary(event_id, series_id), self.style(series_id))
            if details:
                lines.append("　" + details)
        return lines

    def summary(self, event_id: int, series_id: int) -> dict:
        """The event's numbers in that series' scope (its new share), else its primary one."""
        return self.scoped.get((event_id, series_id)) or self.summaries[event_id]

    def heading(self, series_id: int, ids: list[int]) -> str:
        text = f"{self.style(series_id).name}の開催"
        if len(ids) > 1:
            # 延べ人数: each event's attendees added up (docs/architecture.md, *Pooling*)
            total = sum(self.summaries[i]["attended"]["total"] for i in ids)
            text += f":{len(ids)}回 延べ{total}名"
            if sorted(ids) == sorted(self.series_events[series_id]):
                details = self.rates_text(self.by_series[series_id], self.style(series_id))  # pooled by the engine
                if details:
                    text += " " + details
        return text

    def number(self, series_id: int, event_id: int) -> str:
        """第2回 when the series holds more than one event that year, else nothing."""
        siblings = self.series_events[series_id]
        return f"第{siblings.index(event_id) + 1}回" if len(siblings) > 1 else ""

    def event_line(self, series_id: int, event_id: int) -> str:
        summary, style = self.summaries[event_id], self.style(series_id)
        text = self.number(series_id, event_id)
        if summary["area"]:
            text += f"({summary['area']})"
        if text:
            text += ":"
        text += f"{format_schedule(summary['starts_at'], summary['ends_at'])} {attendance_text(summary['attended'], style)}"
        text += f" 議題:{summary['title']}" if style.committee else f" 「{summary['title']}」"
        others = [self.number(s, event_id) + self.style(s).name for s in self.series_of(event_id) if s != series_id]
        if others:
            text += f"({'・'.join(others)}と{self.events.get(event_id, EventSettings()).joint_label})"
        return text

    def reference(self, series_id: int, ids: list[int], plan: str) -> str:
        """「介護と医療をつむぐ会（第1回～第4回）は「…」の欄を参照」: events written elsewhere."""
        numbers = [self.number(series_id, event_id) for event_id in ids]
        if len(ids) == 1:
            summary = self.summaries[ids[0]]
            which = f"{numbers[0]}「{summary['title']}」" if numbers[0] else format_schedule(
                summary["starts_at"], summary["ends_at"])
        else:
            which = number_range(numbers)
        quoted = plan.splitlines()[0] if plan else ""
        if len(quoted) > REFERENCE_PLAN_CHARS:
            quoted = quoted[:REFERENCE_PLAN_CHARS] + "…"
        return f"{self.style(series_id).name}（{which}）は「{quoted}」の欄を参照"

    def rates_text(self, summary: dict, style: SeriesStyle) -> str:
        """新規参加者 13名(28.9%) 満足度 95.2%(40/42) …: the series' own items that have data."""
        parts = []
        new = (summary.get("new_participants") or {}).get("series")
        if style.new_share and new and new.get("pct") is not None:
            parts.append(f"新規参加者 {new['n']}名({percent(new['pct'])})")
        rates = summary.get("indicators") or {}
        for key in style.indicators:
            value = rates.get(key)
            if value and value.get("d"):
                with force_locale("ja"):  # the 実績 is the city's Japanese text on every screen
                    phrase = str(self.names.get(key, key))
                parts.append(f"{phrase} {percent(value['pct'])}({value['n']}/{value['d']})")
        return " ".join(parts)


def number_range(numbers: list[str]) -> str:
    """第1回～第4回 for consecutive rounds, else 第1回・第3回."""
    digits = [int(n[1:-1]) for n in numbers if n]
    if len(digits) == len(numbers) and digits == list(range(digits[0], digits[0] + len(digits))):
        return f"{numbers[0]}～{numbers[-1]}"
    return "・".join(n for n in numbers if n)


def percent(pct: float | None) -> str:
    return "－" if pct is None else f"{pct:.1f}%"


def attendance_text(attended: dict, style: SeriesStyle) -> str:
    """45名参加, 委員6名参加, or with on-demand viewers 82名参加(65名(参集)+17名(録画視聴申込))."""
    prefix = style.participant_label if style.committee else ""
    if attended.get("on_demand"):
        return (f"{prefix}{attended['total']}名参加({attended['in_person']}名(参集)"
                f"+{attended['on_demand']}名(録画視聴申込))")
    return f"{prefix}{attended['total']}名参加"
