"""Every download names its file through exports.send_download (Flask's send_file): the
names stay those people already have, and no module writes Content-Disposition by hand."""
import ast
from pathlib import Path

from werkzeug.http import parse_options_header

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register

PACKAGE = Path(__file__).resolve().parent.parent / "eventsapp"


def saved_as(response) -> tuple[str, str]:
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    return kind, options["filename"]


def test_no_module_writes_the_header_by_hand():
    typed = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and (node.value == "Content-Disposition" or node.value.startswith("attachment;"))]
    assert typed == []


def test_downloads_keep_their_file_names_and_bodies(client, login, make_event):
    event = make_event()
    person = PersonFields(family_name="保存", given_name="花子", family_kana="ほぞん", given_kana="はなこ",
                          email="hozon@example.jp")
    registration = register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                            source=RegistrationSource.STAFF).registration
    ics = client.get(f"/events/{event.id}/calendar.ics")
    assert saved_as(ics) == ("attachment", f"event-{event.id}.ics")
    assert ics.mimetype == "text/calendar" and ics.data.startswith(b"BEGIN:VCALENDAR")
    assert saved_as(client.get("/calendar.ics")) == ("attachment", "events.ics")
    organizer = login(Role.ORGANIZER)
    roster = organizer.get(f"/admin/events/{event.id}/registrations.csv")
    assert saved_as(roster) == ("attachment", f"attendance-{event.id}.csv")
    assert roster.data.startswith("\ufeff受付番号,".encode())
    exported = organizer.get(f"/admin/people/{registration.person_id}/export.json")
    assert saved_as(exported) == ("attachment", f"person-{registration.person_id}.json")
    assert exported.mimetype == "application/json" and exported.get_json()["person"]["email"] == "hozon@example.jp"
