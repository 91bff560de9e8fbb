"""reports/summary.py by hand: one small programme built with the services, and every
number of docs/architecture.md, *Indicators*, counted on paper in the comments beside the expected
values.

The programme (series A = つむぐ会, B = 市民公開講座):
  H  (A, 2024-11-01, FY2024): 山田花子 (東病院) imported from a paper list.
  E0 (B, 2025-06-01): 高橋七海 registered and checked in.
  E1 (A, 2025-07-11, hybrid, capacity 5, goals collaboration+sharing, scenes daily+end_of_life):
     花子 again under another spelling of her kana (matched by e-mail + family furigana), 佐藤一郎 (東病院), 田中三郎 checked in
     then cancelled, 鈴木四郎 registered twice and merged, waitlist promotion, a cancelled
     waitlisted person, a walk-in from 西クリニック, 七海 on demand, three survey sheets.
  E2 (A + joint B, 2025-10-04, end_of_life): 七海, 伊藤六郎, and 佐藤一郎 walking in with only a
     phone (a new person) who is merged into the E1 佐藤一郎 after the fact.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role, User
from eventsapp.auth.service import create_user
from eventsapp.catalog.models import Audience, EventFormat, EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.checkin.importer import import_attendance
from eventsapp.checkin.service import Scan, admit_walk_in, check_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.records.merge import merge_persons
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import cancel, register
from eventsapp.reports.summary import event_summaries, fiscal_year_report, pooled_summary
from eventsapp.surveys.models import ResponseSource
from eventsapp.surveys.service import submit_response
from tests_support import queries

SUMMARY_KEYS = {"event_id", "registered", "waitlisted", "cancelled", "attended", "on_demand_views", "attendance_rate",
                "new_participants", "new_organizations", "indicators", "responses"}
POOLED_KEYS = (SUMMARY_KEYS - {"event_id"}) | {"events", "distinct_persons"}
NULL = {"n": 0, "d": 0, "pct": None}


def who(name: str, kana: str = "", *, email: str = "", phone: str = "", organization: str = "") -> PersonFields:
    family, given = name.split()
    family_kana, _, given_kana = kana.partition(" ")
    return PersonFields(family_name=family, given_name=given, family_kana=family_kana, given_kana=given_kana,
                        email=email, phone=phone, organization=organization)


def sign_up(event, person: PersonFields, mode=RegistrationMode.IN_PERSON) -> Registration:
    return register(db.session, event_id=event.id, person=person, mode=mode, source=RegistrationSource.STAFF).registration


def organizer() -> User:
    """The organizer who back-fills these past events (reception's door is closed on them)."""
    user = db.session.scalar(sa.select(User).where(User.username == "paper-lists"))
    return user or create_user(db.session, username="paper-lists", role=Role.ORGANIZER)[0]


def come(event, registration: Registration) -> None:
    check_in(db.session, event_id=event.id, scan=Scan(ticket=registration.ticket_token,
                                                      nonce=f"nonce-{registration.id:06d}"), staff=organizer())


def sheet(event, registration=None, **answers) -> None:
    submit_response(db.session, event_id=event.id, answers=answers, source=ResponseSource.PAPER,
                    registration_id=registration.id if registration else None)


@dataclass
class Programme:
    events: dict = field(default_factory=dict)
    persons: dict = field(default_factory=dict)


HISTORY_CSV = (
    "氏名,ふりがな,メールアドレス,電話番号,職種,所属,参加形態\r\n"
    "山田 花子,やまだ はなこ,hanako@example.jp,,介護支援専門員,東病院,参集\r\n"
).encode()


@pytest.fixture
def programme(app, make_event, make_series) -> Programme:
    a = make_series("介護と医療をつむぐ会")
    b = make_series("市民公開講座", Audience.CITIZENS)
    p = Programme()
    h = p.events["H"] = make_event(series=a, day=date(2024, 11, 1))
    assert import_attendance(db.session, event_id=h.id, data=HISTORY_CSV, commit=True).committed

    e0 = p.events["E0"] = make_event(series=b, day=date(2025, 6, 1), goals=["awareness"], scenes=["common"])
    nanami = who("高橋 七海", "たかはし ななみ", email="nanami@example.jp")
    come(e0, sign_up(e0, nanami))

    e1 = p.events["E1"] = make_event(series=a, day=date(2025, 7, 11), capacity=5, format=EventFormat.HYBRID,
                                     goals=["collaboration", "sharing"], scenes=["daily", "end_of_life"])
    # her furigana written otherwise (half-width, family name only), the same e-mail: matched
    # (an e-mail needs the same family furigana; a given-name furigana missing on one side is no contradiction)
    hanako = sign_up(e1, who("山田 花子", "ﾔﾏﾀﾞ", email="Hanako@Example.jp"))
    ichiro = sign_up(e1, who("佐藤 一郎", "さとう いちろう", email="ichiro@example.jp", organization="東病院"))
    saburo = sign_up(e1, who("田中 三郎", "たなか さぶろう", email="saburo@example.jp"))
    shiro = sign_up(e1, who("鈴木 四郎", "すずき しろう", email="shiro@example.jp"))
    shiro_again = sign_up(e1, who("鈴木 四郎", "すずき しろう", phone="090-2222-3333"))  # 5th seat: full
    kyu = sign_up(e1, who("小林 九", "こばやし きゅう", email="kyu@example.jp"))
    ju = sign_up(e1, who("加藤 十", "かとう じゅう", email="ju@example.jp"))
    assert (kyu.status, ju.status) == (RegistrationStatus.WAITLISTED,) * 2
    sign_up(e1, nanami, RegistrationMode.ON_DEMAND)
    for registration in (hanako, ichiro, saburo):
        come(e1, registration)
    assert cancel(db.session, registration_id=saburo.id).promoted.id == kyu.id  # checked in, then cancelled
    goro = sign_up(e1, who("山本 五郎", "やまもと ごろう", email="goro@example.jp"))
    assert goro.status == RegistrationStatus.WAITLISTED
    cancel(db.session, registration_id=goro.id)
    admit_walk_in(db.session, event_id=e1.id, person=who("中村 六子", "なかむら むつこ", phone="09011112222",
                                                         organization="西クリニック"), staff=organizer())
    merge_persons(db.session, keep=shiro.person, absorb=shiro_again.person)
    sheet(e1, hanako, satisfaction="very_satisfied", collaboration="yes")
    sheet(e1, satisfaction="neutral", collaboration="no")
    sheet(e1, collaboration="rather_yes")  # satisfaction left blank

    e2 = p.events["E2"] = make_event(series=a, day=date(2025, 10, 4), joint_series_ids=[b.id],
                                     goals=["collaboration"], scenes=["end_of_life"])
    come(e2, sign_up(e2, nanami))
    come(e2, sign_up(e2, who("伊藤 六郎", "いとう ろくろう", email="roku@example.jp")))
    walked = admit_walk_in(db.session, event_id=e2.id, staff=organizer(),
                           person=who("佐藤 一郎", "さとう いちろう", phone="080-1234-5678"))
    p.persons.update(hanako=hanako.person, ichiro=ichiro.person, ichiro_walk_in=walked.registration.person,
                     series_a=a, series_b=b)
    return p


def merge_ichiro(p: Programme) -> None:
    merge_persons(db.session, keep=p.persons["ichiro"], absorb=p.persons["ichiro_walk_in"])


def test_the_history_under_another_kana_is_the_same_person(programme):
    imported = db.session.scalar(sa.select(Person).where(Person.email_key == "hanako@example.jp"))
    assert programme.persons["hanako"].id == imported.id
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(Person.family_name == "山田")) == 1


