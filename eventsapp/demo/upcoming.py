"""A live programme for a newcomer: upcoming published events relative to the day the demo is
loaded — one held today all day (in person, so its form and its door are open now), more this
month and in the next two months — with some registrations, so that the public list, the registration form, the
door and the counts can all be tried at once.

Fiscal 2025 (seed 001) stays exactly as the report gives it: an upcoming event that would fall
in fiscal 2025 or earlier (a clock set back) is left out, so the report's figures never change.
Events are found again by (series, start) like every demo event; only today's event moves with
the day, so loading the demo again on a later day adds that day's event and keeps the others.
Registrations are written once per event (the events that already hold demo registrations are
skipped), by bulk insert as writer.py does: no mail is queued for invented people.
"""
import random
import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..dates import fiscal_year_of, tokyo_datetime
from ..people.models import Person
from ..registration.models import Channel, Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from . import data as dd
from .data import _event as event_row  # the row shape of data.py, which programme.py loads
from .participants import CHANNEL_WEIGHTS, CITIZEN, audience_of
from .writer import DEMO_EMAILS

LEARNING_CENTRE_HALL = dd.LEARNING_CENTRE

# (slot, series, title, start, end, more): the day of each slot is set by upcoming_rows().
SLOTS = (
    # All day, so that its form and its door can be tried at whatever hour the demo is loaded.
    ("today", dd.TSUMUGU, "多職種交流デー ～顔の見える関係づくり～（出入り自由）", "09:00", "23:59",
     {"capacity": 80, "scenes": ["admission"],
      "description": "病院と在宅の職種が入退院支援の事例を持ち寄り、ミニ講義とグループワークで話し合います。"
                     "時間内はいつでも出入りできます。"}),
    ("this-month", dd.KOUKAI, "人生会議（ACP）をはじめよう", "14:00", "16:00",
     {"capacity": 100, "venue": LEARNING_CENTRE_HALL, "format": dd.HYBRID,
      "description": "もしものときに大切にしたいことを、家族や医療・介護の人と話し合っておく「人生会議」を紹介します。"
                     "会場のほか、録画の視聴（オンデマンド配信）もお申し込みいただけます。"}),
    ("next-month", dd.MITORI_CASE, "在宅での看取りを支えたチーム（東部）", "18:30", "20:00",
     {"capacity": 30, "area": "東部"}),
    ("next-month-2", dd.ICT, "ケアプランデータ連携とデモ機操作体験", "14:00", "15:30", {"capacity": 20}),
    ("month-after", dd.TSUMUGU, "急変時の対応 ～救急と在宅の連携～", "18:30", "20:30",
     {"capacity": 80, "scenes": ["emergency"]}),
    ("month-after-2", dd.KOUKAI, "住み慣れた家で最期まで ～在宅医療の今～", "14:00", "16:00",
     {"capacity": 100, "venue": LEARNING_CENTRE_HALL, "format": dd.HYBRID}),
)
# The day of the month of each slot after today's; this month's is skipped when not later than today.
DAY_OF_MONTH = {"this-month": 25, "next-month": 10, "next-month-2": 20, "month-after": 12, "month-after-2": 22}
MONTH_OFFSET = {"today": 0, "this-month": 0, "next-month": 1, "next-month-2": 1, "month-after": 2, "month-after-2": 2}
# Registrations per slot: a busy day today, fewer the further away an event is.
REGISTRATIONS = {"today": 32, "this-month": 24, "next-month": 12, "next-month-2": 9, "month-after": 8,
                 "month-after-2": 6}
ON_DEMAND_SHARE = 0.25  # of a hybrid event's registrations


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def upcoming_rows(today: date) -> list[dict]:
    """The upcoming events for a demo loaded on `today` (Tokyo), as data.py rows keyed
    `upcoming-<slot>`; none in fiscal 2025 or before."""
    rows = []
    for slot, series, title, start, end, more in SLOTS:
        if slot == "today":
            day = today
        else:
            day = add_months(today, MONTH_OFFSET[slot]).replace(day=DAY_OF_MONTH[slot])
            if day <= today:
                continue
        if fiscal_year_of(tokyo_datetime(day, time.fromisoformat(start))) <= dd.FISCAL_YEAR:
            continue
        rows.append(event_row(f"upcoming-{slot}", series, title, day.isoformat(), start, end, **more))
    return rows


def write_registrations(session: Session, *, events: dict[str, int], today: date) -> int:
    """Registrations of known demo persons for the upcoming events that hold none yet; commits.
    Returns how many were written."""
    loaded = set(session.scalars(select(Registration.event_id).where(Registration.event_id.in_(events.values()))))
    persons = session.execute(
        select(Person.id, Person.profession).where(Person.email_key.like(DEMO_EMAILS), Person.merged_into_id.is_(None))
        .order_by(Person.id)
    ).all()
    citizens = [person_id for person_id, profession in persons if profession == CITIZEN]
    professionals = [person_id for person_id, profession in persons if profession != CITIZEN]
    rows = []
    for row in upcoming_rows(today):
        event_id = events[row["key"]]
        if event_id in loaded:
            continue
        audience = audience_of(row["series"])
        pool = citizens if audience == dd.CITIZENS else professionals
        rng = random.Random(f"{row['key']} {row['day']}")
        count = min(REGISTRATIONS[row["key"].removeprefix("upcoming-")], len(pool))
        for person_id in rng.sample(pool, count):
            on_demand = row["format"] == dd.HYBRID and rng.random() < ON_DEMAND_SHARE
            rows.append(registration(event_id, person_id, rng=rng, audience=audience, today=today,
                                     mode=RegistrationMode.ON_DEMAND if on_demand else RegistrationMode.IN_PERSON))
    if rows:
        session.execute(insert(Registration), rows)
    session.commit()
    return len(rows)


def registration(event_id: int, person_id: int, *, rng: random.Random, audience: str, today: date,
                 mode: RegistrationMode) -> dict:
    """A registration made on the public form one to twenty days before `today`."""
    weights = CHANNEL_WEIGHTS[audience]
    channel = rng.choices(list(weights), weights=list(weights.values()))[0]
    created: datetime = tokyo_datetime(today - timedelta(days=rng.randint(1, 20)), time(rng.randint(7, 21),
                                                                                           rng.randint(0, 59)))
    return {"event_id": event_id, "person_id": person_id, "mode": mode, "status": RegistrationStatus.REGISTERED,
            "source": RegistrationSource.PUBLIC, "channel": Channel(channel), "created_at": created,
            "ticket_token": secrets.token_urlsafe(24), "manage_token": secrets.token_urlsafe(24)}
