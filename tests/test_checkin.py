"""Check-in rules (checkin/service.py), one test each, and the same rules under concurrent
scans from threads and processes, on both database engines."""
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update as sa_update

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import EventFormat
from eventsapp.checkin.models import CheckIn, CheckInMethod, RefusalReason, RefusedScan
from eventsapp.checkin.service import (
    CheckInError,
    Scan,
    admit_walk_in,
    check_in,
    find_at_door,
    live_counts,
    ticket_hash,
    ticket_list,
    undo_check_in,
)
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import RegistrationError, cancel, register
from tests_support import under_way

IN_PERSON, ON_DEMAND, STAFF = RegistrationMode.IN_PERSON, RegistrationMode.ON_DEMAND, RegistrationSource.STAFF


def person(n: int, **kw) -> PersonFields:
    """Person n: 受付 n号, うけつけ and n spelt in kana (1 → い, 12 → いう)."""
    values = dict(family_name="受付", given_name=f"{n}号", family_kana="うけつけ",
                  given_kana="".join("あいうえおかきくけこ"[int(d)] for d in str(n)),
                  email=f"door{n}@example.jp")
    values.update(kw)
    return PersonFields(**values)


@pytest.fixture
def event(make_event):
    return make_event(capacity=100, **under_way())


@pytest.fixture
def registered(event):
    """A factory of in-person registrations for the event."""
    def make(n: int, event_id: int | None = None, mode=IN_PERSON, **kw) -> Registration:
        return register(db.session, event_id=event_id or event.id, person=person(n, **kw), mode=mode,
                        source=STAFF).registration
    return make


@pytest.fixture
def staff(make_user):
    return make_user("door", Role.RECEPTION)


def scan(event_id: int, ticket: str, nonce: str = "nonce-0001", staff=None, **kw):
    return check_in(db.session, event_id=event_id, scan=Scan(ticket=ticket, nonce=nonce, **kw), staff=staff)


def refusal(event_id: int, ticket: str, nonce: str = "nonce-0001", **kw) -> str:
    with pytest.raises(CheckInError) as excinfo:
        scan(event_id, ticket, nonce, **kw)
    return excinfo.value.code


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_first_scan_checks_in_with_staff_device_and_both_clocks(event, registered, staff):
    registration = registered(1)
    device_time = now() - timedelta(minutes=3)
    result = scan(event.id, registration.ticket_token, staff=staff, scanned_at=device_time, device="iPad 受付1")
    assert (result.result, result.registration_id, result.checked_in_at) == ("checked_in", registration.id, device_time)
    checkin = db.session.scalar(select(CheckIn))
    assert (checkin.registration_id, checkin.method, checkin.staff_user_id, checkin.device, checkin.nonce) == (
        registration.id, CheckInMethod.QR, staff.id, "iPad 受付1", "nonce-0001")
    assert checkin.scanned_at == device_time and abs(checkin.created_at - now()) < timedelta(seconds=30)


def test_a_later_scan_is_already_checked_in_with_the_first_time(event, registered):
    ticket = registered(1).ticket_token
    first = scan(event.id, ticket, "nonce-first")
    again = scan(event.id, ticket, "nonce-again")
    assert again.result == "already_checked_in" and again.checked_in_at == first.checked_in_at
    assert count(CheckIn) == 1


def test_the_same_nonce_again_replays_the_first_answer_and_writes_nothing(event, registered):
    ticket = registered(1).ticket_token
    first = scan(event.id, ticket, "nonce-same")
    replayed = scan(event.id, ticket, "nonce-same")
    assert (replayed.result, replayed.checked_in_at) == ("checked_in", first.checked_in_at)
    assert count(CheckIn) == 1 and count(RefusedScan) == 0


def test_an_unknown_ticket_is_refused_and_stored_with_its_reason_and_device(event, staff):
    assert refusal(event.id, "no-such-ticket", device="受付2", staff=staff) == "unknown_ticket"
    stored = db.session.scalar(select(RefusedScan))
    assert (stored.event_id, stored.reason, stored.ticket, stored.device, stored.staff_user_id) == (
        event.id, RefusalReason.UNKNOWN_TICKET, "no-such-ticket", "受付2", staff.id)


