"""A large synthetic programme for scale tests and benchmarks:
`flask --app eventsapp demo scale --persons 100000 --events 2000 --registrations 1000000`.

Deterministic for a seed (one random.Random): the same arguments on an empty database give
the same rows. Series are the demo's (data.SERIES, created through save_series so they
get their survey templates); everything else is bulk-inserted with Core executemany in
chunks, with explicit ids (max(id) + n), and the PostgreSQL sequences are moved past them
at the end. Values are the ones the services write: *_key columns through the identity
normalisers, each event's survey a copy of its series' template with its own venue code.
Tokens are unique but not secret (f"t{n:012d}" + random hex): this is throwaway data.

Shape: events spread over `years` fiscal years ending with FY2025, ~2 % cancelled; per
registration ~6 % cancelled, ~1 % waitlisted, ~5 % walk-ins, on-demand on hybrid and
on-demand events; ~75 % of all registrations checked in; ~60 % of attendees answer the
survey (80 % through their mailed link, which brings its invitation row, 20 % at the
venue), answering every indicator question (a few blanks).
"""
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..catalog.models import (
    Audience,
    Event,
    EventFormat,
    EventStatus,
    Series,
    event_goals,
    event_joint_series,
    event_scenes,
)
from ..catalog.service import save_series
from ..checkin.models import CheckIn, CheckInMethod
from ..dates import fiscal_year_of, tokyo_datetime
from ..people.identity import display_kana, normalize_email, normalize_kana, normalize_org_name
from ..people.models import Organization, Person
from ..registration.models import Channel, Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from ..surveys.editing import series_template
from ..surveys.models import Answer, Option, Question, Response, ResponseSource, Survey, SurveyInvitation
from . import data
from .participants import AREAS, FAMILY_NAMES, GIVEN_NAMES, ORGANIZATION_SPECS, PROFESSION_WEIGHTS

LAST_FISCAL_YEAR = 2025
CHUNK = 10_000
CITIZEN = "市民"
CITIZEN_SHARE = 0.2  # of persons
AGE_BANDS = ("40歳未満", "40代", "50代", "60代", "70代", "80歳以上")
FORMATS = ((EventFormat.IN_PERSON, 70), (EventFormat.HYBRID, 20), (EventFormat.ON_DEMAND, 5), (EventFormat.ONLINE, 5))
CHANNELS = list(Channel)
REFUSAL = "このデータベースにはすでに申込が {count} 件あります。追加する場合は --append を付けてください。"
TOO_MANY = "申込数 {registrations} 件は、参加者 {persons} 人 × 開催 {events} 回で作れる数を超えています。"


class ScaleDemoError(Exception):
    """A refused run, with a Japanese message for the command line."""


