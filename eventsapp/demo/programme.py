"""Load the fiscal-2025 demo programme (seed 001 made data) and the demo admin account.

`load_demo` is idempotent: every row is looked up by its natural key — a series by name, an
event by (series, start), an initiative by (fiscal year, position) — and only what is missing
is created, through the catalogue's service functions so that the same rules apply as in the
admin screens. Rows that already exist are left as they are, even if an organizer changed them.

The loader is a chain of small `ensure_*` steps. Then come the synthetic participants of
participants.py (a fiscal-2024 history, then registrations, check-ins and survey answers of
every event) so that the computed indicators give the report's figures; it skips any event
that already holds demo registrations, so a second run adds nothing. Last, upcoming.py adds a
live programme around `today` (an event today, more this month and in the next two months),
never in fiscal 2025, and seed 000's 居宅介護支援事業所アンケート answered by 24 offices
(org_survey.py).
"""
import os
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..auth.service import create_user
from ..catalog.models import Audience, Event, EventFormat, EventStatus, Initiative, Series
from ..catalog.report_settings import save_series_report_style
from ..catalog.service import EventInput, save_event, save_initiative, save_series, set_event_status
from ..dates import now, to_tokyo, tokyo_datetime
from ..evaluation.models import EvaluationIndicator
from ..evaluation.service import IndicatorInput, entered_value, save_indicator, save_value
from ..reports.front_matter import save_front_matter
from ..reports.models import FrontMatter
from ..surveys.models import Survey
from . import data, evaluation_plan, org_survey, participants, upcoming, writer

ADMIN_USERNAME = "admin"
PASSWORD_FILE = "demo-admin-password"
PASSWORD_ALREADY_SET = "(設定済み)"
STAFF_ACCOUNTS = (("organizer", Role.ORGANIZER, "事務局（デモ）"), ("reception", Role.RECEPTION, "受付（デモ）"))


def load_demo(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Create whatever of the demo programme is missing, with the upcoming events around
    `today` (Tokyo; by default the day it is); returns how many rows of each kind."""
    today = today or to_tokyo(now()).date()
    created = {"series": 0, "events": 0, "initiatives": 0, "surveys": 0}
    surveys_before = count_surveys(session)
    series_by_name = {}
    for row in data.SERIES:
        series_by_name[row["name"]], is_new = ensure_series(session, row=row)
        created["series"] += is_new
    events_by_key = {}
    for row in [*data.EVENTS, *data.HISTORY_EVENTS, *upcoming.upcoming_rows(today)]:
        events_by_key[row["key"]], is_new = ensure_event(session, row=row, series_by_name=series_by_name)
        created["events"] += is_new
    for position, row in enumerate(data.INITIATIVES, start=1):
        _, is_new = ensure_initiative(session, row=row, position=position, events_by_key=events_by_key)
        created["initiatives"] += is_new
    ensure_front_matter(session)
    created["indicators"] = ensure_evaluation(session, series_by_name=series_by_name)
    ensure_surveys(session, series=series_by_name.values(), events=events_by_key.values())
    created["surveys"] = count_surveys(session) - surveys_before
    event_ids = {key: event.id for key, event in events_by_key.items()}
    created |= writer.write_plan(session, participants.build_plan(), event_ids)
    created["registrations"] += upcoming.write_registrations(session, events=event_ids, today=today)
    created["office_responses"] = org_survey.ensure_org_survey(session)
    return created


def ensure_evaluation(session: Session, *, series_by_name: dict[str, Series]) -> int:
    """Seed 000's evaluation indicators, linked to the demo's series, with the plan's baselines
    as entered values (evaluation_plan.py). An indicator is found by its name and a value by its
    year: what exists, an organizer's edit included, stays as it is. Returns indicators created."""
    created = 0
    for position, row in enumerate(evaluation_plan.INDICATORS, start=1):
        indicator = session.scalar(select(EvaluationIndicator).where(EvaluationIndicator.name == row["name"]))
        if indicator is None:
            params = dict(row["params"])
            if "series" in params:
                params["series_ids"] = [series_by_name[name].id for name in params.pop("series")]
            indicator = save_indicator(session, IndicatorInput(
                goal=row["goal"], scene=row["scene"], name=row["name"], expected=row["expected"], source=row["source"],
                interval_years=row["interval_years"], base_year=row["base_year"], unit=row["unit"],
                measure=row["measure"], params=params, position=position))
            created += 1
        for year, value, n, d, note in row["values"]:
            if entered_value(session, indicator, year) is None:
                save_value(session, indicator, year, value=value, n=n, d=d, taken_on=date(year + 1, 3, 31),
                           source_note=note, user=None)
    return created


def ensure_front_matter(session: Session) -> None:
    """Seed 001's front matter for fiscal 2025, unless the year has one (an organizer's edit stays)."""
    if session.get(FrontMatter, data.FISCAL_YEAR) is None:
        save_front_matter(session, data.FISCAL_YEAR, texts=data.FRONT_MATTER, definitions=data.GOAL_DEFINITIONS)


def count_surveys(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Survey))


