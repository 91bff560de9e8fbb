"""Colleagues who share an office e-mail or main line are several people.

An e-mail or phone alone never decides: it matches a stored person only with the same family
furigana and a given-name furigana that does not contradict. Every path that registers
(public form, staff form, API, walk-in, import) answers "already registered" only for the
matched *person*. The old rule's results can be listed and split (the inverse of a merge).
Expected values are written by hand; every DB test runs on SQLite and on PostgreSQL."""
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventsapp.auth.audit_labels import action_label, detail_text
from eventsapp.auth.models import AuditLog, Role
from eventsapp.checkin.importer import import_attendance
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.checkin.service import admit_walk_in
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.mail.models import MailKind, OutboxMail
from eventsapp.mail.outbox import send_pending
from eventsapp.people.identity import PersonFields, match_person, names_agree, possible_duplicates, resolve_person
from eventsapp.people.models import Person, SharedAddress
from eventsapp.records.merge import IdentityError, merge_persons
from eventsapp.records.privacy import erase_persons, export_person
from eventsapp.records.shared import shared_address_groups, split_candidates
from eventsapp.records.split import SplitPlan, split_person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import register
from eventsapp.reports.summary import event_summaries
from eventsapp.surveys.models import Answer, Response, ResponseSource, Survey
from tests_support import logged_in_client

OFFICE = "office@care.example.jp"
YAMADA = dict(family_name="山田", given_name="太郎", family_kana="やまだ", given_kana="たろう", email=OFFICE)
SATO = dict(family_name="佐藤", given_name="花子", family_kana="さとう", given_kana="はなこ", email=OFFICE)
SUZUKI = dict(family_name="鈴木", given_name="一郎", family_kana="すずき", given_kana="いちろう", email=OFFICE)
FORM = {"mode": "in_person", "consent": "y"}


def fields(values: dict, **overrides) -> PersonFields:
    return PersonFields(**(values | overrides))


def count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def marks() -> set[tuple[str, str]]:
    return set(db.session.execute(sa.select(SharedAddress.kind, SharedAddress.key)).all())


@pytest.fixture
def future_event(make_event):
    return make_event(day=(now() + timedelta(days=10)).date())


# --- the rule ------------------------------------------------------------------------


@pytest.mark.parametrize("a, b, agree", [
    (("やまだ", "たろう"), ("ﾔﾏﾀﾞ", "ﾀﾛｳ"), True),  # width and script
    (("やまだ", "たろう"), ("やまだ", ""), True),  # given furigana missing on one side
    (("やまだたろう", ""), ("やまだ", "たろう"), True),  # typed in one field (walk-in, import)
    (("やまだ", "たろう"), ("やまだ", "はなこ"), False),  # given furigana contradicts
    (("やまだ", "たろう"), ("さとう", "たろう"), False),  # another family
    (("やまだ", ""), ("やまだはなこ", ""), False),  # one field each, different
])
def test_names_agree_by_family_furigana_and_a_given_one_that_does_not_contradict(a, b, agree):
    one = PersonFields(family_name="山田", family_kana=a[0], given_kana=a[1])
    other = PersonFields(family_name="山田", family_kana=b[0], given_kana=b[1])
    assert names_agree(one, other) is agree
    assert names_agree(other, one) is agree


def test_without_furigana_on_a_side_the_family_name_decides():
    typed = PersonFields(family_name="山田", given_name="太郎")
    assert names_agree(typed, fields(YAMADA))
    assert not names_agree(typed, fields(SATO))
    assert names_agree(PersonFields(family_name="ＹＡＭＡＤＡ"), PersonFields(family_name="yamada"))
    assert names_agree(PersonFields(family_name="山田太郎"), typed)  # a whole name in one field


def test_the_same_email_with_another_family_furigana_is_another_person_and_marks_the_address(app):
    yamada, _ = resolve_person(db.session, fields(YAMADA))
    sato, match = resolve_person(db.session, fields(SATO, email=" Office@Care.Example.JP"))
    db.session.commit()
    assert sato.id != yamada.id
    assert (match.person, match.rule, match.candidates) == (None, None, [])
    assert match.shared == [("email", OFFICE)]
    assert marks() == {("email", OFFICE)}
    # Yamada is still found by his own name with the office address.
    again = match_person(db.session, fields(YAMADA, family_kana="ヤマダ", given_kana=""))
    assert (again.person, again.rule) == (yamada, "email")
    # Both see each other as colleagues behind a shared address, never as a duplicate to merge.
    assert [(r.person, r.shared) for r in possible_duplicates(db.session, yamada)] == [(sato, True)]


