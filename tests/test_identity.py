"""Identity matching, called directly: normalisers, the three rules, search and merge.

Expected values are written by hand; every DB test runs on SQLite and on PostgreSQL."""
import secrets
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from hypothesis import example, given, strategies as st

from eventsapp.auth.models import AuditLog
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.extensions import db
from eventsapp.people.identity import (
    PersonFields,
    display_kana,
    find_or_create_organization,
    is_kana,
    match_person,
    normalize_email,
    normalize_kana,
    normalize_org_name,
    normalize_phone,
    resolve_person,
    search_persons,
)
from eventsapp.people.models import Organization, Person
from eventsapp.records.merge import IdentityError, merge_persons
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationStatus
from eventsapp.surveys.models import Answer, Response, ResponseSource, Survey

HANAKO = dict(family_name="山田", given_name="花子", family_kana="やまだ", given_kana="はなこ")


def hanako(**overrides) -> PersonFields:
    return PersonFields(**(HANAKO | overrides))


def add_person(**overrides) -> Person:
    person, _ = resolve_person(db.session, hanako(**overrides))
    db.session.commit()
    return person


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- normalisers ---------------------------------------------------------------------


def test_email_ignores_case_width_and_surrounding_spaces():
    assert normalize_email("ＹＡＭＡＤＡ@Example.JP") == "yamada@example.jp"
    assert normalize_email("  Yamada@example.jp\u3000") == "yamada@example.jp"


@pytest.mark.parametrize("typed", ["やまだ はなこ", "ヤマダハナコ", "ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ　ハナコ", " やまだ　ﾊﾅｺ ", "ヤマダ・ハナコ"])
def test_every_way_of_writing_furigana_gives_one_key(typed):
    assert normalize_kana(typed) == "ヤマダハナコ"


def test_voiced_half_width_kana_become_single_full_width_letters():
    assert normalize_kana("ｶﾞｯｺｳ ﾎﾟｰﾙ") == "ガッコウポール"
    assert normalize_kana("ゔぁいおりん") == "ヴァイオリン"


def test_display_kana_keeps_one_space_between_words():
    assert display_kana("  やまだ\u3000\u3000はなこ ") == "ヤマダ ハナコ"
    assert display_kana("ﾔﾏﾀﾞ") == "ヤマダ"


def test_phone_keeps_digits_only():
    assert normalize_phone("０４-７１５０-００００") == "0471500000"
    assert normalize_phone("(04) 7150 0000") == "0471500000"
    assert normalize_phone("") == ""


def test_organization_name_ignores_width_case_and_spaces():
    assert normalize_org_name("流山中央病院 ") == normalize_org_name("流山　中央病院") == "流山中央病院"
    assert normalize_org_name("ＡＢＣ訪問看護ステーション") == normalize_org_name("abc 訪問看護ステーション")


@pytest.mark.parametrize("text", ["やまだ はなこ", "ヤマダ・ハナコ", "ﾔﾏﾀﾞ", "ヤマダ　ハナコ", "ローズ"])
def test_is_kana_accepts_hiragana_and_katakana(text):
    assert is_kana(text)


@pytest.mark.parametrize("text", ["山田", "yamada", "やまだ2", "", "   ", "ヤマダ花子"])
def test_is_kana_rejects_kanji_latin_digits_and_blank(text):
    assert not is_kana(text)


@given(st.text())
@example("わ゛")  # ゛ becomes a space and a combining mark, which compose only once joined
@example("わ\u3099")  # わ゙ has no precomposed hiragana, ヷ exists
def test_kana_key_is_idempotent_and_has_no_spaces(text):
    key = normalize_kana(text)
    assert normalize_kana(key) == key
    assert not any(c.isspace() for c in key)


@given(st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x30FF) | st.sampled_from(" ﾞﾟｶﾊ")))
def test_kana_key_is_idempotent_on_kana_heavy_text(text):
    key = normalize_kana(text)
    assert normalize_kana(key) == key


# --- organizations -------------------------------------------------------------------


def test_an_organization_is_found_again_by_its_normalised_name(app):
    first = find_or_create_organization(db.session, " 流山中央病院 ")
    again = find_or_create_organization(db.session, "流山　中央病院")
    assert first is again
    assert (first.name, first.name_key) == ("流山中央病院", "流山中央病院")
    assert find_or_create_organization(db.session, " \u3000") is None
    assert count(Organization) == 1


