"""The demo's live programme: published events this month and in the next two months around the
day it is loaded, one of them today with its door open, registrations in each — and never an
event in fiscal 2025, whose figures are the seed's (tests/test_demo.py)."""
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Event, EventFormat, EventStatus, Series
from eventsapp.checkin.models import CheckIn
from eventsapp.checkin.window import door_is_open, door_window
from eventsapp.dates import TOKYO, tokyo_datetime
from eventsapp.demo.programme import load_demo
from eventsapp.demo.upcoming import add_months, upcoming_rows
from eventsapp.extensions import db
from eventsapp.registration.models import Registration, RegistrationStatus


def schedule(today: date) -> list[tuple[str, str]]:
    return [(row["day"], row["series"]) for row in upcoming_rows(today)]


def test_the_upcoming_days_around_a_day_in_december():
    assert schedule(date(2026, 12, 3)) == [
        ("2026-12-03", "介護と医療をつむぐ会"),  # today, in person
        ("2026-12-25", "市民公開講座"),  # later this month
        ("2027-01-10", "看取り症例検討会"), ("2027-01-20", "情報共有システム研修会"),
        ("2027-02-12", "介護と医療をつむぐ会"), ("2027-02-22", "市民公開講座"),
    ]


def test_the_last_day_of_a_fiscal_year_has_only_todays_event_in_its_month():
    """2027-03-31: this month's 25th is past; the next two months are fiscal 2027."""
    assert schedule(date(2027, 3, 31)) == [
        ("2027-03-31", "介護と医療をつむぐ会"),
        ("2027-04-10", "看取り症例検討会"), ("2027-04-20", "情報共有システム研修会"),
        ("2027-05-12", "介護と医療をつむぐ会"), ("2027-05-22", "市民公開講座"),
    ]


def test_nothing_is_added_to_fiscal_2025():
    """A clock set back into fiscal 2025 keeps the seed's year as it is: only the events of
    April and May 2026 (fiscal 2026) remain; before 2026-02 there are none at all."""
    assert schedule(date(2026, 3, 20)) == [
        ("2026-04-10", "看取り症例検討会"), ("2026-04-20", "情報共有システム研修会"),
        ("2026-05-12", "介護と医療をつむぐ会"), ("2026-05-22", "市民公開講座"),
    ]
    assert schedule(date(2025, 6, 1)) == [] and schedule(date(2026, 1, 31)) == []


def test_months_roll_over_the_year():
    assert [add_months(date(2026, 11, 30), n) for n in (0, 1, 2)] == [
        date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]


@pytest.mark.slow  # loads the whole demo
@pytest.mark.parametrize("today, months, fiscal_years", [
    (date(2026, 12, 3), {(2026, 12), (2027, 1), (2027, 2)}, {2026}),
    (date(2027, 3, 31), {(2027, 3), (2027, 4), (2027, 5)}, {2026, 2027}),
])
def test_the_demo_holds_a_live_programme_around_today(app, today, months, fiscal_years):
    load_demo(db.session, today=today)
    upcoming = db.session.scalars(
        sa.select(Event).where(Event.starts_at >= tokyo_datetime(today, time(0, 0))).order_by(Event.starts_at)
    ).all()
    starts = [event.starts_at.astimezone(TOKYO) for event in upcoming]
    assert {(start.year, start.month) for start in starts} == months
    assert {event.fiscal_year for event in upcoming} == fiscal_years
    assert {event.status for event in upcoming} == {EventStatus.PUBLISHED}

    held_today = [event for event, start in zip(upcoming, starts, strict=True) if start.date() == today]
    assert len(held_today) == 1
    event = held_today[0]
    assert event.format == EventFormat.IN_PERSON and event.series.name == "介護と医療をつむぐ会"
    # reception's door is open all day (24 h before 9:00 to 24 h after 23:59), the form until 23:59
    assert event.ends_at == tokyo_datetime(today, time(23, 59))
    for hour in (0, 9, 23):
        assert door_is_open(door_window(event, Role.RECEPTION), datetime.combine(today, time(hour), TOKYO))

    registered = dict(db.session.execute(
        sa.select(Registration.event_id, sa.func.count()).where(Registration.status == RegistrationStatus.REGISTERED)
        .group_by(Registration.event_id)
    ).all())
    # upcoming.REGISTRATIONS by slot, in the order of the days above
    expected = [32, 24, 12, 9, 8, 6] if today.month == 12 else [32, 12, 9, 8, 6]
    assert [registered.get(event.id, 0) for event in upcoming] == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).join(Registration).where(
        Registration.event_id.in_([e.id for e in upcoming]))) == 0  # nobody has come yet
    hybrid_modes = set(db.session.scalars(sa.select(Registration.mode).join(Event).join(Series).where(
        Event.id.in_([e.id for e in upcoming]), Series.name == "市民公開講座")))
    assert hybrid_modes == {"in_person", "on_demand"}


@pytest.mark.slow
def test_loading_again_adds_nothing_the_same_day_and_one_event_the_next(app):
    load_demo(db.session, today=date(2026, 12, 3))
    again = load_demo(db.session, today=date(2026, 12, 3))
    assert again["events"] == 0 and again["registrations"] == 0
    next_day = load_demo(db.session, today=date(2026, 12, 4))
    assert next_day["events"] == 1 and next_day["registrations"] == 32  # the 4th's event and its people