def test_the_same_email_same_family_other_given_furigana_is_a_possible_duplicate(app):
    taro, _ = resolve_person(db.session, fields(YAMADA))
    hanako, match = resolve_person(db.session, fields(YAMADA, given_name="花子", given_kana="はなこ"))
    db.session.commit()
    assert hanako.id != taro.id  # not merged
    assert match.person is None and match.shared == []
    assert marks() == set()  # the same family: perhaps a typo, so the address is not marked shared
    assert [(r.person, r.shared) for r in possible_duplicates(db.session, hanako)] == [(taro, False)]


def test_a_shared_main_line_gets_the_same_rule_as_email(app):
    line = "04-7150-0000"
    yamada, _ = resolve_person(db.session, fields(YAMADA, email="", phone=line))
    sato, match = resolve_person(db.session, fields(SATO, email="", phone="０４７１５０００００"))
    again, by_phone = resolve_person(db.session, fields(YAMADA, email="", phone=line, given_kana=""))
    db.session.commit()
    assert sato.id != yamada.id and again == yamada and by_phone.rule == "phone_kana"
    assert marks() == {("phone", "0471500000")}


# --- every registration path ---------------------------------------------------------


def test_three_colleagues_with_one_office_email_register_and_each_gets_a_ticket(client, future_event, smtp_server):
    """The issue's own trial, through the public form and a real SMTP server."""
    pages = [client.post(f"/events/{future_event.id}/register", data=FORM | person) for person in (YAMADA, SATO, SUZUKI)]
    assert [page.status_code for page in pages] == [302, 302, 302]  # to each one's own ticket page
    assert len({page.headers["Location"] for page in pages}) == 3
    persons = db.session.scalars(sa.select(Person).order_by(Person.id)).all()
    assert [p.display_name for p in persons] == ["山田 太郎", "佐藤 花子", "鈴木 一郎"]
    registrations = db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()
    assert [r.person_id for r in registrations] == [p.id for p in persons]
    assert [r.typed_family_kana for r in registrations] == ["ヤマダ", "サトウ", "スズキ"]
    assert send_pending(db.session).sent == 3
    mails = smtp_server.messages
    assert [m["To"] for m in mails] == [OFFICE] * 3
    assert all("申込を受け付けました" in m["Subject"] for m in mails)
    bodies = [m.get_body(("plain",)).get_content() for m in mails]
    for body, name, page in zip(bodies, ["山田", "佐藤", "鈴木"], pages, strict=True):
        assert name in body and page.headers["Location"] in body  # each one's own ticket
    tickets = [next(p for p in m.walk() if p.get_filename() == "ticket.png").get_content() for m in mails]
    assert len(set(tickets)) == 3
    assert marks() == {("email", OFFICE)}


def test_the_same_colleague_twice_in_hiragana_then_half_width_katakana_is_already_registered(
        client, future_event, smtp_server):
    client.post(f"/events/{future_event.id}/register", data=FORM | SATO)
    again = client.post(f"/events/{future_event.id}/register",
                        data=FORM | SATO | {"family_kana": "ｻﾄｳ", "given_kana": "ﾊﾅｺ"})
    assert again.status_code == 200 and "すでにお申込み済みです" in again.text
    assert (count(Person), count(Registration)) == (1, 1)
    assert send_pending(db.session).sent == 2
    assert [m["To"] for m in smtp_server.messages] == [OFFICE, OFFICE]
    kinds = db.session.scalars(sa.select(OutboxMail.kind).order_by(OutboxMail.id)).all()
    assert kinds == [MailKind.CONFIRMATION, MailKind.ALREADY_REGISTERED]


def test_the_api_and_staff_form_register_a_colleague_and_refind_the_same_one(app, future_event, bearer, make_user):
    headers = bearer()
    api = app.test_client()
    first = api.post(f"/api/v1/events/{future_event.id}/registrations", json=YAMADA | {"mode": "in_person"},
                     headers=headers)
    colleague = api.post(f"/api/v1/events/{future_event.id}/registrations", json=SATO | {"mode": "in_person"},
                         headers=headers)
    twice = api.post(f"/api/v1/events/{future_event.id}/registrations",
                     json=SATO | {"family_kana": "サトウ", "mode": "in_person"}, headers=headers)
    assert (first.status_code, colleague.status_code, twice.status_code) == (201, 201, 200)
    assert colleague.json["person_id"] != first.json["person_id"]
    assert twice.json["id"] == colleague.json["id"]
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    third = organizer.post(f"/admin/events/{future_event.id}/registrations/new", data=FORM | SUZUKI,
                           follow_redirects=True)
    assert "登録しました。" in third.text
    assert (count(Person), count(Registration)) == (3, 3)