# --- matching ------------------------------------------------------------------------


def test_a_new_person_is_stored_with_keys_and_katakana(app):
    person = add_person(email=" Yamada@Example.jp", phone="04-7150-0000", organization="流山中央病院")
    assert (person.family_kana, person.given_kana, person.kana_key) == ("ヤマダ", "ハナコ", "ヤマダハナコ")
    assert (person.email, person.email_key) == ("Yamada@Example.jp", "yamada@example.jp")
    assert person.phone_key == "0471500000"
    assert person.organization.name == "流山中央病院"


def test_email_matches_across_case_and_width(app):
    person = add_person(email="yamada@example.jp")
    match = match_person(db.session, PersonFields(family_name="山田", email="ＹＡＭＡＤＡ@Example.JP"))
    assert (match.person, match.rule, match.candidates) == (person, "email", [])


def test_phone_and_kana_match_without_email(app):
    person = add_person(phone="04-7150-0000")
    match = match_person(db.session, hanako(family_kana="ﾔﾏﾀﾞ", given_kana="ﾊﾅｺ", phone="０４７１５０００００"))
    assert (match.person, match.rule) == (person, "phone_kana")


def test_the_same_phone_with_another_kana_is_another_person(app):
    add_person(phone="04-7150-0000")
    match = match_person(db.session, hanako(given_kana="たろう", phone="04-7150-0000"))
    assert (match.person, match.candidates) == (None, [])


@pytest.mark.parametrize("typed", ["流山中央病院 ", "流山中央病院\u3000", "流山　中央 病院"])
def test_kana_and_organization_match_across_width_and_spaces(app, typed):
    person = add_person(organization="流山中央病院")
    match = match_person(db.session, hanako(family_kana="ヤマダ", given_kana="ハナコ", organization=typed))
    assert (match.person, match.rule) == (person, "kana_organization")


def test_the_same_kana_at_two_organizations_stays_two_persons(app):
    first = add_person(organization="流山中央病院")
    second = add_person(organization="東部訪問看護ステーション")
    assert first.id != second.id
    assert count(Person) == 2
    assert count(Organization) == 2


def test_the_same_kana_without_any_contact_is_never_matched(app):
    add_person()
    person, match = resolve_person(db.session, hanako())
    assert (match.person, match.rule, match.candidates) == (None, None, [])
    assert count(Person) == 2


def test_a_phone_kana_hit_with_another_email_is_a_candidate_not_a_match(app):
    stored = add_person(email="hanako@clinic.jp", phone="04-7150-0000")
    person, match = resolve_person(db.session, hanako(email="yamada@home.jp", phone="0471500000"))
    db.session.commit()
    assert (match.person, match.rule, match.candidates) == (None, None, [stored])
    assert person.id != stored.id
    assert person.email_key == "yamada@home.jp"
    assert count(Person) == 2


def test_a_kana_organization_hit_with_another_email_is_a_candidate(app):
    stored = add_person(email="hanako@clinic.jp", organization="流山中央病院")
    match = match_person(db.session, hanako(email="yamada@home.jp", organization="流山中央病院"))
    assert (match.person, match.candidates) == (None, [stored])


def test_a_phone_kana_hit_without_a_stored_email_matches_and_gains_the_email(app):
    stored = add_person(phone="04-7150-0000")
    person, match = resolve_person(db.session, hanako(email="Yamada@Example.jp", phone="04-7150-0000"))
    db.session.commit()
    assert (person, match.rule) == (stored, "phone_kana")
    assert (person.email, person.email_key) == ("Yamada@Example.jp", "yamada@example.jp")
    # The next registration is recognised by the e-mail alone.
    assert match_person(db.session, PersonFields(family_name="山田", email="yamada@example.jp")).person == stored


def test_resolve_fills_organization_profession_and_kana_it_lacked(app):
    stored = add_person(family_kana="", given_kana="", email="yamada@example.jp")
    person, match = resolve_person(
        db.session, hanako(email="yamada@example.jp", profession="nurse", organization="流山中央病院")
    )
    assert (person, match.rule) == (stored, "email")
    assert (person.kana_key, person.profession, person.organization.name) == ("ヤマダハナコ", "nurse", "流山中央病院")


