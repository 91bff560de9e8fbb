"""An event's recording (on_demand_url) and viewing period: the rules, the organizer's form,
never on a public page, and kept when the API changes another field."""
import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Event, EventFormat
from eventsapp.catalog.service import CatalogError, event_input_of, save_event
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db

RECORDING = "https://www.youtube.com/watch?v=abcDEF12345&list=x"
OPENS = tokyo_datetime(date(2025, 10, 11), time(9, 0))


def edit(event: Event, **changes) -> Event:
    values = event_input_of(event)
    for name, value in changes.items():
        setattr(values, name, value)
    return save_event(db.session, values, event=event)


@pytest.mark.parametrize("changes, code, field", [
    ({"on_demand_url": "http://example.jp/video", "viewing_opens_at": OPENS}, "on_demand_url_invalid", "on_demand_url"),
    ({"on_demand_url": "youtu.be/abc", "viewing_opens_at": OPENS}, "on_demand_url_invalid", "on_demand_url"),
    ({"on_demand_url": "https://youtu.be/a b", "viewing_opens_at": OPENS}, "on_demand_url_invalid", "on_demand_url"),
    ({"on_demand_url": RECORDING}, "viewing_opens_required", "viewing_opens_at"),  # never mailed, never open
    ({"on_demand_url": RECORDING, "viewing_opens_at": OPENS, "viewing_closes_at": OPENS - timedelta(minutes=1)},
     "viewing_period_reversed", "viewing_closes_at"),
    ({"on_demand_url": RECORDING, "viewing_opens_at": tokyo_datetime(date(2101, 1, 1), time(9, 0))},
     "year_out_of_range", "viewing_opens_at"),
])
def test_the_rules_of_a_recording(make_event, changes, code, field):
    event = make_event(day=date(2025, 10, 4), format=EventFormat.HYBRID)
    with pytest.raises(CatalogError) as refused:
        edit(event, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    db.session.rollback()


def test_a_period_of_one_instant_and_one_without_end_are_accepted(make_event):
    event = make_event(day=date(2025, 10, 4), format=EventFormat.HYBRID)
    saved = edit(event, on_demand_url=f" {RECORDING} ", viewing_opens_at=OPENS, viewing_closes_at=OPENS)
    assert (saved.on_demand_url, saved.viewing_closes_at) == (RECORDING, OPENS)
    assert edit(saved, viewing_closes_at=None).viewing_closes_at is None


def test_the_database_refuses_a_reversed_period(make_event):
    event = make_event()
    event.viewing_opens_at, event.viewing_closes_at = OPENS, OPENS - timedelta(days=1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_organizer_sets_the_recording_on_the_form(login, make_series):
    organizer = login(Role.ORGANIZER)
    base = {"title": "市民公開講座", "series_id": make_series().id, "day": "2025-10-04", "start_time": "14:00",
            "end_time": "16:00", "format": "hybrid", "goals": ["awareness"], "scenes": ["daily"]}
    refused = organizer.post("/admin/events/new", data={**base, "on_demand_url": RECORDING})
    assert refused.status_code == 422 and "視聴開始の日時も入力してください" in refused.text
    saved = organizer.post("/admin/events/new", data={**base, "on_demand_url": RECORDING,
                                                      "viewing_opens_at": "2025-10-11T09:00",
                                                      "viewing_closes_at": "2025-11-30T23:59"})
    assert saved.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert (event.on_demand_url, event.viewing_opens_at) == (RECORDING, OPENS)  # typed in Tokyo time
    assert event.viewing_closes_at == tokyo_datetime(date(2025, 11, 30), time(23, 59))
    form = organizer.get(f"/admin/events/{event.id}/edit").text
    assert re.search(r'name="viewing_opens_at"[^>]*value="2025-10-11[T ]09:00', form)
    assert RECORDING.replace("&", "&amp;") in form


def test_the_recording_is_never_on_a_public_page(client, bearer, make_event):
    event = make_event(format=EventFormat.HYBRID, on_demand_url=RECORDING, viewing_opens_at=OPENS)
    headers = bearer(Role.ORGANIZER)
    for path in ("/", f"/events/{event.id}", f"/events/{event.id}/calendar.ics", "/calendar.ics",
                 f"/api/v1/events/{event.id}"):
        response = client.get(path, headers=headers if path.startswith("/api/") else {})
        assert response.status_code == 200 and b"abcDEF12345" not in response.data, path


def test_changing_another_field_through_the_api_keeps_the_recording_and_the_join_link(client, bearer, make_event):
    """The API's PATCH sends only what changes; the rest is the event's own values, the
    recording, its period, the venue's address and an online join link included."""
    event = make_event(format=EventFormat.HYBRID, on_demand_url=RECORDING, viewing_opens_at=OPENS,
                       viewing_closes_at=OPENS + timedelta(days=30), venue_address="流山市平和台1-1-1",
                       join_url="https://zoom.us/j/1111111111")
    answer = client.patch(f"/api/v1/events/{event.id}", json={"title": "新しい題"}, headers=bearer(Role.ORGANIZER))
    assert answer.status_code == 200, answer.json
    db.session.expire_all()
    kept = db.session.get(Event, event.id)
    assert kept.title == "新しい題"
    assert (kept.on_demand_url, kept.viewing_opens_at, kept.viewing_closes_at) == (
        RECORDING, OPENS, OPENS + timedelta(days=30))
    assert (kept.venue_address, kept.join_url) == ("流山市平和台1-1-1", "https://zoom.us/j/1111111111")
