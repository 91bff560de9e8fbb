"""No raw code on any screen or export: every staff page of the demo, in Japanese and English.

The test loads the demo as `flask demo` does, logs in as an admin and walks every GET route of
`app.url_map` (the JSON API and static files aside: codes are their contract), with the demo's
ids filled in. It fails when the visible text of a page, or a cell of a CSV/XLSX export, shows
a code of the app's enums (every Enum column of the models), a goal or scene code, or an
indicator key. The codes are read from the enums and tables themselves, so a new enum value or
a new route is walked without touching this file; a route with an argument the walk cannot
fill fails, asking for a value (`demo_values`).

Visible text is the text of the page without tags, attribute values, scripts, styles and
templates, without e-mail addresses and URLs (typed by people), and without elements marked
`translate="no"` (data that must not be translated, such as a login name like `admin`).
- Japanese pages: a code is found as a whole word anywhere (`in_person`, `registered`).
- English pages: English words such as "registered" or "new" are also prose ("Checked in /
  registered"), so a code is found when it is a whole text (a table cell, a badge), or anywhere
  when it holds an underscore (`in_person`), which no English word does. A code written into a
  template shows on the Japanese page anyway; the English walk catches labels left untranslated.
"""
import csv
import io
import re
from html.parser import HTMLParser
from itertools import chain

import openpyxl
import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role, User
from eventsapp.catalog.models import Event, Goal, Initiative, Scene, Series
from eventsapp.checkin.models import CheckIn
from eventsapp.evaluation.models import EvaluationIndicator
from eventsapp.extensions import db
from eventsapp.people.models import Organization
from eventsapp.registration.models import Registration
from eventsapp.surveys.defaults import INDICATOR_LABELS
from eventsapp.surveys.models import Question, Response, Survey, SurveyInvitation
from tests_support import logged_in_client