def test_the_summary_of_an_event_counted_by_hand(programme):
    e1 = programme.events["E1"]
    assert event_summaries(db.session, [e1.id])[e1.id] == {
        "event_id": e1.id,
        # in person, registered, not walk-ins: 花子, 一郎, 四郎 (merged: once), 九 (promoted); on demand: 七海
        "registered": {"in_person": 4, "on_demand": 1, "total": 5},
        "waitlisted": 1,  # 十
        "cancelled": 2,  # 三郎 (checked in, then cancelled), 五郎; 四郎's cancelled double does not count
        # checked in: 花子, 一郎, 六子 (walk-in); on demand: 七海
        "attended": {"in_person": 3, "walk_in": 1, "on_demand": 1, "total": 4},
        "on_demand_views": {"viewers": 0, "views": 0},  # 七海 never opened her viewing page (test_viewing_counts.py)
        "attendance_rate": {"n": 2, "d": 4, "pct": 50.0},  # 花子, 一郎 of 花子, 一郎, 四郎, 九
        # new to A: 一郎, 六子, 七海 (花子 came to H); to the programme: 一郎, 六子 (七海 came to E0)
        "new_participants": {"series": {"n": 3, "d": 4, "pct": 75.0},
                             "programme": {"n": 2, "d": 4, "pct": 50.0}},
        # 東病院 (花子 at H) and 西クリニック (new); 七海 has none
        "new_organizations": {"n": 1, "d": 2, "pct": 50.0},
        "indicators": {
            "applicability": NULL,  # nobody answered it
            "collaboration": {"n": 2, "d": 3, "pct": 66.7},  # yes, rather_yes of yes, no, rather_yes
            "satisfaction": {"n": 1, "d": 2, "pct": 50.0},  # very_satisfied of very_satisfied, neutral
        },
        # 花子's sheet only: the two anonymous sheets count for the indicators, not the rate
        "responses": {"n": 1, "d": 4, "pct": 25.0},
    }