def test_a_walk_in_colleague_is_another_person_and_checked_in(app, make_event, make_user):
    event = make_event(day=date(2025, 7, 11))
    organizer = make_user("door", Role.ORGANIZER)
    register(db.session, event_id=event.id, person=fields(YAMADA), mode=RegistrationMode.IN_PERSON,
             source=RegistrationSource.STAFF)
    walk_in = admit_walk_in(db.session, event_id=event.id, person=fields(SATO, given_kana=""), staff=organizer)
    yamada_again = admit_walk_in(db.session, event_id=event.id,
                                 person=PersonFields(family_name="山田", family_kana="やまだ たろう", email=OFFICE),
                                 staff=organizer)
    assert walk_in.created and not yamada_again.created
    assert walk_in.registration.person.display_name == "佐藤 花子"
    assert count(Person) == 2 and count(CheckIn) == 2


def test_an_imported_list_with_one_office_address_gives_one_person_per_name(app, make_event):
    event = make_event(day=date(2025, 7, 11))
    csv = ("氏名,ふりがな,メールアドレス\n山田 太郎,やまだ たろう,office@care.example.jp\n"
           "佐藤 花子,さとう はなこ,office@care.example.jp\n鈴木 一郎,すずき いちろう,OFFICE@care.example.jp\n")
    report = import_attendance(db.session, event_id=event.id, data=csv.encode(), commit=True)
    assert (report.rejected, report.created, report.matched) == ([], 3, 0)
    assert count(Person) == 3 and count(CheckIn) == 3


def test_two_colleagues_registering_at_once_are_two_persons(app, future_event):
    """Threads: on PostgreSQL each request has its own connection, and both wait for the event lock."""
    event_id = future_event.id
    db.session.remove()

    def one(values: dict) -> int:
        with app.app_context():
            result = register(db.session, event_id=event_id, person=fields(values), mode=RegistrationMode.IN_PERSON)
            person_id = result.registration.person_id
            db.session.remove()
            return person_id

    with ThreadPoolExecutor(2) as pool:
        person_ids = list(pool.map(one, [YAMADA, SATO]))
    assert len(set(person_ids)) == 2
    assert count(Person) == 2 and count(Registration, Registration.event_id == event_id) == 2
    assert marks() == {("email", OFFICE)}


# --- what the old rule left behind, and splitting it -----------------------------------


def old_rule_registration(event, person: Person, *, checked_in: bool = True) -> Registration:
    """A registration as the old rule made it: on the first person with the address, no typed name."""
    registration = Registration(event_id=event.id, person_id=person.id, mode=RegistrationMode.IN_PERSON,
                                status=RegistrationStatus.REGISTERED, ticket_token=secrets.token_urlsafe(16),
                                manage_token=secrets.token_urlsafe(16),
                                created_at=datetime(2025, 6, 1, tzinfo=timezone.utc))
    db.session.add(registration)
    db.session.flush()
    if checked_in:
        db.session.add(CheckIn(registration_id=registration.id, method=CheckInMethod.QR,
                               nonce=secrets.token_urlsafe(16)))
    return registration


def answer(event, registration: Registration) -> Response:
    survey = db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))
    question = next(q for q in survey.questions if q.indicator == "satisfaction")
    response = Response(survey_id=survey.id, registration_id=registration.id, source=ResponseSource.PAPER,
                        answers=[Answer(question_id=question.id, option_id=question.options[0].id)])
    db.session.add(response)
    return response


def person(values: dict) -> Person:
    found, _ = resolve_person(db.session, fields(values))
    return found


def indicators(event) -> tuple[int, int, int]:
    summary = event_summaries(db.session, [event.id])[event.id]
    new = summary["new_participants"]["series"]
    return summary["attended"]["total"], new["n"], new["d"]