pytestmark = pytest.mark.slow  # loads the whole demo and renders a few hundred pages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIPPED_ENDPOINTS = {"static"}
HIDDEN_TAGS = {"script", "style", "template"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
DATA_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+")
WORD = re.compile(r"[A-Za-z0-9_-]+")  # a hyphen joins: "e-mail" and "walk-in" are not "mail" and "in"


# --- what counts as a code -------------------------------------------------------------------

def app_codes() -> dict[str, str]:
    """Every code people must not see, with where it comes from: the values of every Enum column
    of the models, the goal and scene codes, and the indicator keys of the surveys."""
    codes: dict[str, str] = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            enum_class = getattr(column.type, "enum_class", None)
            for member in enum_class or ():
                codes.setdefault(member.value, f"{enum_class.__name__}.{member.name}")
    for model in (Goal, Scene):
        for code in db.session.scalars(sa.select(model.code)):
            codes.setdefault(code, f"{model.__name__} {code}")
    keys = set(db.session.scalars(sa.select(Question.indicator).where(Question.indicator.is_not(None))))
    for key in keys | set(INDICATOR_LABELS):
        codes.setdefault(key, f"indicator key {key}")
    return codes


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, no attribute values, nothing inside script, style,
    template or an element marked translate="no". Each text node is kept apart (a cell)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden: list[str] = []  # open tags whose content is not shown
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        if self.hidden or tag in HIDDEN_TAGS or dict(attrs).get("translate") == "no":
            self.hidden.append(tag)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.cells.append(data)


def raw_codes_in(cells: list[str], *, lang: str, codes: dict[str, str]) -> list[tuple[str, str]]:
    """(code, the cell it is in) for every code shown; see the module docstring for the rules."""
    found = []
    for cell in cells:
        text = DATA_IN_TEXT.sub(" ", str(cell))
        words = WORD.findall(text)
        if lang == "ja":
            hits = [w for w in words if w in codes]
        else:
            hits = [w for w in words if "_" in w and w in codes] + [text.strip()] * (text.strip() in codes)
        found += [(code, " ".join(str(cell).split())[:120]) for code in dict.fromkeys(hits)]
    return found


def cells_of(response) -> list[str]:
    kind = response.mimetype
    if kind == "text/html":
        parser = VisibleText()
        parser.feed(response.text)
        return parser.cells
    if kind == "text/csv":
        return [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
    if kind == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
        return [str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                for value in row if value is not None]
    if kind == "text/calendar":
        return response.text.splitlines()
    return []  # JSON (the person's data export), JavaScript: machine formats, codes are their contract


# --- the demo's ids --------------------------------------------------------------------------

def covering(rows) -> list[int]:
    """Ids, few, whose features together cover every feature of all rows (greedy set cover):
    an event per registration status, mode, source, channel, check-in method, format…"""
    features: dict[int, set] = {}
    for row_id, *values in rows:
        features.setdefault(row_id, set()).update(
            (n, v) for n, v in enumerate(values) if v is not None)
    wanted, chosen = set().union(*features.values()), []
    while wanted:
        best = max(sorted(features), key=lambda i: len(features[i] & wanted))
        chosen.append(best)
        wanted -= features[best]
    return chosen


def registration_features():
    return (sa.select(Registration.event_id, Registration.status, Registration.mode, Registration.source,
                      Registration.channel, CheckIn.method, Event.format, Event.status, Series.audience,
                      Event.fiscal_year)
            .join(Event, Event.id == Registration.event_id).join(Series, Series.id == Event.series_id)
            .outerjoin(CheckIn, CheckIn.registration_id == Registration.id).distinct())


def first_ids(query, limit: int = 5) -> list:
    return list(db.session.scalars(query.limit(limit)))


def demo_values() -> dict[str, list]:
    """Values for each argument name of the routes, taken from the loaded demo."""
    session = db.session
    events = covering(session.execute(registration_features()).all())
    events += first_ids(sa.select(Event.id).where(~Event.id.in_(events)).order_by(Event.starts_at.desc()), 2)
    persons = covering(session.execute(
        registration_features().with_only_columns(Registration.person_id, Registration.status, Registration.mode,
                                                  Registration.source, CheckIn.method, Series.audience)
        .where(Registration.person_id.is_not(None))).all())
    registrations = covering(session.execute(registration_features().with_only_columns(
        Registration.id, Registration.status, Registration.mode, Registration.source)).all())
    event_surveys = first_ids(sa.select(Survey.id).where(Survey.event_id.in_(events)), 20)
    templates = list(session.scalars(sa.select(Survey.id).where(Survey.event_id.is_(None))))
    questions = covering(session.execute(
        sa.select(Question.id, Question.kind, Question.indicator).where(Question.survey_id.in_(event_surveys))).all())
    return {
        "event_id": events,
        "person_id": persons,
        "absorb_id": persons[1:] + persons[:1],
        "series_id": list(session.scalars(sa.select(Series.id))),
        "survey_id": templates + event_surveys,
        "question_id": questions,
        "response_id": covering(session.execute(sa.select(Response.id, Response.source)).all()),
        "initiative_id": covering(session.execute(sa.select(Initiative.id, Initiative.scene_id)).all()),
        "indicator_id": covering(session.execute(sa.select(EvaluationIndicator.id, EvaluationIndicator.measure,
                                                           EvaluationIndicator.interval_years)).all()),
        "organization_id": covering(session.execute(sa.select(Organization.id, Organization.type)).all())[:5],
        "year": sorted(set(session.scalars(sa.select(Event.fiscal_year)))),
        "manage_token": list(session.scalars(
            sa.select(Registration.manage_token).where(Registration.id.in_(registrations)))),
        "token": first_ids(sa.select(SurveyInvitation.token).join(Registration).where(
            Registration.event_id.in_(events)), 2),
        "code": first_ids(sa.select(Survey.venue_code).where(Survey.id.in_(event_surveys),
                                                             Survey.venue_code.is_not(None)), 2),
        "user_id": list(session.scalars(sa.select(User.id))),
        "registration_id": registrations[:3],  # the door's undo confirmation
    }


def walk_urls(app, values: dict[str, list]) -> list[str]:
    """Every GET route's URLs: each argument takes each of its values, the others their first."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.startswith("/api/"):
            continue
        arguments = sorted(rule.arguments - set(rule.defaults or {}))
        choices = {}
        for name in arguments:
            listed = re.search(rf"<any\(([^)]*)\):{name}>", rule.rule)  # <any(csv, xlsx):kind>
            choices[name] = [item.strip() for item in listed.group(1).split(",")] if listed else values.get(name)
            assert choices[name], f"the walk has no demo value for <{name}> of {rule.rule}: add it to demo_values()"
        first = {name: values[0] for name, values in choices.items()}
        combinations = [first] + [{**first, name: value} for name in arguments for value in choices[name][1:]]
        urls += [rule.build(args, append_unknown=False)[1] for args in combinations]
    return sorted(set(urls))


def test_no_page_or_export_of_the_demo_shows_a_raw_code(app, runner, make_user, tmp_path):
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    codes = app_codes()
    assert {"in_person", "registered", "walk_in", "qr", "satisfaction", "end_of_life", "reception"} <= set(codes)
    admin = logged_in_client(app, make_user, Role.ADMIN, username="walk-admin")
    values = demo_values()
    urls = walk_urls(app, values)
    shown, statuses = [], {}
    for lang in ("ja", "en"):  # one language at a time: a flashed message is in the language it was made in
        for url in urls:
            response = admin.get(url, query_string={"lang": lang})
            statuses[(url, lang)] = response.status_code
            assert response.status_code < 500, (url, lang)
            if response.status_code == 200:
                shown += [(url, lang, code, codes[code], cell)
                          for code, cell in raw_codes_in(cells_of(response), lang=lang, codes=codes)]
    assert sum(status == 200 for status in statuses.values()) > 200, statuses
    for year in values["year"]:  # the command's spreadsheet of the fiscal year (no screen makes it)
        target = tmp_path / f"fy{year}.csv"
        made = runner.invoke(args=["report", "fiscal-year", str(year), "--format", "csv", "--output", str(target)])
        assert made.exit_code == 0, made.output
        cells = [cell for row in csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))) for cell in row]
        shown += [(target.name, "ja", code, codes[code], cell) for code, cell in raw_codes_in(cells, lang="ja", codes=codes)]
    assert shown == [], "\n".join(chain.from_iterable([" ".join(map(str, hit))] for hit in shown))


# --- the checker itself ----------------------------------------------------------------------

CODES = {"in_person": "EventFormat", "registered": "RegistrationStatus", "new": "OutreachStatus",
         "mail": "Channel", "admin": "Role", "satisfaction": "indicator"}


def visible(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.cells


def test_the_checker_finds_codes_in_visible_text_only():
    html = ('<p>参加形態: registered / in_person</p><input value="in_person"><option value="mail">メール</option>'
            '<script>const s = "registered";</script><style>.new {}</style>'
            '<span translate="no">admin</span><p>demo.1@mail.example.jp https://x.jp/new e-mail</p>')
    assert raw_codes_in(visible(html), lang="ja", codes=CODES) == [
        ("registered", "参加形態: registered / in_person"), ("in_person", "参加形態: registered / in_person")]


def test_the_checker_tells_english_prose_from_a_code():
    prose = visible("<p>3 registered, 1 new participant</p><td>Satisfaction</td><p>Sent by e-mail</p>"
                    "<th>Checked in / registered</th>")
    assert raw_codes_in(prose, lang="en", codes=CODES) == []
    shown = visible("<td>registered</td><td> new </td><p>walk-ins and in_person people</p><td>satisfaction</td>")
    assert [code for code, _ in raw_codes_in(shown, lang="en", codes=CODES)] == [
        "registered", "new", "in_person", "satisfaction"]