def test_merged_persons_count_once_and_are_not_new_again(programme):
    e1, e2 = programme.events["E1"], programme.events["E2"]
    before = event_summaries(db.session, [e2.id])[e2.id]
    # 七海 came to E0 and E1; 伊藤 and the phone-only 佐藤 are new to A and to the programme
    assert before["new_participants"] == {"series": {"n": 2, "d": 3, "pct": 66.7},
                                          "programme": {"n": 2, "d": 3, "pct": 66.7}}
    assert before["new_organizations"] == NULL  # no attendee with an organization
    assert pooled_summary(db.session, [e1.id, e2.id])["distinct_persons"] == 6

    merge_ichiro(programme)
    after = event_summaries(db.session, [e2.id])[e2.id]
    assert after["attended"] == {"in_person": 3, "walk_in": 1, "on_demand": 0, "total": 3}
    assert after["registered"] == {"in_person": 2, "on_demand": 0, "total": 2}  # the walk-in is not registered
    assert after["attendance_rate"] == {"n": 2, "d": 2, "pct": 100.0}
    # 佐藤 is now the 一郎 who came to E1: only 伊藤 is new
    assert after["new_participants"] == {"series": {"n": 1, "d": 3, "pct": 33.3},
                                         "programme": {"n": 1, "d": 3, "pct": 33.3}}
    assert after["new_organizations"] == {"n": 0, "d": 1, "pct": 0.0}  # 東病院, known in A
    pooled = pooled_summary(db.session, [e1.id, e2.id])
    assert (pooled["attended"]["total"], pooled["distinct_persons"]) == (7, 5)  # 延べ 4 + 3, 実人数 5


