"""The public state of every event (issue 17): each state on the card, on the event page and in
how the form answers; the rule's edges (残りわずか at ≤ 20 % or ≤ 5 seats); the list's query count."""
import secrets
from datetime import date, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import EventFormat, EventStatus
from eventsapp.catalog.service import set_event_status
from eventsapp.dates import now, to_tokyo, tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.availability import State, public_states
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationStatus
from tests_support import queries

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}


def in_days(days: int):
    return (now() + timedelta(days=days)).date()


def take_seats(event, n: int, *, status=RegistrationStatus.REGISTERED, mode=RegistrationMode.IN_PERSON) -> None:
    """n registrations of n new persons, written directly (no mail, no lock: set-up only)."""
    for i in range(n):
        person = Person(family_name=f"参加者{i}", family_kana="サンカシャ", kana_key=f"サンカシャ{secrets.token_hex(4)}")
        db.session.add(Registration(event=event, person=person, mode=mode, status=status,
                                    ticket_token=secrets.token_urlsafe(24), manage_token=secrets.token_urlsafe(24)))
    db.session.commit()


def state_of_event(event):
    return public_states(db.session, [event])[event.id]


# --- the rule, read directly --------------------------------------------------------------

@pytest.mark.parametrize("capacity, taken, expected, left", [
    (100, 79, State.OPEN, None),       # 21 left: more than 20 % (20) and more than 5
    (100, 80, State.FEW_LEFT, 20),     # 20 left = 20 %
    (10, 4, State.OPEN, None),         # 6 left: more than 5 and more than 2 (20 %)
    (10, 5, State.FEW_LEFT, 5),        # 5 left
    (3, 0, State.FEW_LEFT, 3),         # a small room is always "few": 3 ≤ 5
    (2, 2, State.FULL_WAITLIST, None),
    (2, 3, State.FULL_WAITLIST, None),  # staff admitted one past capacity: still full, never "−1 seats"
])
def test_seats_left_decide_between_open_few_and_full(make_event, capacity, taken, expected, left):
    event = make_event(day=in_days(20), capacity=capacity)
    take_seats(event, taken)
    state = state_of_event(event)
    assert (state.state, state.seats_left) == (expected, left)


def test_what_takes_no_seat_leaves_the_state_open(make_event):
    event = make_event(day=in_days(20), capacity=2)
    take_seats(event, 1, status=RegistrationStatus.WAITLISTED)
    take_seats(event, 1, status=RegistrationStatus.CANCELLED)
    assert state_of_event(event).seats_left == 2  # 2 ≤ 5: few, with both seats free
    unlimited = make_event(day=in_days(20), title="定員なし")
    take_seats(unlimited, 30)
    assert state_of_event(unlimited).state == State.OPEN


def test_a_full_hybrid_event_without_waitlist_still_takes_on_demand_viewing(client, make_event, make_series):
    lecture = make_series("市民公開講座", audience="citizens")
    event = make_event(series=lecture, day=in_days(20), capacity=1, waitlist=False, format=EventFormat.HYBRID)
    take_seats(event, 1)
    state = state_of_event(event)
    assert (state.state, state.on_demand_open, state.takes_registrations) == (State.FULL, True, True)
    form = client.get(f"/events/{event.id}/register").text
    assert 'value="on_demand"' in form and 'value="in_person"' not in form
    assert "録画視聴（オンデマンド）のお申込みは受け付けています" in form
    assert client.post(f"/events/{event.id}/register", data={**FORM, "mode": "in_person"}).status_code == 422
    assert client.post(f"/events/{event.id}/register", data={**FORM, "mode": "on_demand"}).status_code == 302


# --- each state on the card, the event page and the form ----------------------------------

def before_open(make_event):
    opens = now() + timedelta(days=5)
    event = make_event(day=in_days(30), capacity=30, registration_opens_at=opens)
    day = to_tokyo(opens)
    return event, f"受付前（{day.month}月{day.day}日から）", "申込受付は"


def open_(make_event):
    return make_event(day=in_days(20), capacity=30), "受付中", None


def few_left(make_event):
    event = make_event(day=in_days(20), capacity=10)
    take_seats(event, 7)
    return event, "残りわずか（あと3席）", None


def full_with_waitlist(make_event):
    event = make_event(day=in_days(20), capacity=2)  # the case: capacity 2, three registrations
    take_seats(event, 2)
    take_seats(event, 1, status=RegistrationStatus.WAITLISTED)
    return event, "満員（キャンセル待ちで受付）", "キャンセル待ちになり"


def full(make_event):
    event = make_event(day=in_days(20), capacity=2, waitlist=False)
    take_seats(event, 2)
    return event, "満員", "定員に達したため、申込を締め切りました。"


def closed(make_event):
    event = make_event(day=in_days(20), capacity=30, registration_closes_at=now() - timedelta(hours=1),
                       registration_opens_at=now() - timedelta(days=10))
    return event, "受付終了", "申込受付は終了しました。"


def cancelled(make_event):
    event = make_event(day=in_days(20), capacity=30)
    set_event_status(db.session, event, EventStatus.CANCELLED)
    return event, "中止", "このイベントは中止になりました。"