def test_a_ticket_of_another_event_is_refused(event, registered, make_event):
    other = make_event(title="別の会", **under_way())
    ticket = registered(1, event_id=other.id).ticket_token
    assert refusal(event.id, ticket) == "other_event"
    assert count(CheckIn) == 0 and count(RefusedScan, RefusedScan.reason == RefusalReason.OTHER_EVENT) == 1


def test_a_cancelled_registration_is_refused(event, registered):
    registration = registered(1)
    cancel(db.session, registration_id=registration.id)
    assert refusal(event.id, registration.ticket_token) == "cancelled"
    assert count(RefusedScan, RefusedScan.reason == RefusalReason.CANCELLED) == 1


def test_a_waitlisted_ticket_is_refused_until_staff_admit_it(make_event, registered):
    small = make_event(capacity=1, **under_way())
    registered(1, event_id=small.id)
    waiting = registered(2, event_id=small.id)
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert refusal(small.id, waiting.ticket_token, "nonce-wait-1") == "waitlisted"
    result = scan(small.id, waiting.ticket_token, "nonce-wait-2", admit=True)
    assert result.result == "checked_in"
    assert db.session.get(Registration, waiting.id).status == RegistrationStatus.REGISTERED


def test_a_refusal_is_replayed_for_its_nonce_and_stored_once(event):
    assert refusal(event.id, "unknown-one", "nonce-refused") == "unknown_ticket"
    assert refusal(event.id, "unknown-one", "nonce-refused") == "unknown_ticket"
    assert count(RefusedScan) == 1


@pytest.mark.parametrize("ticket", ["", "x" * 10_000, "チケット", "' OR 1=1 --", "<script>alert(1)</script>",
                                    "abc\x00def"])
def test_malformed_tickets_are_unknown_and_stored_cut_to_fit(event, ticket):
    assert refusal(event.id, ticket) == "unknown_ticket"
    stored = db.session.scalar(select(RefusedScan))
    assert len(stored.ticket) <= 100 and "\x00" not in stored.ticket
    assert count(CheckIn) == 0


@pytest.mark.parametrize("shift", [timedelta(days=2), timedelta(days=-3650)])
def test_a_future_or_absurd_device_time_is_refused(event, registered, shift):
    registration = registered(1)
    assert refusal(event.id, registration.ticket_token, scanned_at=now() + shift) == "invalid_scanned_at"
    assert count(CheckIn) == 0
    assert db.session.scalar(select(RefusedScan.reason)) == RefusalReason.INVALID


def test_a_malformed_nonce_is_refused(event, registered):
    assert refusal(event.id, registered(1).ticket_token, "short") == "invalid_nonce"
    assert count(CheckIn) == 0


def test_an_organizer_back_fills_a_check_in_long_after_the_event(make_event, registered, make_user):
    past = make_event()  # 令和7年7月11日: the organizers' door has no end
    registration = registered(1, event_id=past.id)
    organizer = make_user("backfill", Role.ORGANIZER)
    assert scan(past.id, registration.ticket_token, staff=organizer).result == "checked_in"


def test_a_nonce_used_at_another_event_is_refused(event, registered, make_event):
    other = make_event(title="別の会", **under_way())
    scan(other.id, registered(1, event_id=other.id).ticket_token, "nonce-shared")
    assert refusal(event.id, registered(2).ticket_token, "nonce-shared") == "nonce_reused"


def test_manual_entry_by_registration_number(event, registered):
    registration = registered(1)
    result = check_in(db.session, event_id=event.id, staff=None,
                      scan=Scan(registration_id=registration.id, nonce="nonce-manual", method=CheckInMethod.NUMBER))
    assert result.result == "checked_in"
    assert db.session.scalar(select(CheckIn.method)) == CheckInMethod.NUMBER
    with pytest.raises(CheckInError) as excinfo:
        check_in(db.session, event_id=event.id, staff=None, scan=Scan(registration_id=999_999, nonce="nonce-none"))
    assert excinfo.value.code == "unknown_ticket"