def test_the_fiscal_year_report_pools_series_goals_and_scenes(programme):
    merge_ichiro(programme)
    e0, e1, e2 = (programme.events[k] for k in ("E0", "E1", "E2"))
    a, b = programme.persons["series_a"], programme.persons["series_b"]
    report = fiscal_year_report(db.session, 2025)
    assert (report["fiscal_year"], report["label"]) == (2025, "令和7年度")
    assert [row["event_id"] for row in report["events"]] == [e0.id, e1.id, e2.id]  # H is FY2024
    joint = report["events"][2]
    assert (joint["series"], joint["series_id"], joint["joint_series_ids"]) == ("介護と医療をつむぐ会", a.id, [b.id])
    assert joint["starts_at"].isoformat() == "2025-10-04T18:30:00+09:00"
    assert (joint["goals"], joint["scenes"], joint["area"]) == (["collaboration"], ["end_of_life"], None)
    assert report["events"][1]["goals"] == ["sharing", "collaboration"]  # in the goals' own order

    series = {row["series_id"]: row for row in report["by_series"]}
    assert [row["name"] for row in report["by_series"]] == ["介護と医療をつむぐ会", "市民公開講座"]
    # A: E1 + E2. New to A: 3 at E1 + 1 (伊藤) at E2 of 4 + 3
    assert series[a.id]["events"] == 2
    assert series[a.id]["new_participants"]["series"] == {"n": 4, "d": 7, "pct": 57.1}
    assert series[a.id]["new_organizations"] == {"n": 1, "d": 3, "pct": 33.3}
    assert series[a.id]["distinct_persons"] == 5  # 花子 一郎 六子 七海 伊藤
    # B: E0 + the joint E2, counted against B: E0 七海 new; E2 一郎 and 伊藤 new to B (七海 came to E0)
    assert series[b.id]["events"] == 2
    assert series[b.id]["attended"] == {"in_person": 4, "walk_in": 1, "on_demand": 0, "total": 4}
    assert series[b.id]["new_participants"]["series"] == {"n": 3, "d": 4, "pct": 75.0}
    assert series[b.id]["new_organizations"] == {"n": 1, "d": 1, "pct": 100.0}  # 東病院 new to B
    assert series[b.id]["distinct_persons"] == 3

    goals = {row["code"]: row for row in report["by_goal"]}
    assert [row["code"] for row in report["by_goal"]] == ["awareness", "acp", "sharing", "collaboration"]
    assert goals["collaboration"]["events"] == 2 and goals["sharing"]["events"] == 1
    assert goals["collaboration"]["attended"]["total"] == 7 and goals["sharing"]["attended"]["total"] == 4
    assert goals["acp"]["events"] == 0 and goals["acp"]["attended"]["total"] == 0
    assert goals["collaboration"]["label"] == "④多職種連携"
    scenes = {row["code"]: row for row in report["by_scene"]}
    assert (scenes["daily"]["events"], scenes["end_of_life"]["events"], scenes["common"]["events"]) == (1, 2, 1)
    assert scenes["end_of_life"]["distinct_persons"] == 5

    # the total counts E1 once although it sits in two goals and two scenes
    assert report["total"] == {
        "registered": {"in_person": 7, "on_demand": 1, "total": 8},  # 1 + 4 + 2; 七海 on demand at E1
        "waitlisted": 1, "cancelled": 2,
        "attended": {"in_person": 7, "walk_in": 2, "on_demand": 1, "total": 8},  # 1 + 4 + 3
        "on_demand_views": {"viewers": 0, "views": 0},
        "attendance_rate": {"n": 5, "d": 7, "pct": 71.4},  # 1/1 + 2/4 + 2/2
        "new_participants": {"series": {"n": 5, "d": 8, "pct": 62.5},  # 1 + 3 + 1
                             "programme": {"n": 4, "d": 8, "pct": 50.0}},  # 1 + 2 + 1
        "new_organizations": {"n": 1, "d": 3, "pct": 33.3},  # 0/0 + 1/2 + 0/1
        "indicators": {"acp_share": NULL, "applicability": NULL,
                       "collaboration": {"n": 2, "d": 3, "pct": 66.7}, "satisfaction": {"n": 1, "d": 2, "pct": 50.0}},
        "responses": {"n": 1, "d": 8, "pct": 12.5},  # 花子's sheet at E1; the anonymous ones are not in it
        "events": 3, "distinct_persons": 5,
    }


def test_drafts_and_cancelled_events_stay_out_of_the_report(app, make_event):
    kept = make_event()
    make_event(day=date(2025, 8, 1), published=False)
    dropped = make_event(day=date(2025, 9, 1))
    set_event_status(db.session, dropped, EventStatus.CANCELLED)
    assert [row["event_id"] for row in fiscal_year_report(db.session, 2025)["events"]] == [kept.id]
    assert fiscal_year_report(db.session, 2030)["total"]["events"] == 0


def test_pooling_takes_the_rate_of_the_sums_not_the_mean_of_rates(app, make_event):
    first, second = make_event(day=date(2025, 7, 11)), make_event(day=date(2025, 10, 4))
    for index in range(10):
        sheet(first, satisfaction="satisfied" if index < 9 else "neutral")  # 9/10 = 90 %
    for index in range(10):
        sheet(second, satisfaction="satisfied" if index < 1 else "neutral")  # 1/10 = 10 %
    assert pooled_summary(db.session, [first.id, second.id])["indicators"]["satisfaction"] == \
        {"n": 10, "d": 20, "pct": 50.0}
    third = make_event(day=date(2025, 12, 12))
    for index in range(5):
        sheet(third, satisfaction="satisfied" if index < 1 else "neutral")  # 1/5 = 20 %
    # 10/15 = 66.7 %, where the mean of 90 % and 20 % would say 55 %
    assert pooled_summary(db.session, [first.id, third.id])["indicators"]["satisfaction"] == \
        {"n": 10, "d": 15, "pct": 66.7}


def test_an_event_id_given_twice_is_pooled_once(programme):
    e1 = programme.events["E1"]
    once, twice = pooled_summary(db.session, [e1.id]), pooled_summary(db.session, [e1.id, e1.id])
    assert once == twice and once["events"] == 1 and once["attended"]["total"] == 4