def test_splitting_the_old_rules_colleague_off_corrects_participants_and_the_new_share(app, make_event, make_user):
    first, second = make_event(day=date(2025, 7, 11)), make_event(day=date(2025, 10, 4))
    yamada = person(YAMADA)
    suzuki, tanaka = person(SUZUKI | {"email": "suzuki@example.jp"}), person(SUZUKI | {
        "family_name": "田中", "family_kana": "たなか", "email": "tanaka@example.jp"})
    old_rule_registration(first, yamada)
    old_rule_registration(first, suzuki)
    sato_there = old_rule_registration(second, yamada)  # 佐藤 came, counted as 山田 by the old rule
    response = answer(second, sato_there)
    old_rule_registration(second, suzuki)
    old_rule_registration(second, tanaka)
    db.session.commit()
    # Before: second = 山田(佐藤), 鈴木, 田中 → 3 attended; 山田 and 鈴木 came to the first → new 1 (田中).
    assert indicators(second) == (3, 1, 3)
    assert indicators(first) == (2, 2, 2)  # nobody earlier: both new

    staff = make_user()
    sato = split_person(db.session, source=yamada, plan=SplitPlan((sato_there.id,), new=fields(SATO)), user=staff)

    assert (sato.display_name, sato.kana_key, sato.email_key) == ("佐藤 花子", "サトウハナコ", OFFICE)
    assert db.session.get(Registration, sato_there.id).person_id == sato.id
    answered = db.session.get(Registration, db.session.get(Response, response.id).registration_id)
    assert answered.person_id == sato.id  # the survey answer follows its registration
    assert db.session.scalar(sa.select(CheckIn.id).where(CheckIn.registration_id == sato_there.id)) is not None
    # After: second = 佐藤, 鈴木, 田中 → still 3 attended; 佐藤 and 田中 are new → 2 of 3.
    assert indicators(second) == (3, 2, 3)
    assert indicators(first) == (2, 2, 2)
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "person_split")).one()
    assert (log.user_id, log.target) == (staff.id, f"person:{yamada.id}")
    assert log.detail == {"into": sato.id, "restored": False, "moved": 1, "registration_ids": [sato_there.id]}
    assert action_label(log.action) == "参加者の分割"
    assert "移した先の参加者" in detail_text(log.detail)


def test_a_split_restores_a_wrongly_merged_person_exactly(app, make_event):
    first, second = make_event(day=date(2025, 7, 11)), make_event(day=date(2025, 10, 4))
    yamada, sato = person(YAMADA), person(SATO)
    own = register(db.session, event_id=first.id, person=fields(YAMADA), mode=RegistrationMode.IN_PERSON,
                   source=RegistrationSource.STAFF).registration
    hers = register(db.session, event_id=second.id, person=fields(SATO), mode=RegistrationMode.IN_PERSON,
                    source=RegistrationSource.STAFF).registration
    merge_persons(db.session, keep=yamada, absorb=sato)
    assert [c.person for c in split_candidates(db.session)] == [yamada]
    candidate = split_candidates(db.session)[0]
    assert ([r.id for r in candidate.registrations], candidate.absorbed) == ([hers.id], [sato])

    restored = split_person(db.session, source=yamada, plan=SplitPlan((hers.id,), restore_id=sato.id))

    assert restored == sato and sato.merged_into_id is None
    owners = dict(db.session.execute(sa.select(Registration.id, Registration.person_id)).all())
    assert owners == {own.id: yamada.id, hers.id: sato.id}
    assert split_candidates(db.session) == []


def test_a_split_refuses_what_it_cannot_do(app, make_event):
    event = make_event(day=date(2025, 7, 11))
    yamada, other = person(YAMADA), person(SUZUKI | {"email": "suzuki@example.jp"})
    theirs = old_rule_registration(event, other)
    db.session.commit()
    cases = [(SplitPlan(()), "nothing_chosen"), (SplitPlan((theirs.id,), new=fields(SATO)), "not_their_registration"),
             (SplitPlan((999999,), new=fields(SATO)), "not_their_registration")]
    for plan, code in cases:
        with pytest.raises(IdentityError) as refused:
            split_person(db.session, source=yamada, plan=plan)
        assert refused.value.code == code
    own = old_rule_registration(event, yamada, checked_in=False)
    db.session.commit()
    with pytest.raises(IdentityError) as refused:  # a person never merged into yamada cannot be "restored"
        split_person(db.session, source=yamada, plan=SplitPlan((own.id,), restore_id=other.id))
    assert refused.value.code == "not_absorbed"
    assert count(Person) == 2 and db.session.get(Registration, own.id).person_id == yamada.id