# (set-up, form served, status of a posted form, registration stored as)
STATES = {
    "before_open": (before_open, False, 422, None),
    "open": (open_, True, 302, RegistrationStatus.REGISTERED),
    "few_left": (few_left, True, 302, RegistrationStatus.REGISTERED),
    "full_waitlist": (full_with_waitlist, True, 302, RegistrationStatus.WAITLISTED),
    "full": (full, False, 409, None),
    "closed": (closed, False, 422, None),
    "cancelled": (cancelled, False, 409, None),
}


@pytest.mark.parametrize("name", STATES)
def test_each_state_on_the_card_the_event_page_and_the_form(client, make_event, name):
    setup, served, posted, stored = STATES[name]
    event, label, sentence = setup(make_event)
    registrations_before = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))

    card = client.get("/").text.split('aria-labelledby="past"')[0]  # the upcoming section
    assert event.title in card and f"state-{name}" in card and label in card

    page = client.get(f"/events/{event.id}").text
    assert f"state-{name}" in page and label in page
    assert (sentence in page) if sentence else True
    assert ("参加を申し込む" in page or "キャンセル待ちで申し込む" in page) == served
    assert ("キャンセル待ちで申し込む" in page) == (name == "full_waitlist")

    form = client.get(f"/events/{event.id}/register")
    assert form.status_code == 200
    assert ('name="family_name"' in form.text) == served  # a closed form is not served…
    if not served:
        assert sentence in form.text  # …the page says why instead

    answer = client.post(f"/events/{event.id}/register", data=FORM)
    assert answer.status_code == posted
    if stored is None:
        assert 'class="error"' not in answer.text  # not a field's error: the reason, on its own
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == registrations_before
    else:
        newest = db.session.scalar(sa.select(Registration).order_by(Registration.id.desc()).limit(1))
        assert newest.person.family_name == "山田" and newest.status == stored


def test_a_form_posted_after_the_event_filled_up_says_so_on_its_own(client, make_event):
    event = make_event(day=in_days(20), capacity=1, waitlist=False)
    assert 'name="family_name"' in client.get(f"/events/{event.id}/register").text
    take_seats(event, 1)  # someone else took the last seat meanwhile
    answer = client.post(f"/events/{event.id}/register", data=FORM)
    assert answer.status_code == 409
    assert "定員に達したため、申込を受け付けられません。" in answer.text and 'id="family_name-error"' not in answer.text


def test_past_events_show_that_they_ended(client, make_event):
    past = make_event(day=date(2025, 7, 11))
    page = client.get(f"/events/{past.id}").text
    assert "このイベントは終了しました。" in page and "参加を申し込む" not in page
    assert "受付終了" in page


def test_the_public_list_reads_all_seats_in_one_query(client, make_event):
    def listing():
        assert client.get("/").status_code == 200

    make_event(day=in_days(20), capacity=10, title="一つ目")
    make_event(day=date(2025, 7, 11), capacity=10, title="開催済み")  # the past list's queries run in both
    one = queries(listing)
    for n in range(5):
        event = make_event(day=in_days(21 + n), capacity=10, title=f"追加{n}", start=time(10), end=time(12))
        take_seats(event, n + 1)
    make_event(day=date(2025, 7, 12), capacity=10, title="開催済み2")
    assert queries(listing) == one
    page = client.get("/").text
    assert "残りわずか（あと5席）" in page and "受付中" in page  # 追加4: 5 taken of 10; 追加0: 1 taken


# --- 対象, format, the cancelled registration's page ----------------------------------------

def test_audience_and_format_on_the_card_and_the_page(client, make_event, make_series):
    lecture = make_series("市民公開講座", audience="citizens")
    professionals = make_event(day=in_days(20), title="多職種の会")
    citizens = make_event(series=lecture, day=in_days(21), title="市民の講座", format=EventFormat.HYBRID)
    joint = make_event(day=in_days(22), title="合同の会", joint_series_ids=[lecture.id], format=EventFormat.ON_DEMAND)
    cards = {c.split("</h3>")[0].rsplit(">", 2)[-2].split("<")[0]: c for c in client.get("/").text.split('<li class="card')[1:]}
    assert "対象: 専門職向け" in cards["多職種の会"] and ">会場<" in cards["多職種の会"]
    assert "対象: 市民向け" in cards["市民の講座"] and "会場+オンデマンド" in cards["市民の講座"]
    assert "対象: どなたでも" in cards["合同の会"] and ">オンデマンド<" in cards["合同の会"]
    for event, audience in ((professionals, "専門職向け"), (citizens, "市民向け"), (joint, "どなたでも")):
        assert f"<dt>対象</dt><dd>{audience}</dd>" in client.get(f"/events/{event.id}").text


def test_a_cancelled_registration_offers_no_calendar_file(client, make_event):
    event = make_event(day=in_days(20))
    ticket = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    assert f"{ticket}/calendar.ics" in client.get(ticket).text
    assert client.get(f"{ticket}/calendar.ics").status_code == 200
    client.post(f"{ticket}/cancel")
    assert "calendar.ics" not in client.get(ticket).text
    assert client.get(f"{ticket}/calendar.ics").status_code == 404


def test_the_opening_day_is_the_tokyo_day(make_event):
    day = to_tokyo(now()).date() + timedelta(days=10)
    opens = tokyo_datetime(day, time(0, 30))  # 15:30 UTC on the day before
    assert opens.astimezone(timezone.utc).day != day.day
    event = make_event(day=day + timedelta(days=10), registration_opens_at=opens)
    assert state_of_event(event).label == f"受付前（{day.month}月{day.day}日から）"
