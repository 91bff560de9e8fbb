"""The catalogue's rules, called directly: what makes an event valid, tags, status."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import Audience, Event, EventFormat, EventStatus, Series
from eventsapp.catalog.service import (
    CatalogError,
    EventInput,
    list_events,
    save_event,
    save_initiative,
    save_series,
    set_event_status,
)
from eventsapp.dates import TOKYO, tokyo_datetime
from eventsapp.extensions import db


@pytest.fixture
def valid(make_series) -> EventInput:
    series = make_series()
    return EventInput(
        title="ICTを活用した多職種連携について",
        series_id=series.id,
        starts_at=tokyo_datetime(date(2025, 7, 11), time(18, 30)),
        ends_at=tokyo_datetime(date(2025, 7, 11), time(20, 20)),
        format=EventFormat.IN_PERSON,
        goals=["collaboration", "sharing"],
        scenes=["daily"],
    )


def count_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_an_event_is_created_as_a_draft_with_its_tags_in_the_citys_order(valid):
    event = save_event(db.session, valid)
    assert event.status == EventStatus.DRAFT
    assert [g.code for g in event.goals] == ["sharing", "collaboration"]  # ③ before ④
    assert [s.code for s in event.scenes] == ["daily"]
    assert event.fiscal_year == 2025
    assert event.starts_at == datetime(2025, 7, 11, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (dict(ends_at=tokyo_datetime(date(2025, 7, 11), time(18, 0))), "ends_before_start", "ends_at"),
        (dict(goals=["collaboration", "world_peace"]), "unknown_goal", "goals"),
        (dict(scenes=["moon"]), "unknown_scene", "scenes"),
        (dict(capacity=-1), "negative_capacity", "capacity"),
        (dict(registration_opens_at=tokyo_datetime(date(2025, 7, 12), time(9, 0))), "registration_window_after_event", "registration_opens_at"),
        (
            dict(
                registration_opens_at=tokyo_datetime(date(2025, 6, 10), time(9, 0)),
                registration_closes_at=tokyo_datetime(date(2025, 6, 1), time(9, 0)),
            ),
            "registration_window_reversed",
            "registration_closes_at",
        ),
        (dict(title="あ" * 201), "title_too_long", "title"),
        (dict(title="   "), "title_required", "title"),
        (dict(series_id=999), "unknown_series", "series_id"),
        (dict(joint_series_ids=[998]), "unknown_series", "joint_series_ids"),
        (dict(initiative_ids=[997]), "unknown_initiative", "initiative_ids"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_stored(valid, change, code, field):
    with pytest.raises(CatalogError) as excinfo:
        save_event(db.session, replace(valid, **change))
    db.session.rollback()
    assert (excinfo.value.code, excinfo.value.field) == (code, field)
    assert excinfo.value.message  # Japanese text for the screen
    assert count_events() == 0


def test_a_title_of_exactly_200_characters_and_capacity_zero_are_fine(valid):
    event = save_event(db.session, replace(valid, title="あ" * 200, capacity=0))
    assert len(event.title) == 200 and event.capacity == 0


def test_joint_events_belong_to_several_series(valid, make_series):
    lecture = make_series("市民公開講座", goals=["awareness"], scenes=["daily"])
    event = save_event(db.session, replace(valid, joint_series_ids=[lecture.id, valid.series_id]))
    assert [s.name for s in event.all_series] == ["介護と医療をつむぐ会", "市民公開講座"]
    assert [e.id for e in list_events(db.session, series_id=lecture.id)] == [event.id]


def test_fiscal_year_follows_tokyo_time(valid):
    last = save_event(
        db.session,
        replace(valid, starts_at=datetime(2026, 3, 31, 23, 59, tzinfo=TOKYO), ends_at=datetime(2026, 4, 1, 1, 0, tzinfo=TOKYO)),
    )
    first = save_event(
        db.session,
        replace(valid, starts_at=datetime(2026, 3, 31, 15, 0, tzinfo=timezone.utc), ends_at=datetime(2026, 4, 1, 2, 0, tzinfo=TOKYO)),
    )
    assert (last.fiscal_year, first.fiscal_year) == (2025, 2026)
    assert [e.id for e in list_events(db.session, fiscal_year=2025)] == [last.id]
    # Stored in UTC, read back aware and equal.
    db.session.expire_all()
    assert db.session.get(Event, first.id).starts_at == datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)


def test_moving_an_event_moves_its_fiscal_year(valid):
    event = save_event(db.session, valid)
    later = valid.starts_at + timedelta(days=300)
    save_event(db.session, replace(valid, starts_at=later, ends_at=later + timedelta(hours=2)), event=event)
    assert event.fiscal_year == 2026


def test_publish_and_cancel(valid):
    event = save_event(db.session, valid)
    set_event_status(db.session, event, EventStatus.PUBLISHED)
    set_event_status(db.session, event, EventStatus.CANCELLED)
    with pytest.raises(CatalogError) as excinfo:
        set_event_status(db.session, event, EventStatus.PUBLISHED)
    assert excinfo.value.code == "event_cancelled"
    with pytest.raises(CatalogError):
        save_event(db.session, valid, event=event)


def test_series_names_are_unique_and_tags_checked(make_series):
    make_series("出前講座")
    with pytest.raises(CatalogError) as excinfo:
        save_series(db.session, name=" 出前講座 ", audience=Audience.CITIZENS, goals=[], scenes=[])
    assert excinfo.value.code == "name_taken"
    db.session.rollback()
    with pytest.raises(CatalogError) as excinfo:
        make_series("新しいシリーズ", goals=["nope"])
    assert excinfo.value.code == "unknown_goal"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 1


def test_initiatives_link_to_events(valid):
    event = save_event(db.session, valid)
    initiative = save_initiative(
        db.session, fiscal_year=2025, scene="daily", goals=["collaboration"], target="専門職", plan="つむぐ会を年4回開催する"
    )
    save_event(db.session, replace(valid, initiative_ids=[initiative.id]), event=event)
    assert initiative.events == [event]
    assert initiative.position == 1
    with pytest.raises(CatalogError) as excinfo:
        save_initiative(db.session, fiscal_year=2025, scene="nowhere", goals=[], target="", plan="x")
    assert excinfo.value.code == "unknown_scene"


def test_list_filters(make_event, make_series):
    lecture_series = make_series("市民公開講座", audience="citizens")
    meeting = make_event(day=date(2025, 7, 11))
    lecture = make_event(series=lecture_series, day=date(2025, 10, 4))
    draft = make_event(day=date(2025, 12, 12), published=False)
    assert [e.id for e in list_events(db.session, audience="citizens")] == [lecture.id]
    published = list_events(db.session, statuses=(EventStatus.PUBLISHED,))
    assert [e.id for e in published] == [meeting.id, lecture.id]
    assert draft.id not in {e.id for e in published}
    assert list_events(db.session, upcoming=True) == []  # all in 2025, today is later
    assert [e.id for e in list_events(db.session, upcoming=False)] == [draft.id, lecture.id, meeting.id]