# --- walk-ins -------------------------------------------------------------------------


def test_a_walk_in_is_registered_and_checked_in_at_once(event, staff):
    walk_in = admit_walk_in(db.session, event_id=event.id, staff=staff,
                            person=PersonFields(family_name="飛込", given_name="一郎", family_kana="とびこみ"))
    registration = walk_in.registration
    assert walk_in.created and registration.source == RegistrationSource.WALK_IN
    assert registration.status == RegistrationStatus.REGISTERED and registration.mode == IN_PERSON
    assert db.session.scalar(select(CheckIn.method)) == CheckInMethod.WALK_IN


def test_a_walk_in_who_had_registered_is_checked_in_on_that_registration(event, registered):
    registration = registered(5)
    walk_in = admit_walk_in(db.session, event_id=event.id, staff=None,
                            person=PersonFields(family_name="受付", family_kana="ウケツケ", email="DOOR5@example.jp"))
    assert not walk_in.created and walk_in.registration.id == registration.id
    # found by the walk-in form: its method is walk_in, though its source stays a pre-registration
    assert count(Registration) == 1 and db.session.scalar(select(CheckIn.method)) == CheckInMethod.WALK_IN
    assert walk_in.registration.source == STAFF


def test_a_walk_in_needs_a_name_and_a_way_to_know_them_again(event):
    with pytest.raises(RegistrationError) as excinfo:
        admit_walk_in(db.session, event_id=event.id, staff=None, person=PersonFields(family_name="名無"))
    assert excinfo.value.code == "identity_required"
    assert count(Registration) == 0


def test_a_walk_in_is_admitted_even_when_the_event_is_full(make_event, registered):
    full = make_event(capacity=1, waitlist=False, **under_way())
    registered(1, event_id=full.id)
    walk_in = admit_walk_in(db.session, event_id=full.id, staff=None, person=person(2))
    assert walk_in.registration.status == RegistrationStatus.REGISTERED


# --- undo, counts, ticket list, search ------------------------------------------------


def test_undo_within_five_minutes_is_logged(event, registered, staff):
    registration = registered(1)
    scan(event.id, registration.ticket_token, "nonce-undo")
    undo_check_in(db.session, event_id=event.id, registration_id=registration.id, staff=staff)
    assert count(CheckIn) == 0
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "undo_checkin"))
    assert (log.user_id, log.target, log.detail["nonce"]) == (staff.id, f"registration:{registration.id}", "nonce-undo")
    assert scan(event.id, registration.ticket_token, "nonce-after-undo").result == "checked_in"


def test_undo_after_five_minutes_or_of_nothing_is_refused(event, registered):
    registration = registered(1)
    with pytest.raises(CheckInError) as excinfo:
        undo_check_in(db.session, event_id=event.id, registration_id=registration.id, staff=None)
    assert excinfo.value.code == "not_checked_in"
    scan(event.id, registration.ticket_token)
    checkin = db.session.scalar(select(CheckIn))
    checkin.created_at = now() - timedelta(minutes=6)
    db.session.commit()
    with pytest.raises(CheckInError) as excinfo:
        undo_check_in(db.session, event_id=event.id, registration_id=registration.id, staff=None)
    assert excinfo.value.code == "undo_expired"
    assert count(CheckIn) == 1


