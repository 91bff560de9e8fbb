"""Summaries laid out as spreadsheet tables (header + rows) for the CSV and XLSX exports.

Every rate is written as three cells, n, d and %, so a reader can check the arithmetic;
the layout is shared by the `report fiscal-year` command and the event summary page."""
from ..dates import format_schedule
from ..surveys.defaults import INDICATOR_LABELS

KNOWN_ORDER = tuple(INDICATOR_LABELS)
ROW_KINDS = {"event": "イベント", "series": "シリーズ計", "goal": "中期目標計", "scene": "場面計", "total": "合計"}

COUNT_COLUMNS = (
    ("申込（参集）", ("registered", "in_person")),
    ("申込（オンデマンド）", ("registered", "on_demand")),
    ("申込計", ("registered", "total")),
    ("キャンセル待ち", ("waitlisted",)),
    ("キャンセル", ("cancelled",)),
    ("参加（参集）", ("attended", "in_person")),
    ("うち当日参加", ("attended", "walk_in")),
    ("参加（オンデマンド）", ("attended", "on_demand")),
    ("視聴者（オンデマンド）", ("on_demand_views", "viewers")),
    ("視聴回数（オンデマンド）", ("on_demand_views", "views")),
    ("参加計", ("attended", "total")),
)
RATE_COLUMNS = (
    ("出席率", ("attendance_rate",)),
    ("新規参加者（シリーズ）", ("new_participants", "series")),
    ("新規参加者（事業全体）", ("new_participants", "programme")),
    ("新規の所属機関", ("new_organizations",)),
    ("アンケート回収率", ("responses",)),
)


def indicator_keys(summaries) -> list[str]:
    """The indicator keys of several summaries: the city's items first, then the others."""
    keys = {key for summary in summaries for key in summary["indicators"]}
    return [k for k in KNOWN_ORDER if k in keys] + sorted(keys - set(KNOWN_ORDER))


def _dig(summary: dict, path: tuple[str, ...]):
    for part in path:
        summary = summary[part]
    return summary


def rate_header(label: str) -> list[str]:
    return [f"{label}（分子）", f"{label}（分母）", f"{label}（%）"]


def rate_cells(rate: dict | None) -> list:
    rate = rate or {"n": 0, "d": 0, "pct": None}
    return [rate["n"], rate["d"], rate["pct"]]


def numbers_header(keys: list[str], names: dict[str, str]) -> list[str]:
    header = [label for label, _ in COUNT_COLUMNS]
    for label, _ in RATE_COLUMNS:
        header += rate_header(label)
    for key in keys:
        header += rate_header(names.get(key, key))
    return header


def numbers_cells(summary: dict, keys: list[str]) -> list:
    cells = [_dig(summary, path) for _, path in COUNT_COLUMNS]
    for _, path in RATE_COLUMNS:
        cells += rate_cells(_dig(summary, path))
    for key in keys:
        cells += rate_cells(summary["indicators"].get(key))
    return cells


def fiscal_year_table(report: dict, names: dict[str, str] = INDICATOR_LABELS) -> tuple[list[str], list[list]]:
    """One row per event, then the pooled rows by series, goal and scene, and the total.
    Goals and scenes are written by their names (the report's own rows), indicators by
    `names` (surveys/indicators.py indicator_names)."""
    keys = indicator_keys([*report["events"], report["total"]])
    header = ["区分", "名称", "開催日時", "シリーズ", "中期目標", "場面", "圏域", "開催数", "実人数",
              *numbers_header(keys, names)]
    goal_names = {row["code"]: row["label"] for row in report["by_goal"]}
    scene_names = {row["code"]: row["label"] for row in report["by_scene"]}
    rows = [
        [ROW_KINDS["event"], event["title"], format_schedule(event["starts_at"], event["ends_at"]), event["series"],
         "・".join(goal_names.get(code, code) for code in event["goals"]),
         "・".join(scene_names.get(code, code) for code in event["scenes"]), event["area"] or "", 1, None,
         *numbers_cells(event, keys)]
        for event in report["events"]
    ]
    pooled = [("series", row["name"], row) for row in report["by_series"]]
    pooled += [("goal", row["label"], row) for row in report["by_goal"]]
    pooled += [("scene", row["label"], row) for row in report["by_scene"]]
    pooled.append(("total", report["label"], report["total"]))
    for kind, name, row in pooled:
        rows.append([ROW_KINDS[kind], name, "", "", "", "", "", row["events"], row["distinct_persons"],
                     *numbers_cells(row, keys)])
    return header, rows


SUMMARY_TABLE_HEADER = ["項目", "人数・分子", "分母", "%"]


def event_summary_table(summary: dict, breakdowns: dict[str, list[tuple[str, int]]],
                        names: dict[str, str] = INDICATOR_LABELS) -> list[list]:
    """The event summary page as a two-dimensional sheet: one line per number (a rate
    with its n, d and %), then the attendee breakdowns (職種, 所属機関の種別, 申込経路).
    The event itself is described by catalog/service.py event_block, above the table."""
    rows = [[label, _dig(summary, path), None, None] for label, path in COUNT_COLUMNS]
    rows += [[label, *rate_cells(_dig(summary, path))] for label, path in RATE_COLUMNS]
    rows += [[names.get(key, key), *rate_cells(rate)] for key, rate in summary["indicators"].items()]
    for title, counts in breakdowns.items():
        rows += [[f"{title}：{name or '未記入'}", count, None, None] for name, count in counts]
    return rows