@dataclass
class Buffers:
    """Rows waiting for the next executemany, in foreign-key order."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: {name: [] for name in ORDER})

    def size(self) -> int:
        return len(self.tables["registrations"])


ORDER = ("registrations", "checkins", "survey_invitations", "responses", "answers")
TABLES = {"registrations": Registration.__table__, "checkins": CheckIn.__table__,
          "survey_invitations": SurveyInvitation.__table__, "responses": Response.__table__, "answers": Answer.__table__}
ID_TABLES = (Organization, Person, Event, Survey, Question, Option, Registration, CheckIn, SurveyInvitation,
             Response, Answer)


def next_ids(session: Session) -> dict[str, int]:
    """For each bulk table, the first id this run may use."""
    return {model.__tablename__: int(session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0)))) + 1
            for model in ID_TABLES}


def generate(session: Session, *, persons: int, events: int, registrations: int, years: int = 10,
             seed: int = 1, append: bool = False, chunk: int = CHUNK,
             echo: Callable[[str], None] = print) -> dict[str, int]:
    """Insert the synthetic programme and commit once; returns the rows created by table."""
    existing = session.scalar(sa.select(sa.func.count()).select_from(Registration))
    if existing and not append:
        raise ScaleDemoError(REFUSAL.format(count=existing))
    if min(persons, events, years) < 1 or registrations < 0:
        raise ScaleDemoError("参加者数・開催回数・年数は1以上にしてください。")
    if registrations > persons * events:
        raise ScaleDemoError(TOO_MANY.format(registrations=registrations, persons=persons, events=events))
    return _Generator(session, seed=seed, chunk=chunk, echo=echo).run(
        persons=persons, events=events, registrations=registrations, years=years)


class _Generator:
    def __init__(self, session: Session, *, seed: int, chunk: int, echo):
        self.session, self.rng, self.chunk, self.echo = session, random.Random(seed), chunk, echo
        self.conn = session.connection()
        self.ids: dict[str, int] = {}
        self.created = {name: 0 for name in (*(m.__tablename__ for m in ID_TABLES), "series")}
        self.buffers = Buffers()

    def take_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def insert(self, table: sa.Table, rows: list[dict]) -> None:
        for start in range(0, len(rows), self.chunk):
            self.conn.execute(table.insert(), rows[start:start + self.chunk])
        self.created[table.name] = self.created.get(table.name, 0) + len(rows)

    # --- the run ---------------------------------------------------------------------

    def run(self, *, persons: int, events: int, registrations: int, years: int) -> dict[str, int]:
        series = self.ensure_series()
        self.templates = {s.id: self.template_of(s) for s in series}
        self.session.flush()
        self.ids = next_ids(self.session)  # after the templates, which may add surveys
        organizations = self.organizations(max(10, persons // 40))
        self.persons(persons, organizations)
        plan = self.events(events, years, series)
        self.registrations(plan, registrations, persons)
        self.session.commit()
        if self.conn.dialect.name == "postgresql":
            with self.session.begin():
                for model in ID_TABLES:
                    name = model.__tablename__
                    self.session.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {name}))"))
        return {name: count for name, count in self.created.items() if count}

    def ensure_series(self) -> list[Series]:
        found = []
        for row in data.SERIES:
            series = self.session.scalar(sa.select(Series).where(Series.name == row["name"]))
            if series is None:
                series = save_series(self.session, name=row["name"], audience=Audience(row["audience"]),
                                     goals=row["goals"], scenes=row["scenes"], description=row["description"])
                self.created["series"] += 1
            found.append(series)
        self.conn = self.session.connection()  # save_series commits
        return found

    def organizations(self, count: int) -> list[tuple[int, str]]:
        """(id, type) of `count` offices of the demo's kinds, numbered after existing ones."""
        start = self.ids["organizations"]
        rows = []
        for n in range(count):
            kind, pattern, _ = self.rng.choice(ORGANIZATION_SPECS)
            name = pattern.format(f"第{start + n}")
            rows.append({"id": self.take_id("organizations"), "name": name, "name_key": normalize_org_name(name),
                         "type": kind, "opened_on": None, "created_at": tokyo_datetime(date(2015, 4, 1), time(9))})
        self.insert(Organization.__table__, rows)
        self.echo(f"scale: organizations {len(rows)}")
        return [(row["id"], row["type"]) for row in rows]

    def persons(self, count: int, organizations: list[tuple[int, str]]) -> None:
        professions = PROFESSION_WEIGHTS["default"]
        names, weights = list(professions), list(professions.values())
        created_at = tokyo_datetime(date(LAST_FISCAL_YEAR - 20, 4, 1), time(9))
        self.person_ids: list[int] = []
        self.citizen_from = count - round(count * CITIZEN_SHARE)  # persons[citizen_from:] are citizens
        rows = []
        for n in range(count):
            person_id = self.take_id("persons")
            (family, family_kana), (given, given_kana) = self.rng.choice(FAMILY_NAMES), self.rng.choice(GIVEN_NAMES)
            email = f"scale.{person_id}@example.jp"
            citizen = n >= self.citizen_from
            rows.append({
                "id": person_id, "family_name": family, "given_name": given,
                "family_kana": display_kana(family_kana), "given_kana": display_kana(given_kana),
                "kana_key": normalize_kana(family_kana + given_kana), "email": email,
                "email_key": normalize_email(email), "phone": "", "phone_key": "", "profession_other": "",
                "profession": CITIZEN if citizen else self.rng.choices(names, weights)[0],
                "organization_id": None if citizen else self.rng.choice(organizations)[0],
                "age_band": self.rng.choice(AGE_BANDS) if citizen else "",
                "residential_area": self.rng.choice(AREAS) if citizen else "",
                "created_at": created_at,
            })
            self.person_ids.append(person_id)
            if len(rows) == self.chunk:
                self.insert(Person.__table__, rows)
                self.echo(f"scale: persons {n + 1}/{count}")
                rows = []
        if rows:
            self.insert(Person.__table__, rows)
            self.echo(f"scale: persons {count}/{count}")

    # --- events and their surveys ----------------------------------------------------

    def events(self, count: int, years: int, series: list[Series]) -> list[dict]:
        first_year = LAST_FISCAL_YEAR - years + 1
        templates = self.templates
        weights = [4 if s.audience == Audience.PROFESSIONALS else 3 for s in series]
        plan = []
        for _ in range(count):
            s = self.rng.choices(series, weights)[0]
            year = first_year + self.rng.randrange(years)
            day = date(year, 4, 1) + timedelta(days=self.rng.randrange(365))
            citizens = s.audience == Audience.CITIZENS
            start, end = (time(13, 30), time(15, 30)) if citizens else (time(18, 30), time(20, 20))
            plan.append({"series": s, "starts_at": tokyo_datetime(day, start), "ends_at": tokyo_datetime(day, end),
                         "format": self.rng.choices([f for f, _ in FORMATS], [w for _, w in FORMATS])[0],
                         "cancelled": self.rng.random() < 0.02,
                         "joint": self.rng.choice(series) if self.rng.random() < 0.05 else None})
        plan.sort(key=lambda row: row["starts_at"])
        numbers: dict[int, int] = {}
        rows, goals, scenes, joints, surveys, questions, options = [], [], [], [], [], [], []
        for row in plan:
            s = row["series"]
            numbers[s.id] = numbers.get(s.id, 0) + 1
            row["id"] = event_id = self.take_id("events")
            rows.append({
                "id": event_id, "title": f"{s.name} 第{numbers[s.id]}回", "description": "", "series_id": s.id,
                "starts_at": row["starts_at"], "ends_at": row["ends_at"], "fiscal_year": fiscal_year_of(row["starts_at"]),
                "venue": "市役所 第1会議室", "area": self.rng.choice(AREAS), "format": row["format"],
                "capacity": None, "waitlist": True, "registration_opens_at": None, "registration_closes_at": None,
                "status": EventStatus.CANCELLED if row["cancelled"] else EventStatus.PUBLISHED,
                "created_at": row["starts_at"] - timedelta(days=60),
            })
            goals += [{"event_id": event_id, "goal_id": g.id} for g in s.goals]
            scenes += [{"event_id": event_id, "scene_id": sc.id} for sc in s.scenes]
            if row["joint"] is not None and row["joint"].id != s.id:
                joints.append({"event_id": event_id, "series_id": row["joint"].id})
            row["survey_id"] = survey_id = self.take_id("surveys")
            template = templates[s.id]
            surveys.append({"id": survey_id, "title": template["title"], "event_id": event_id, "series_id": None,
                            "audience": None, "closes_at": None, "created_at": rows[-1]["created_at"],
                            "venue_code": f"{self.rng.getrandbits(40):010x}{survey_id:x}"[:16]})
            row["survey"] = shape = {"indicators": []}
            for q in template["questions"]:
                question_id = self.take_id("questions")
                questions.append({"id": question_id, "survey_id": survey_id, **q["values"]})
                ids = []
                for o in q["options"]:
                    option_id = self.take_id("options")
                    options.append({"id": option_id, "question_id": question_id, **o})
                    ids.append((option_id, o["positive"]))
                if q["values"]["indicator"] is not None:
                    shape["indicators"].append((question_id, [i for i, p in ids if p], [i for i, p in ids if not p]))
        for table, batch in ((Event.__table__, rows), (event_goals, goals), (event_scenes, scenes),
                             (event_joint_series, joints), (Survey.__table__, surveys),
                             (Question.__table__, questions), (Option.__table__, options)):
            if batch:
                self.insert(table, batch)
        self.echo(f"scale: events {len(rows)}, surveys {len(surveys)}, questions {len(questions)}")
        return plan

    def template_of(self, series: Series) -> dict:
        template = series_template(self.session, series)
        return {"title": template.title, "questions": [
            {"values": {"key": q.key, "text": q.text, "kind": q.kind, "required": q.required,
                        "position": q.position, "indicator": q.indicator},
             "options": [{"code": o.code, "label": o.label, "positive": o.positive, "position": o.position}
                         for o in q.options]}
            for q in template.questions]}

    # --- registrations, check-ins, responses -----------------------------------------

    def split(self, total: int, plan: list[dict], persons: int) -> list[int]:
        """How many registrations each event gets: random weights, exact total, each event
        at most `persons` (one live registration per person and event)."""
        weights = [0.0 if row["cancelled"] else self.rng.lognormvariate(0, 0.6) for row in plan]
        if not any(weights):
            weights = [1.0] * len(plan)
        counts = [0] * len(plan)
        left = total
        while left:
            open_ones = [i for i, w in enumerate(weights) if w and counts[i] < persons]
            if not open_ones:
                open_ones = [i for i in range(len(plan)) if counts[i] < persons]
                for i in open_ones:
                    weights[i] = weights[i] or 1.0
            mass = sum(weights[i] for i in open_ones)
            shares = {i: left * weights[i] / mass for i in open_ones}
            given = 0
            for i in open_ones:
                add = min(int(shares[i]), persons - counts[i])
                counts[i] += add
                given += add
            left -= given
            if given == 0:  # fewer left than events: one each by largest share
                for i in sorted(open_ones, key=lambda i: -shares[i])[:left]:
                    counts[i] += 1
                left = 0
        return counts

    def attendees(self, k: int, persons: int, citizens: bool) -> list[int]:
        """k distinct person indexes, mostly of the event's audience, with a core of regulars."""
        citizen_from = self.citizen_from
        chosen: dict[int, None] = {}
        rng = self.rng
        tries = 0
        while len(chosen) < k:
            tries += 1
            if tries > 4 * k + 100:
                n = rng.randrange(persons)
            elif (rng.random() < 0.9) == citizens and citizen_from < persons:
                n = rng.randrange(citizen_from, persons)
            elif citizen_from > 0:
                regulars = max(1, citizen_from // 5)
                n = rng.randrange(regulars) if rng.random() < 0.4 else rng.randrange(citizen_from)
            else:
                n = rng.randrange(persons)
            chosen[n] = None
        return list(chosen)

    def registrations(self, plan: list[dict], total: int, persons: int) -> None:
        counts = self.split(total, plan, persons)
        done = 0
        for row, count in zip(plan, counts, strict=True):
            if count:
                self.event_rows(row, count, persons)
            done += count
            if self.buffers.size() >= self.chunk:
                self.flush()
                self.echo(f"scale: registrations {done}/{total}")
        if self.buffers.size():
            self.flush()
        self.echo(f"scale: registrations {done}/{total}")

    def flush(self) -> None:
        for name in ORDER:
            rows = self.buffers.tables[name]
            if rows:
                self.insert(TABLES[name], rows)
                rows.clear()

    def event_rows(self, row: dict, count: int, persons: int) -> None:
        rng, tables = self.rng, self.buffers.tables
        start, fmt = row["starts_at"], row["format"]
        citizens = row["series"].audience == Audience.CITIZENS
        on_demand_share = {EventFormat.ON_DEMAND: 1.0, EventFormat.HYBRID: 0.25}.get(fmt, 0.0)
        in_person_event = fmt != EventFormat.ON_DEMAND
        for n in self.attendees(count, persons, citizens):
            reg_id = self.take_id("registrations")
            roll = rng.random()
            on_demand = rng.random() < on_demand_share
            walk_in = in_person_event and not on_demand and roll < 0.05
            status = (RegistrationStatus.REGISTERED if walk_in or roll >= 0.12 else
                      RegistrationStatus.CANCELLED if roll < 0.11 else RegistrationStatus.WAITLISTED)
            source = (RegistrationSource.WALK_IN if walk_in else
                      RegistrationSource.STAFF if rng.random() < 0.03 else RegistrationSource.PUBLIC)
            created_at = start if walk_in else start - timedelta(days=rng.randint(1, 40), minutes=rng.randrange(600))
            tables["registrations"].append({
                "id": reg_id, "event_id": row["id"], "person_id": self.person_ids[n],
                "mode": RegistrationMode.ON_DEMAND if on_demand else RegistrationMode.IN_PERSON,
                "status": status, "source": source,
                "channel": rng.choice(CHANNELS) if source == RegistrationSource.PUBLIC else None,
                "ticket_token": f"t{reg_id:012d}{rng.getrandbits(64):016x}",
                "manage_token": f"m{reg_id:012d}{rng.getrandbits(64):016x}",
                "created_at": created_at,
                "cancelled_at": created_at + timedelta(days=1) if status == RegistrationStatus.CANCELLED else None,
            })
            if row["cancelled"] or status != RegistrationStatus.REGISTERED:
                continue
            checked = walk_in or (not on_demand and rng.random() < 0.9)
            if checked:
                at = start + timedelta(minutes=rng.randrange(-30, 20))
                method = (CheckInMethod.WALK_IN if walk_in else
                          CheckInMethod.QR if rng.random() < 0.88 else CheckInMethod.NUMBER)
                tables["checkins"].append({"id": self.take_id("checkins"), "registration_id": reg_id,
                                           "method": method, "staff_user_id": None, "nonce": None,
                                           "scanned_at": at if method == CheckInMethod.QR else None,
                                           "created_at": at, "device": ""})
            if (checked or on_demand) and rng.random() < 0.6:
                self.response_rows(row, reg_id)

    def response_rows(self, row: dict, reg_id: int) -> None:
        rng, tables = self.rng, self.buffers.tables
        answered_at = row["ends_at"] + timedelta(hours=rng.randint(1, 72))
        link = rng.random() < 0.8
        if link:
            sent = row["ends_at"] + timedelta(hours=14)
            tables["survey_invitations"].append({
                "id": self.take_id("survey_invitations"), "registration_id": reg_id,
                "token": f"i{reg_id:012d}{rng.getrandbits(64):016x}", "created_at": sent, "sent_at": sent})
        response_id = self.take_id("responses")
        tables["responses"].append({
            "id": response_id, "survey_id": row["survey_id"], "registration_id": reg_id if link else None,
            "source": ResponseSource.LINK if link else ResponseSource.VENUE, "entered_by_id": None,
            "created_at": answered_at})
        for question_id, positive, negative in row["survey"]["indicators"]:
            if rng.random() < 0.03:
                continue  # a blank
            option = rng.choice(positive if rng.random() < 0.85 or not negative else negative)
            tables["answers"].append({"id": self.take_id("answers"), "response_id": response_id,
                                      "question_id": question_id, "option_id": option, "text": None})