def test_organizers_undo_an_old_check_in_reception_only_within_five_minutes(event, registered, staff, make_user):
    """The five-minute UNDO_WINDOW is reception's (a slip at the desk); organizers and admins
    correct the list at any time. Each undo is logged with the check-in it removed."""
    organizer, admin = make_user("jimukyoku", Role.ORGANIZER), make_user("kanri", Role.ADMIN)
    first, second = registered(1), registered(2)
    for n, registration in enumerate((first, second)):
        scan(event.id, registration.ticket_token, f"nonce-old-{n}")
    db.session.execute(sa_update(CheckIn).values(created_at=now() - timedelta(minutes=5, seconds=1)))
    db.session.commit()
    with pytest.raises(CheckInError) as excinfo:
        undo_check_in(db.session, event_id=event.id, registration_id=first.id, staff=staff)
    assert excinfo.value.code == "undo_expired" and count(CheckIn) == 2
    db.session.execute(sa_update(CheckIn).values(created_at=now() - timedelta(hours=3)))
    db.session.commit()
    undo_check_in(db.session, event_id=event.id, registration_id=first.id, staff=organizer)
    undo_check_in(db.session, event_id=event.id, registration_id=second.id, staff=admin)
    assert count(CheckIn) == 0
    logs = db.session.scalars(select(AuditLog).where(AuditLog.action == "undo_checkin").order_by(AuditLog.id)).all()
    assert [(log.user_id, log.target, log.detail["nonce"]) for log in logs] == [
        (organizer.id, f"registration:{first.id}", "nonce-old-0"), (admin.id, f"registration:{second.id}", "nonce-old-1")]


def test_reception_undoes_its_own_check_in_at_four_minutes_fifty_nine(event, registered, staff):
    registration = registered(1)
    scan(event.id, registration.ticket_token, "nonce-edge")
    checkin = db.session.scalar(select(CheckIn))
    undo_check_in(db.session, event_id=event.id, registration_id=registration.id, staff=staff,
                  at=checkin.created_at + timedelta(minutes=4, seconds=59))
    assert count(CheckIn) == 0


def test_live_counts(make_event, registered):
    event = make_event(capacity=3, format=EventFormat.HYBRID, **under_way())
    regs = [registered(n, event_id=event.id) for n in range(1, 4)]  # 3 in person: the event is full
    waiting = registered(4, event_id=event.id)  # waitlisted
    registered(5, event_id=event.id, mode=ON_DEMAND)
    registered(6, event_id=event.id, mode=ON_DEMAND)
    cancelled = registered(7, event_id=event.id, mode=ON_DEMAND)
    cancel(db.session, registration_id=cancelled.id)
    scan(event.id, regs[0].ticket_token, "nonce-c1")
    scan(event.id, regs[1].ticket_token, "nonce-c2")
    admit_walk_in(db.session, event_id=event.id, staff=None, person=person(8))
    cancel(db.session, registration_id=regs[1].id)  # checked in, then cancelled: no longer counts
    # the walk-in holds a seat too, so the cancellation promoted nobody
    assert db.session.get(Registration, waiting.id).status == RegistrationStatus.WAITLISTED
    # checked in: regs[0] and the walk-in; registered in person before the day: regs[0], regs[2]
    assert live_counts(db.session, event.id) == {
        "event_id": event.id, "checked_in": 2, "registered": 2, "registered_checked_in": 1, "walk_in": 1,
        "on_demand": 2, "waitlisted": 1,
    }


def test_ticket_list_carries_hashes_not_tokens(event, registered):
    first, second = registered(1, organization="中央病院"), registered(2)
    scan(event.id, first.ticket_token)
    listing = ticket_list(db.session, event.id)
    assert [t["number"] for t in listing] == [first.id, second.id]
    assert listing[0] == {
        "number": first.id, "ticket_hash": ticket_hash(first.ticket_token), "name": "受付 1号",
        "kana": "ウケツケ イ", "organization": "中央病院", "status": "registered", "mode": "in_person",
        "checked_in_at": listing[0]["checked_in_at"],
    }
    assert listing[0]["checked_in_at"] is not None and listing[1]["checked_in_at"] is None
    assert all(first.ticket_token not in str(value) for value in listing[0].values())