def test_the_keys_are_those_of_design_section_6(programme):
    ids = [event.id for event in programme.events.values()]
    for summary in event_summaries(db.session, ids).values():
        assert set(summary) == SUMMARY_KEYS
        assert set(summary["registered"]) == {"in_person", "on_demand", "total"}
        assert set(summary["attended"]) == {"in_person", "walk_in", "on_demand", "total"}
        assert set(summary["on_demand_views"]) == {"viewers", "views"}
        assert set(summary["new_participants"]) == {"series", "programme"}
    assert set(pooled_summary(db.session, ids)) == POOLED_KEYS
    report = fiscal_year_report(db.session, 2025)
    assert set(report) == {"fiscal_year", "label", "events", "by_series", "by_goal", "by_scene", "total"}
    extra = {"title", "series", "series_id", "joint_series_ids", "starts_at", "ends_at", "goals", "scenes", "area"}
    assert all(set(row) == SUMMARY_KEYS | extra for row in report["events"])
    assert all(set(row) == POOLED_KEYS | {"series_id", "name"} for row in report["by_series"])
    assert all(set(row) == POOLED_KEYS | {"code", "label"} for row in report["by_goal"] + report["by_scene"])
    assert set(report["total"]) == POOLED_KEYS


def test_unknown_and_empty_events_give_zeros(app, make_event):
    event = make_event()
    summaries = event_summaries(db.session, [event.id, 999999])
    assert summaries[event.id]["attended"] == {"in_person": 0, "walk_in": 0, "on_demand": 0, "total": 0}
    assert summaries[event.id]["indicators"]["satisfaction"] == NULL
    assert summaries[999999]["indicators"] == {} and summaries[999999]["responses"] == NULL
    assert pooled_summary(db.session, [])["events"] == 0


# --- a fixed number of queries --------------------------------------------------------------




def busy_events(make_event, make_series, count: int, *, start: int = 0) -> list[int]:
    """Events with a registrant, a check-in and a sheet each, some of them joint."""
    lecture = make_series("市民公開講座", Audience.CITIZENS)
    ids = []
    for index in range(start, start + count):
        joint = [lecture.id] if index % 3 == 0 else []
        event = make_event(day=date(2025, 4, 1) + timedelta(days=7 * index), joint_series_ids=joint,
                           goals=["collaboration", "sharing"][: 1 + index % 2])
        come(event, sign_up(event, who(f"参加 {index}", "さんか いち", email=f"q{index}@example.jp")))
        sign_up(event, who(f"視聴 {index}", "しちょう に", email=f"w{index}@example.jp"))
        sheet(event, satisfaction="satisfied")
        ids.append(event.id)
    return ids


def test_the_number_of_queries_does_not_grow_with_the_events(app, make_event, make_series):
    ids = busy_events(make_event, make_series, 3)
    one, three_summaries = queries(lambda: event_summaries(db.session, ids[:1])), \
        queries(lambda: event_summaries(db.session, ids))
    pooled_small = queries(lambda: pooled_summary(db.session, ids))
    year_small = queries(lambda: fiscal_year_report(db.session, 2025))
    ids += busy_events(make_event, make_series, 17, start=3)
    twenty = queries(lambda: event_summaries(db.session, ids))
    pooled_large = queries(lambda: pooled_summary(db.session, ids))
    year_large = queries(lambda: fiscal_year_report(db.session, 2025))
    assert one == three_summaries == twenty == 2  # the counts; the survey counts (n/d and responses)
    assert pooled_small == pooled_large == 3
    assert year_small == year_large == 7
    assert len(fiscal_year_report(db.session, 2025)["events"]) == 20


# --- the history behind "new": first attendances per series ---------------------------------