def test_shared_address_groups_find_the_old_data_and_the_cli_marks_them(app, runner):
    # Old data: 佐藤 reached the office address through her own phone + furigana, before the mark existed.
    yamada = Person(family_name="山田", given_name="太郎", family_kana="ヤマダ", given_kana="タロウ",
                    kana_key="ヤマダタロウ", email=OFFICE, email_key=OFFICE)
    sato = Person(family_name="佐藤", given_name="花子", family_kana="サトウ", given_kana="ハナコ",
                  kana_key="サトウハナコ", email=OFFICE, email_key=OFFICE)
    twin = Person(family_name="山田", given_name="太郎", family_kana="ヤマダ", given_kana="タロウ",
                  kana_key="ヤマダタロウ", email="same@example.jp", email_key="same@example.jp")
    twin_again = Person(family_name="山田", given_name="太郎", family_kana="ヤマダ", given_kana="",
                        kana_key="ヤマダ", email="same@example.jp", email_key="same@example.jp")
    db.session.add_all([yamada, sato, twin, twin_again])
    db.session.commit()
    groups = shared_address_groups(db.session)
    assert [(g.kind, g.address, g.marked, [p.id for p in g.persons]) for g in groups] == [
        ("email", OFFICE, False, [yamada.id, sato.id])]  # same@: one human twice, a duplicate, not shared

    result = runner.invoke(args=["people", "shared-addresses", "--mark"])
    assert result.exit_code == 0, result.output
    assert f"email {OFFICE} [not marked]: No.{yamada.id} 山田 太郎（ヤマダ タロウ）, No.{sato.id} 佐藤 花子" in result.output
    assert "marked as shared: 1" in result.output
    assert marks() == {("email", OFFICE)}
    assert runner.invoke(args=["people", "shared-addresses"]).output.startswith("shared addresses: 1\n  email")


def test_erasure_blanks_the_names_typed_on_registrations(app, make_event):
    event = make_event(day=date(2025, 7, 11))
    result = register(db.session, event_id=event.id, person=fields(SATO), mode=RegistrationMode.IN_PERSON,
                      source=RegistrationSource.STAFF)
    typed = export_person(db.session, result.registration.person, user=None)["registrations"][0]["typed_name"]
    assert typed == {"family_name": "佐藤", "given_name": "花子", "family_kana": "サトウ", "given_kana": "ハナコ"}
    erase_persons(db.session, [result.registration.person_id], user=None, reason="request")
    registration = db.session.get(Registration, result.registration.id)
    db.session.refresh(registration)
    assert registration.typed is None and registration.typed_family_kana is None


# --- the screens -----------------------------------------------------------------------


def test_the_person_page_shows_a_shared_address_and_no_merge_for_colleagues(app, make_user):
    yamada, sato = person(YAMADA), person(SATO)
    db.session.commit()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/people/{yamada.id}").text
    assert "共有アドレス" in page and "同じアドレスを使う別の方" in page
    assert f"/merge/{sato.id}" not in page and "同じ方かもしれない登録" not in page
    listing = organizer.get("/admin/people/shared").text
    assert OFFICE in listing and f"/admin/people/{sato.id}" in listing


def test_the_split_screen_asks_for_confirmation_before_moving(app, make_event, make_user):
    event = make_event(day=date(2025, 7, 11))
    yamada = person(YAMADA)
    theirs = old_rule_registration(event, yamada)
    db.session.commit()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    url = f"/admin/people/{yamada.id}/split"
    assert "別の方の申込を選んでください" in organizer.get(url).text
    chosen = {"registration": str(theirs.id), "target": "new"} | {k: v for k, v in SATO.items()}
    review = organizer.post(url, data=chosen)
    assert review.status_code == 200 and "この内容で分けますか？" in review.text
    assert count(Person) == 1  # nothing moved yet
    empty = organizer.post(url, data={"target": "new"} | SATO)
    assert empty.status_code == 422 and "別の方に移す申込を選んでください。" in empty.text
    bad_kana = organizer.post(url, data=chosen | {"family_kana": "sato"})
    assert bad_kana.status_code == 422 and "ふりがなは、ひらがなまたはカタカナで入力してください。" in bad_kana.text
    done = organizer.post(url, data=chosen | {"confirmed": "yes"})
    assert done.status_code == 302
    sato = db.session.scalar(sa.select(Person).where(Person.family_name == "佐藤"))
    assert done.headers["Location"].endswith(f"/admin/people/{sato.id}")
    assert db.session.get(Registration, theirs.id).person_id == sato.id
