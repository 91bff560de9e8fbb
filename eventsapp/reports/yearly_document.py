"""The yearly report as one document in every form: the page, its print, CSV,
XLSX, the JSON of GET /api/v1/reports/yearly/{year} and `flask report yearly`. Each form is
made from yearly_document(), so all of them hold the same front matter and the same rows."""
from flask import current_app
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..dates import fiscal_year_label
from ..exports import csv_bytes
from .front_matter import front_matter, front_matter_lines
from .yearly import SceneBlock, table_header, yearly_table

ROW_KEYS = ("scene", "goal", "target", "initiative_id", "plan", "result")


def municipality() -> str:
    return current_app.config.get("MUNICIPALITY_NAME", "") or ""


def yearly_document(session: Session, year: int, *, blocks: list[SceneBlock] | None = None) -> dict:
    """{fiscal_year, label, front_matter, rows: [{scene, goal, target, initiative_id, plan,
    result}]}, `result` being the whole 実績 cell in printed order. `blocks` may be given
    when the caller already built the table."""
    blocks = yearly_table(session, year) if blocks is None else blocks
    return {
        "fiscal_year": year,
        "label": fiscal_year_label(year),
        "front_matter": front_matter(session, year, municipality=municipality()),
        "rows": [
            {"scene": block.label, "goal": goal.label, "target": row.target, "initiative_id": row.id,
             "plan": row.plan, "result": row.result_text}
            for block in blocks for goal in block.goals for row in goal.initiatives
        ],
    }


def document_rows(document: dict) -> list[list[str]]:
    """The table's rows as cells: 場面, 中期目標, 対象, 計画, 実績 (scene and goal on every row)."""
    return [[row["scene"], row["goal"], row["target"], row["plan"], row["result"]] for row in document["rows"]]


def document_csv(document: dict) -> bytes:
    """The title, the front matter lines and a blank line (when there is front matter), then
    the table, as the XLSX lays them out (exports.py: BOM, CRLF, formula guard)."""
    matter = document["front_matter"]
    lines = [list(line) for line in front_matter_lines(matter)]
    if lines:
        lines.append([])
    return csv_bytes([matter["title"]], [*lines, table_header(document["fiscal_year"]), *document_rows(document)])


def log_export(session: Session, *, year: int, user: User, format: str, rows: int) -> None:
    """The yearly document left the system as a file: it is the city's official record, so
    every export is logged; commits."""
    record(session, "export_report", user=user, target=f"fiscal_year:{year}", format=format, rows=rows)
    session.commit()