def test_resolve_never_overwrites_stored_contact_data(app):
    stored = add_person(email="yamada@example.jp", phone="04-7150-0000", organization="流山中央病院")
    person, _ = resolve_person(db.session, hanako(email="yamada@example.jp", phone="090-1111-2222", organization="東部病院"))
    assert person == stored
    assert (person.phone, person.organization.name) == ("04-7150-0000", "流山中央病院")


def test_merged_away_persons_are_never_matched(app):
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(email="yamada@home.jp", phone="04-7150-0000")
    merge_persons(db.session, keep=keep, absorb=absorb)
    by_phone = match_person(db.session, hanako(phone="04-7150-0000"))
    assert (by_phone.person, by_phone.candidates) == (keep, [])  # keep gained absorb's phone
    by_email = match_person(db.session, PersonFields(family_name="山田", email="yamada@home.jp"))
    assert (by_email.person, by_email.candidates) == (None, [])


# --- search --------------------------------------------------------------------------


@pytest.fixture
def people(app):
    return {
        "hanako": add_person(email="hanako.yamada@clinic.jp"),
        "taro": add_person(family_name="山田", given_name="太郎", family_kana="ヤマダ", given_kana="タロウ"),
        "sato": add_person(family_name="佐藤", given_name="一郎", family_kana="サトウ", given_kana="イチロウ"),
    }


def ids(persons) -> set[int]:
    return {p.id for p in persons}


def test_search_by_partial_kanji_name_with_or_without_space(people):
    assert ids(search_persons(db.session, "山田")) == ids([people["hanako"], people["taro"]])
    assert ids(search_persons(db.session, "田 花")) == ids([people["hanako"]])
    assert ids(search_persons(db.session, "山田　花子")) == ids([people["hanako"]])


def test_search_by_hiragana_finds_katakana_stored_kana(people):
    assert ids(search_persons(db.session, "やまだ た")) == ids([people["taro"]])
    assert ids(search_persons(db.session, "ｲﾁﾛｳ")) == ids([people["sato"]])


def test_search_by_email_fragment(people):
    assert ids(search_persons(db.session, "Yamada@Clinic")) == ids([people["hanako"]])
    assert search_persons(db.session, "%") == search_persons(db.session, "＿") == []  # no LIKE wildcards


def test_search_honours_the_limit_and_ignores_a_blank_query(people):
    assert len(search_persons(db.session, "山田", limit=1)) == 1
    assert search_persons(db.session, " \u3000") == []


def test_search_skips_merged_persons(people):
    merge_persons(db.session, keep=people["hanako"], absorb=people["taro"])
    assert ids(search_persons(db.session, "山田")) == ids([people["hanako"]])


# --- merge ---------------------------------------------------------------------------


def register(event, person, *, status=RegistrationStatus.REGISTERED, created_at=None) -> Registration:
    reg = Registration(
        event_id=event.id,
        person_id=person.id,
        mode=RegistrationMode.IN_PERSON,
        status=status,
        ticket_token=secrets.token_urlsafe(16),
        manage_token=secrets.token_urlsafe(16),
        created_at=created_at or datetime(2025, 6, 1, tzinfo=timezone.utc),
    )
    db.session.add(reg)
    db.session.flush()
    return reg


def check_in(reg: Registration) -> CheckIn:
    checkin = CheckIn(registration_id=reg.id, method=CheckInMethod.QR, nonce=secrets.token_urlsafe(16))
    db.session.add(checkin)
    return checkin


def answer_survey(event, reg: Registration) -> Response:
    survey = db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))  # copied when the event was made
    question = next(q for q in survey.questions if q.indicator == "satisfaction")
    response = Response(survey_id=question.survey_id, registration_id=reg.id, source=ResponseSource.PAPER)
    response.answers = [Answer(question_id=question.id, option_id=question.options[0].id)]
    db.session.add(response)
    return response


