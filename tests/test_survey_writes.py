"""The survey screens write only through services: the templates made on first view, an
import and a response export are committed (with their audit row) by surveys' own functions."""
import ast
import io
from pathlib import Path

import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.extensions import db
from eventsapp.surveys.models import Response, ResponseSource, Survey
from eventsapp.surveys.service import submit_response

VIEWS = [Path(__file__).resolve().parent.parent / "eventsapp" / "surveys" / name
         for name in ("admin.py", "staff.py", "views.py")]


def test_survey_views_neither_commit_nor_add():
    writes = [f"{path.name}:{node.lineno} {node.func.attr}" for path in VIEWS
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("commit", "add", "add_all", "delete")]
    assert writes == []


def audit(action: str) -> list[tuple[str, dict]]:
    return [(row.target, row.detail) for row in db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action))]


def test_the_templates_screen_makes_and_keeps_the_templates(client, login, make_event):
    make_event()  # one series
    login(Role.ORGANIZER)
    assert client.get("/admin/surveys").status_code == 200
    db.session.rollback()
    # two audience defaults and the series' template, committed by the service
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey).where(Survey.event_id.is_(None))) == 3


def test_an_import_and_a_response_export_are_logged(client, login, make_event):
    event = make_event()
    submit_response(db.session, event_id=event.id, answers={"satisfaction": "satisfied"}, source=ResponseSource.PAPER)
    login(Role.ORGANIZER)
    url = f"/admin/events/{event.id}/survey/import"
    preview = client.post(url, data={"file": (io.BytesIO("satisfaction\r\n満足\r\n".encode()), "form.csv")},
                          content_type="multipart/form-data")
    carried = preview.text.split('name="data" value="')[1].split('"')[0]
    assert client.post(url, data={"data": carried, "action": "import"}).status_code == 302
    assert client.get(f"/admin/events/{event.id}/survey/responses.csv").status_code == 200
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2  # 1 paper + 1 imported
    assert audit("import_responses") == [(f"event:{event.id}", {"rows": 1})]
    assert audit("export_responses") == [(f"event:{event.id}", {"format": "csv", "rows": 2})]
