"""The yearly report's front matter (seed 001's top): 位置づけ, 対象, 理念, 長期目標 and the
中期目標 with their definitions, kept per fiscal year and edited by organizers. The title
carries the municipality (FLASK_MUNICIPALITY_NAME)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Goal
from ..dates import fiscal_year_label
from .models import FrontMatter

TEXT_FIELDS = ("positioning", "target", "philosophy", "long_term_goal")
# How the document names each part, in the city's order (seed 001).
FIELD_NAMES = {"positioning": "位置づけ", "target": "対象", "philosophy": "理念", "long_term_goal": "長期目標"}
GOALS_NAME = "中期目標"
MAX_TEXT = 2000


class FrontMatterError(ValueError):
    """A part too long to print; `field` names it."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def report_title(year: int, municipality: str) -> str:
    """令和7年度 流山市在宅医療介護連携推進事業実績報告 (no municipality set: without it)."""
    return f"{fiscal_year_label(year)} {municipality.strip()}在宅医療介護連携推進事業実績報告"


def front_matter(session: Session, year: int, *, municipality: str) -> dict:
    """The year's front matter as every form of the document carries it: the title, the four
    texts ("" where none is kept) and every 中期目標 with its label and that year's definition."""
    row = session.get(FrontMatter, year)
    definitions = (row.goal_definitions if row else None) or {}
    goals = session.execute(select(Goal.code, Goal.label).order_by(Goal.position, Goal.id)).all()
    return {
        "title": report_title(year, municipality),
        **{name: (getattr(row, name) if row else "") or "" for name in TEXT_FIELDS},
        "goals": [{"code": code, "label": label, "definition": definitions.get(code, "")} for code, label in goals],
    }


def front_matter_lines(matter: dict) -> list[tuple[str, str, str]]:
    """The front matter as (heading, label, text) lines, for sheets and print: only the parts
    that hold text, the goals under one 中期目標 heading."""
    lines = [(FIELD_NAMES[name], "", matter[name]) for name in TEXT_FIELDS if matter[name]]
    goals = [goal for goal in matter["goals"] if goal["definition"]]
    lines += [(GOALS_NAME if index == 0 else "", goal["label"], goal["definition"]) for index, goal in enumerate(goals)]
    return lines


def save_front_matter(session: Session, year: int, *, texts: dict[str, str], definitions: dict[str, str]) -> FrontMatter:
    """Store the year's front matter (texts by TEXT_FIELDS name, definitions by goal code;
    unknown goal codes are dropped). Commits. Raises FrontMatterError for a part longer than
    MAX_TEXT characters."""
    for name in TEXT_FIELDS:
        if len(texts.get(name, "").strip()) > MAX_TEXT:
            raise FrontMatterError(name)
    for code, text in definitions.items():
        if len(text.strip()) > MAX_TEXT:
            raise FrontMatterError(f"goal-{code}")
    codes = set(session.scalars(select(Goal.code)))
    row = session.get(FrontMatter, year) or FrontMatter(fiscal_year=year)
    for name in TEXT_FIELDS:
        setattr(row, name, texts.get(name, "").strip())
    row.goal_definitions = {code: text.strip() for code, text in definitions.items() if code in codes and text.strip()}
    session.add(row)
    session.commit()
    return row