def ensure_surveys(session: Session, *, series, events) -> None:
    """Survey templates for every series and a survey for every event. New ones get theirs
    from the catalogue's hooks; this step covers a database loaded before surveys existed."""
    from ..surveys.editing import event_survey_or_copy, series_template

    for row in series:
        series_template(session, row)
    for event in events:
        event_survey_or_copy(session, event)
    session.commit()


def ensure_series(session: Session, *, row: dict) -> tuple[Series, bool]:
    """The series of that name, created with its default tags if missing."""
    series = session.scalar(select(Series).where(Series.name == row["name"]))
    if series is not None:
        return series, False
    series = save_series(
        session,
        name=row["name"],
        audience=Audience(row["audience"]),
        goals=row["goals"],
        scenes=row["scenes"],
        description=row["description"],
    )
    report = row.get("report")
    if report is not None:
        save_series_report_style(session, series, indicators=report["indicators"], new_share=report["new_share"],
                                 participant_label=report["participant_label"])
    return series, True


def ensure_event(session: Session, *, row: dict, series_by_name: dict[str, Series]) -> tuple[Event, bool]:
    """The event of that series starting at that time, created and given its status if missing."""
    data = event_input(row=row, series_by_name=series_by_name)
    event = session.scalar(
        select(Event).where(Event.series_id == data.series_id, Event.starts_at == data.starts_at)
    )
    if event is not None:
        return event, False
    event = save_event(session, data)
    status = EventStatus(row["status"])
    if status != event.status:
        set_event_status(session, event, status)
    return event, True


def event_input(*, row: dict, series_by_name: dict[str, Series]) -> EventInput:
    """A data.py event row as the catalogue's input."""
    day = date.fromisoformat(row["day"])
    return EventInput(
        title=row["title"],
        series_id=series_by_name[row["series"]].id,
        joint_series_ids=[series_by_name[name].id for name in row["joint_series"]],
        starts_at=tokyo_datetime(day, time.fromisoformat(row["start"])),
        ends_at=tokyo_datetime(day, time.fromisoformat(row["end"])),
        format=EventFormat(row["format"]),
        venue=row["venue"],
        area=row["area"],
        capacity=row["capacity"],
        goals=row["goals"],
        scenes=row["scenes"],
        description=row["description"],
        joint_label=row["joint_label"],
    )


def ensure_initiative(
    session: Session, *, row: dict, position: int, events_by_key: dict[str, Event]
) -> tuple[Initiative, bool]:
    """The plan line at that position of fiscal 2025, created and linked to its events if missing."""
    initiative = session.scalar(
        select(Initiative).where(
            Initiative.fiscal_year == data.FISCAL_YEAR, Initiative.position == position
        )
    )
    if initiative is not None:
        return initiative, False
    initiative = save_initiative(
        session,
        fiscal_year=data.FISCAL_YEAR,
        scene=row["scene"],
        goals=row["goals"],
        target=row["target"],
        plan=row["plan"],
        result_note=row["result_note"],
        position=position,
    )
    initiative.events = [events_by_key[key] for key in row["events"]]
    initiative.prose_first = row["prose_first"]
    session.commit()
    return initiative, True


def ensure_demo_admin(session: Session, instance_path: str | os.PathLike) -> tuple[str, str]:
    """The demo admin's name and password: created (password kept in the instance folder,
    mode 0600) if missing, else read back from that file, or PASSWORD_ALREADY_SET without it."""
    return ensure_demo_account(session, Path(instance_path) / PASSWORD_FILE, username=ADMIN_USERNAME,
                               role=Role.ADMIN, display_name="管理者（デモ）")


def ensure_demo_staff(session: Session, instance_path: str | os.PathLike) -> list[tuple[str, str]]:
    """The demo's organizer and reception accounts, as ensure_demo_admin: a newcomer tries the
    door as reception and the reports as an organizer (README, 5分で試す)."""
    return [
        ensure_demo_account(session, Path(instance_path) / f"demo-{username}-password", username=username,
                            role=role, display_name=display_name)
        for username, role, display_name in STAFF_ACCOUNTS
    ]


def ensure_demo_account(session: Session, password_file: Path, *, username: str, role: Role,
                        display_name: str) -> tuple[str, str]:
    if session.scalar(select(User).where(User.username == username)) is not None:
        return username, read_password(password_file=password_file)
    _, password = create_user(session, username=username, role=role, display_name=display_name)
    write_password(password_file=password_file, password=password)
    return username, password


def read_password(*, password_file: Path) -> str:
    try:
        return password_file.read_text(encoding="utf-8").strip() or PASSWORD_ALREADY_SET
    except FileNotFoundError:
        return PASSWORD_ALREADY_SET


def write_password(*, password_file: Path, password: str) -> None:
    """Write the password readable by its owner only, even if the file existed with wider rights."""
    password_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