def test_new_counts_only_attendances_at_earlier_events_of_the_series(app, make_event, make_series):
    """Each rule of "attended an earlier event of the series", one person or organization
    apiece, asked of one event A (series A, 2025-06-01 18:30) alone and in the year's report.

      C0  (C, 2024-05-01, FY2024): 丑 checked in — history for the programme only, and a
          series the 2025 report has no event of
      A0  (A, 05-01, cancelled afterwards): 甲 checked in — a cancelled event had nobody attend
      B1  (B + joint A, 05-10): 乙, and 己 of 西クリニック, checked in — history for A and B
      B2  (B, 05-20): 丙, and 辛 of 南薬局, checked in — history for the programme, not for A
      A1  (A, 05-15): 子 registered and never came — no history
      TIE (A, 06-01 18:30, the same start as A): 丁 checked in — not earlier than A
      A   attendees 甲 乙 丙 丁 子 丑, 戊 of 西クリニック, 壬 of 南薬局 (colleagues of 己 and 辛,
          who are not A's registrants), and 癸 on demand, who came to LATER only
      LATER (A, 07-01): 戊 and 癸 checked in — after A, so no history for A; 戊 is not new there
    """
    a, b = make_series("介護と医療をつむぐ会"), make_series("市民公開講座", Audience.CITIZENS)
    c = make_series("出前講座", Audience.CITIZENS)
    person = {name: who(f"{name} 太郎", email=f"{index}@example.jp", organization=org)
              for index, (name, org) in enumerate([("甲", ""), ("乙", ""), ("丙", ""), ("丁", ""), ("子", ""),
                                                   ("丑", ""), ("戊", "西クリニック"), ("己", "西クリニック"),
                                                   ("壬", "南薬局"), ("辛", "南薬局"), ("癸", "")])}
    c0 = make_event(series=c, day=date(2024, 5, 1))
    come(c0, sign_up(c0, person["丑"]))
    a0 = make_event(series=a, day=date(2025, 5, 1))
    come(a0, sign_up(a0, person["甲"]))
    set_event_status(db.session, a0, EventStatus.CANCELLED)
    b1 = make_event(series=b, day=date(2025, 5, 10), joint_series_ids=[a.id])
    b2 = make_event(series=b, day=date(2025, 5, 20))
    for event, names in ((b1, ("乙", "己")), (b2, ("丙", "辛"))):
        for name in names:
            come(event, sign_up(event, person[name]))
    a1 = make_event(series=a, day=date(2025, 5, 15))
    sign_up(a1, person["子"])
    tie = make_event(series=a, day=date(2025, 6, 1))
    come(tie, sign_up(tie, person["丁"]))
    event = make_event(series=a, day=date(2025, 6, 1), format=EventFormat.HYBRID)
    for name in ("甲", "乙", "丙", "丁", "子", "丑", "戊", "壬"):
        come(event, sign_up(event, person[name]))
    sign_up(event, person["癸"], RegistrationMode.ON_DEMAND)
    later = make_event(series=a, day=date(2025, 7, 1))
    for name in ("戊", "癸"):
        come(later, sign_up(later, person[name]))

    summaries = event_summaries(db.session, [event.id, tie.id, later.id])
    assert summaries[event.id]["attended"]["total"] == 9
    # new to A: all but 乙 (who came to the joint B1); to the programme: 甲 丁 子 戊 壬 癸
    assert summaries[event.id]["new_participants"] == {"series": {"n": 8, "d": 9, "pct": 88.9},
                                                      "programme": {"n": 6, "d": 9, "pct": 66.7}}
    # 西クリニック came to A through 己 at the joint B1; 南薬局 only to B (辛 at B2)
    assert summaries[event.id]["new_organizations"] == {"n": 1, "d": 2, "pct": 50.0}
    assert summaries[tie.id]["new_participants"]["series"] == {"n": 1, "d": 1, "pct": 100.0}
    # LATER: 戊 came to A (and 西クリニック with him), 癸 watched A on demand
    assert summaries[later.id]["new_participants"]["series"] == {"n": 0, "d": 2, "pct": 0.0}
    assert summaries[later.id]["new_organizations"] == {"n": 0, "d": 1, "pct": 0.0}
    assert event_summaries(db.session, [event.id]) == {event.id: summaries[event.id]}  # asked alone

    report = fiscal_year_report(db.session, 2025)
    rows = {row["event_id"]: row for row in report["events"]}
    assert a0.id not in rows and c0.id not in rows
    for event_id, summary in summaries.items():
        assert {key: rows[event_id][key] for key in summary} == summary
    # under A: B1 乙 己 new (甲's A0 was cancelled), A1 nobody came, TIE 丁, A 8 of 9, LATER none of 2
    series_a = next(row for row in report["by_series"] if row["series_id"] == a.id)
    assert series_a["events"] == 5
    assert series_a["new_participants"]["series"] == {"n": 2 + 0 + 1 + 8 + 0, "d": 2 + 0 + 1 + 9 + 2, "pct": 78.6}
