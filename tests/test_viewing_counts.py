"""on_demand_views {viewers, views} beside attended.on_demand: in the event summary, the
fiscal-year report and its table, and the evaluation sheet's yearly total, counted by hand."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.catalog.models import EventFormat, EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import cancel, register
from eventsapp.reports.summary import event_summaries, fiscal_year_report
from eventsapp.reports.tables import fiscal_year_table
from eventsapp.viewing.counts import on_demand_views
from eventsapp.viewing.models import Viewing
from eventsapp.viewing.service import viewing_for

RECORDING = "https://vimeo.com/123456789"


def sign_up(event, family: str, kana: str, *, mode=RegistrationMode.ON_DEMAND):
    fields = PersonFields(family_name=family, given_name="太郎", family_kana=kana, given_kana="たろう",
                          email=f"{kana}@example.jp")
    return register(db.session, event_id=event.id, person=fields, mode=mode, source=RegistrationSource.STAFF).registration


def visited(registration, times: int) -> None:
    """The registration's page opened `times` times (as open_viewing records each visit)."""
    viewing = viewing_for(db.session, registration)
    viewing.views = times
    if times:
        viewing.first_viewed_at = viewing.last_viewed_at = now()
    db.session.commit()


@pytest.fixture
def year(make_event, make_series):
    """Fiscal 2025: the public lecture L (市民公開講座, held jointly with つむぐ会 T as its
    second series) and T's own on-demand talk T2, with visits counted by hand below."""
    lectures = make_series("市民公開講座")
    tsumugu = make_series("介護と医療をつむぐ会")
    common = dict(format=EventFormat.HYBRID, on_demand_url=RECORDING,
                  viewing_opens_at=now() - timedelta(days=1))
    lecture = make_event(series=lectures, day=date(2025, 10, 4), title="L", joint_series_ids=[tsumugu.id], **common)
    talk = make_event(series=tsumugu, day=date(2026, 2, 12), title="T2", **common)
    # L: 青木 3 visits, 井上 1, 上田 never, 江藤 2 then cancelled (visits made stay visits),
    #    小野 came to the venue (no viewing page); 加藤 cancelled, re-registered, opened both pages 1 + 4.
    visited(sign_up(lecture, "青木", "あおき"), 3)
    visited(sign_up(lecture, "井上", "いのうえ"), 1)
    visited(sign_up(lecture, "上田", "うえだ"), 0)
    eto = sign_up(lecture, "江藤", "えとう")
    visited(eto, 2)
    cancel(db.session, registration_id=eto.id)
    sign_up(lecture, "小野", "おの", mode=RegistrationMode.IN_PERSON)
    kato = sign_up(lecture, "加藤", "かとう")
    visited(kato, 1)
    cancel(db.session, registration_id=kato.id)
    visited(sign_up(lecture, "加藤", "かとう"), 4)
    # T2: 青木 5 visits.
    visited(sign_up(talk, "青木", "あおき"), 5)
    # Fiscal 2026 and a draft of fiscal 2025: in no total of fiscal 2025.
    later = make_event(series=tsumugu, day=date(2026, 4, 10), title="翌年度", **common)
    visited(sign_up(later, "青木", "あおき"), 7)
    draft = make_event(series=tsumugu, day=date(2025, 11, 1), title="下書き", published=False, **common)
    visited(sign_up(draft, "井上", "いのうえ"), 6)
    return lecture, talk, tsumugu, lectures


def test_the_summary_counts_viewers_and_visits(year):
    lecture, talk, *_ = year
    summaries = event_summaries(db.session, [lecture.id, talk.id])
    # viewers: 青木, 井上, 江藤, 加藤 (two registrations, one person) = 4; 上田 never opened hers
    # views: 3 + 1 + 2 + (1 + 4) = 11
    assert summaries[lecture.id]["on_demand_views"] == {"viewers": 4, "views": 11}
    # attended.on_demand stays the live on-demand registrations: 青木, 井上, 上田, 加藤
    assert summaries[lecture.id]["attended"]["on_demand"] == 4
    assert summaries[talk.id]["on_demand_views"] == {"viewers": 1, "views": 5}


def test_the_fiscal_year_report_adds_the_events_views(year):
    lecture, talk, tsumugu, lectures = year
    report = fiscal_year_report(db.session, 2025)
    assert [row["title"] for row in report["events"]] == ["L", "T2"]  # neither the draft nor fiscal 2026
    assert report["total"]["on_demand_views"] == {"viewers": 5, "views": 16}  # 4 + 1 viewers (延べ), 11 + 5
    by_series = {row["series_id"]: row["on_demand_views"] for row in report["by_series"]}
    assert by_series == {lectures.id: {"viewers": 4, "views": 11}, tsumugu.id: {"viewers": 5, "views": 16}}
    header, rows = fiscal_year_table(report)
    viewers, views = header.index("視聴者（オンデマンド）"), header.index("視聴回数（オンデマンド）")
    assert header.index("参加（オンデマンド）") == viewers - 1  # beside attended.on_demand
    assert [(row[viewers], row[views]) for row in rows[:2]] == [(4, 11), (1, 5)]
    assert (rows[-1][viewers], rows[-1][views]) == (5, 16)


def test_the_yearly_total_for_the_evaluation_sheet(year):
    lecture, talk, tsumugu, lectures = year
    assert on_demand_views(db.session, fiscal_year=2025) == {"viewers": 5, "views": 16}
    assert on_demand_views(db.session, fiscal_year=2025, series_id=lectures.id) == {"viewers": 4, "views": 11}
    # つむぐ会: its own T2 and the joint L
    assert on_demand_views(db.session, fiscal_year=2025, series_id=tsumugu.id) == {"viewers": 5, "views": 16}
    assert on_demand_views(db.session, fiscal_year=2026) == {"viewers": 1, "views": 7}
    assert on_demand_views(db.session, fiscal_year=2024) == {"viewers": 0, "views": 0}
    # the same numbers as the report's total, which the sheet may show beside it
    assert on_demand_views(db.session, fiscal_year=2025) == fiscal_year_report(db.session, 2025)["total"]["on_demand_views"]


def test_a_cancelled_event_has_no_views_in_the_year(year):
    lecture, *_ = year
    set_event_status(db.session, lecture, EventStatus.CANCELLED)
    assert on_demand_views(db.session, fiscal_year=2025) == {"viewers": 1, "views": 5}


def test_the_summary_page_and_api_show_them(year, login):
    lecture, *_ = year
    client = login(Role.ORGANIZER)
    html = client.get(f"/admin/events/{lecture.id}/summary").get_data(as_text=True)
    assert 'data-key="on_demand_views.viewers">4<' in html and 'data-key="on_demand_views.views">11<' in html
    body = client.get(f"/api/v1/events/{lecture.id}/summary").json
    assert body["on_demand_views"] == {"viewers": 4, "views": 11}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Viewing)) == 9