def test_search_at_the_door_ignores_kana_kind_and_width(event, registered, make_event):
    yamada = registered(1, family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ")
    registered(2, family_name="田中", given_name="一郎", family_kana="たなか", given_kana="いちろう")
    other = make_event(title="別の会", **under_way())
    registered(3, event_id=other.id, family_name="山田", given_name="太郎", family_kana="やまだ", given_kana="たろう")
    for query in ("やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "山田", "ハナコ", "山田 花子", str(yamada.id)):
        assert [r.id for r, _ in find_at_door(db.session, event_id=event.id, query=query)] == [yamada.id], query
    assert find_at_door(db.session, event_id=event.id, query="%") == []
    assert find_at_door(db.session, event_id=event.id, query="  ") == []


def test_search_at_the_door_takes_a_full_width_number(event, registered):
    first = registered(1, given_name="花子", email="hanako@example.jp")  # no digit in the name or address
    registered(2, given_name="次郎", email="jiro@example.jp")
    typed = str(first.id).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert [r.id for r, _ in find_at_door(db.session, event_id=event.id, query=typed)] == [first.id]
    assert find_at_door(db.session, event_id=event.id, query="1" * 10) == []


# --- concurrency ----------------------------------------------------------------------


def scan_in_threads(app, event_id: int, tickets: list[str], nonces: list[str]) -> list[str]:
    """Send the scans all at once, each from its own app context; returns the results."""
    def one(pair) -> str:
        ticket, nonce = pair
        with app.app_context():
            try:
                return check_in(db.session, event_id=event_id, scan=Scan(ticket=ticket, nonce=nonce), staff=None).result
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=min(len(tickets), 8)) as pool:
        return list(pool.map(one, zip(tickets, nonces, strict=True)))


def test_the_same_ticket_from_eight_threads_is_one_check_in(app, event, registered):
    ticket, event_id = registered(1).ticket_token, event.id
    db.session.remove()
    results = scan_in_threads(app, event_id, [ticket] * 8, [f"nonce-thread-{n}" for n in range(8)])
    assert sorted(results) == ["already_checked_in"] * 7 + ["checked_in"]
    assert count(CheckIn) == 1


def test_the_same_nonce_from_eight_threads_is_one_check_in_and_the_same_answer(app, event, registered):
    ticket, event_id = registered(1).ticket_token, event.id
    db.session.remove()
    results = scan_in_threads(app, event_id, [ticket] * 8, ["nonce-one-for-all"] * 8)
    assert results == ["checked_in"] * 8
    assert count(CheckIn) == 1


@pytest.mark.slow
def test_the_same_ticket_from_four_processes_is_one_check_in(app, event, registered):
    ticket, event_id = registered(1).ticket_token, event.id
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(4) as pool:
        batches = pool.starmap(scan_in_process, [(url, event_id, [ticket] * 2, [f"nonce-p{k}-{n}" for n in range(2)])
                                                 for k in range(4)])
    results = [result for batch in batches for result in batch]
    assert sorted(results) == ["already_checked_in"] * 7 + ["checked_in"]
    assert count(CheckIn) == 1


@pytest.mark.slow
def test_a_hundred_tickets_from_four_parallel_clients(app, event, registered):
    tickets, event_id = [registered(n).ticket_token for n in range(100)], event.id
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(4) as pool:
        batches = pool.starmap(scan_in_process, [(url, event_id, tickets[k::4], [f"nonce-h-{k}-{n}" for n in range(25)])
                                                 for k in range(4)])
    assert [result for batch in batches for result in batch] == ["checked_in"] * 100
    assert count(CheckIn) == 100
    # the whole queue re-sent (same nonces): nothing new
    with spawn.Pool(4) as pool:
        again = pool.starmap(scan_in_process, [(url, event_id, tickets[k::4], [f"nonce-h-{k}-{n}" for n in range(25)])
                                               for k in range(4)])
    assert [result for batch in again for result in batch] == ["checked_in"] * 100
    assert count(CheckIn) == 100


def scan_in_process(url: str, event_id: int, tickets: list[str], nonces: list[str]) -> list[str]:
    from eventsapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    return scan_in_threads(app, event_id, tickets, nonces)