def test_merge_moves_registrations_with_their_checkins_and_responses(app, make_event, make_user):
    first, second, third = (make_event(day=date(2025, m, 11)) for m in (7, 10, 12))
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(family_kana="", given_kana="", phone="04-7150-0000", profession="nurse", organization="流山中央病院")
    own = register(first, keep)
    checked = register(second, absorb)
    checkin = check_in(checked)
    answered = register(third, absorb)
    response = answer_survey(third, answered)
    db.session.commit()
    staff = make_user()

    merge_persons(db.session, keep=keep, absorb=absorb, user=staff)

    owners = db.session.execute(sa.select(Registration.id, Registration.person_id)).all()
    assert dict(owners) == {own.id: keep.id, checked.id: keep.id, answered.id: keep.id}
    assert db.session.get(CheckIn, checkin.id).registration.person_id == keep.id
    assert db.session.get(Response, response.id).registration_id == answered.id
    assert count(Answer) == 1
    assert absorb.merged_into_id == keep.id
    assert (keep.email, keep.phone_key, keep.kana_key) == ("hanako@clinic.jp", "0471500000", "ヤマダハナコ")
    assert (keep.profession, keep.organization.name) == ("nurse", "流山中央病院")
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "person_merged")).one()
    assert (log.user_id, log.target) == (staff.id, f"person:{keep.id}")
    # the moved rows are named, so that a wrong merge can be split back exactly
    assert log.detail == {"absorbed": absorb.id, "moved": 2, "registration_ids": [checked.id, answered.id]}


def test_merge_fills_kana_from_absorbed_person(app):
    keep = add_person(family_kana="", given_kana="", email="hanako@clinic.jp")
    absorb = add_person(family_kana="ﾔﾏﾀﾞ", given_kana="ﾊﾅｺ")
    merge_persons(db.session, keep=keep, absorb=absorb)
    assert (keep.family_kana, keep.given_kana, keep.kana_key) == ("ヤマダ", "ハナコ", "ヤマダハナコ")


def test_two_live_registrations_for_one_event_keep_the_checked_in_one(app, make_event):
    event = make_event()
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(email="yamada@home.jp")
    earlier = register(event, keep, created_at=datetime(2025, 6, 1, tzinfo=timezone.utc))
    later = register(event, absorb, created_at=datetime(2025, 6, 20, tzinfo=timezone.utc))
    check_in(later)
    db.session.commit()

    merge_persons(db.session, keep=keep, absorb=absorb)

    assert later.person_id == earlier.person_id == keep.id
    assert later.status == RegistrationStatus.REGISTERED
    assert earlier.status == RegistrationStatus.CANCELLED
    assert earlier.cancelled_at is not None


def test_two_live_registrations_without_checkin_keep_the_earlier(app, make_event):
    event = make_event()
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(email="yamada@home.jp")
    # The moving row has the lower id: it must not move before the other is cancelled.
    earlier = register(event, absorb, created_at=datetime(2025, 6, 1, tzinfo=timezone.utc))
    later = register(event, keep, created_at=datetime(2025, 6, 20, tzinfo=timezone.utc))
    gone = register(event, absorb, status=RegistrationStatus.CANCELLED)
    db.session.commit()

    merge_persons(db.session, keep=keep, absorb=absorb)

    assert (earlier.status, later.status) == (RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED)
    assert gone.person_id == keep.id
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "person_merged")).one()
    assert log.detail["moved"] == 2


def test_a_seat_is_kept_over_an_earlier_waitlist_entry(app, make_event):
    event = make_event()
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(email="yamada@home.jp")
    waiting = register(event, keep, status=RegistrationStatus.WAITLISTED, created_at=datetime(2025, 6, 1, tzinfo=timezone.utc))
    seated = register(event, absorb, created_at=datetime(2025, 6, 20, tzinfo=timezone.utc))
    db.session.commit()

    merge_persons(db.session, keep=keep, absorb=absorb)

    assert (seated.status, waiting.status) == (RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED)


def test_earlier_merges_into_the_absorbed_person_follow_it(app):
    keep = add_person(email="a@example.jp")
    middle = add_person(email="b@example.jp")
    oldest = add_person(email="c@example.jp")
    merge_persons(db.session, keep=middle, absorb=oldest)
    merge_persons(db.session, keep=keep, absorb=middle)
    assert (middle.merged_into_id, oldest.merged_into_id) == (keep.id, keep.id)


def test_merging_with_itself_or_twice_is_refused(app):
    keep = add_person(email="hanako@clinic.jp")
    absorb = add_person(email="yamada@home.jp")
    with pytest.raises(IdentityError) as excinfo:
        merge_persons(db.session, keep=keep, absorb=keep)
    assert excinfo.value.code == "same_person"
    merge_persons(db.session, keep=keep, absorb=absorb)
    for pair in ((keep, absorb), (absorb, keep)):
        with pytest.raises(IdentityError) as excinfo:
            merge_persons(db.session, keep=pair[0], absorb=pair[1])
        assert excinfo.value.code == "already_merged"
    assert count(AuditLog) == 1
