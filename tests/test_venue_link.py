"""Linking a venue survey answer to a 受付番号: the whole family-name furigana, one message for
every mismatch, and at most 5 failed tries per number and event (then answers stay anonymous).

Numbers are sequential, so anybody at the venue can guess one; the furigana and the cap on
tries are what keep a guessed number from using up someone else's one response."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import normalize_kana
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationStatus
from eventsapp.surveys.models import Response, ResponseSource, Survey, VenueLinkTry
from eventsapp.surveys.service import MAX_LINK_FAILURES, SurveyError, submit_response

FORM = {"q_satisfaction": "satisfied", "q_collaboration": "yes", "q_applicability": "rather_no"}
ANSWERS = {"satisfaction": "satisfied", "collaboration": "yes", "applicability": "rather_no"}
MISMATCH = "受付番号とふりがな（姓）の組み合わせが一致しません。"
LOCKED = "この受付番号は、確認できない入力が続いたため、回答と結びつけられなくなりました。"


def open_event(make_event, **kw):
    return make_event(day=(now() - timedelta(days=1)).date(), **kw)  # ended yesterday: the survey is open


def register(event, n: int, family_kana: str = "ヤマダ", given_kana: str = "ハナコ",
             status: RegistrationStatus = RegistrationStatus.REGISTERED) -> Registration:
    person = Person(family_name="山田", given_name=f"花子{n}", family_kana=family_kana, given_kana=given_kana,
                    kana_key=normalize_kana(family_kana + given_kana))
    row = Registration(event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON, status=status,
                       ticket_token=f"ticket-{event.id}-{n}-xxxxxxxxxxxxxxxx",
                       manage_token=f"manage-{event.id}-{n}-xxxxxxxxxxxxxxxx")
    db.session.add(row)
    db.session.commit()
    return row


def venue_url(event) -> str:
    return "/q/" + db.session.scalar(sa.select(Survey.venue_code).where(Survey.event_id == event.id))


def linked() -> list[int | None]:
    return db.session.scalars(sa.select(Response.registration_id).order_by(Response.id)).all()


def failures(event, number: int) -> int | None:
    return db.session.scalar(sa.select(VenueLinkTry.failures)
                             .where(VenueLinkTry.event_id == event.id, VenueLinkTry.number == number))


def claim(event, number: int, kana: str):
    """A venue answer that claims a 受付番号; the code of the refusal, or 'stored'."""
    try:
        submit_response(db.session, event_id=event.id, answers=ANSWERS, source=ResponseSource.VENUE,
                        registration_id=number, claimed_kana=kana)
        return "stored"
    except SurveyError as error:
        return error.code


# --- the attack ------------------------------------------------------------------------


def test_a_guessed_number_with_the_first_kana_links_nothing(client, make_event):
    """The reported attack: the next number and the first character of a common family name."""
    event = open_event(make_event)
    victim = register(event, 1, family_kana="ヤマダ")
    url = venue_url(event)
    guessed = client.post(url, data={**FORM, "registration": str(victim.id), "registration_kana": "や"})
    assert guessed.status_code == 422 and MISMATCH in guessed.text
    assert linked() == []
    # the victim's own answer still links
    own = client.post(url, data={**FORM, "registration": str(victim.id), "registration_kana": "やまだ"})
    assert own.status_code == 302
    assert linked() == [victim.id]


def test_the_given_name_or_the_full_name_is_not_the_family_name(app, make_event):
    event = open_event(make_event)
    row = register(event, 1, family_kana="ヤマダ", given_kana="ハナコ")
    assert [claim(event, row.id, kana) for kana in ("ヤマダハナコ", "やまだ はなこ", "ハナコ", "ヤマ", "マダ")] \
        == ["link_mismatch"] * 5
    assert linked() == []


# --- one message -------------------------------------------------------------------------


def test_one_message_and_status_for_every_mismatch(client, make_event):
    event = open_event(make_event)
    other_event = open_event(make_event, title="別の研修会")
    own = register(event, 1)
    elsewhere = register(other_event, 2)
    cancelled = register(event, 3, status=RegistrationStatus.CANCELLED)
    url = venue_url(event)
    cases = {
        "no such number": {"registration": str(cancelled.id + 100), "registration_kana": "やまだ"},
        "another event's number": {"registration": str(elsewhere.id), "registration_kana": "やまだ"},
        "a cancelled registration": {"registration": str(cancelled.id), "registration_kana": "やまだ"},
        "the wrong kana": {"registration": str(own.id), "registration_kana": "たなか"},
        "not a number": {"registration": "１２ab", "registration_kana": "やまだ"},
    }
    pages = {name: client.post(url, data={**FORM, **data}) for name, data in cases.items()}
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(cases, 422)
    for name, page in pages.items():
        assert MISMATCH in page.text, name
        assert "このイベントにはありません" not in page.text, name
    assert linked() == []


def test_a_number_without_kana_asks_for_it_and_counts_no_try(client, make_event):
    event = open_event(make_event)
    row = register(event, 1)
    page = client.post(venue_url(event), data={**FORM, "registration": str(row.id), "registration_kana": " 　"})
    assert page.status_code == 422 and "ふりがな（姓）も入力してください" in page.text
    assert failures(event, row.id) is None and linked() == []


# --- normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(("stored", "typed"), [
    ("ヤマダ", "やまだ"),  # hiragana for katakana
    ("やまだ", "ヤマダ"),  # and the other way round
    ("ヤマダ", "ﾔﾏﾀﾞ"),  # half-width, voiced mark apart
    ("ヤマダ", "　や ま だ　"),  # spaces of both widths
    ("ヤマダ", "やまだ\u200b"),  # a zero-width space pasted along
    ("サイトウ", "ｻｲﾄｳ"),
    ("オーノ", "おーの"),  # long-vowel mark
    ("オーノ", "ｵｰﾉ"),  # half-width long-vowel mark
    ("オーノ", "オ-ノ"),  # hyphen-minus typed for ー
    ("オーノ", "オ－ノ"),  # full-width hyphen-minus
    ("オーノ", "オ〜ノ"),  # wave dash
    ("オーノ", "オ‐ノ"),  # hyphen
])
def test_the_family_kana_matches_after_normalisation(app, make_event, stored, typed):
    event = open_event(make_event)
    row = register(event, 1, family_kana=stored)
    assert claim(event, row.id, typed) == "stored"
    assert linked() == [row.id]


def test_normalisation_does_not_make_other_names_equal(app, make_event):
    event = open_event(make_event)
    row = register(event, 1, family_kana="オーノ")
    assert [claim(event, row.id, kana) for kana in ("オオノ", "オノ", "オーノー")] == ["link_mismatch"] * 3


# --- the cap on failed tries ---------------------------------------------------------------


def test_the_sixth_try_is_refused_even_with_the_right_kana(client, make_event):
    event = open_event(make_event)
    row = register(event, 1)
    url = venue_url(event)
    for n in range(1, MAX_LINK_FAILURES + 1):
        page = client.post(url, data={**FORM, "registration": str(row.id), "registration_kana": f"たなか{n}"})
        assert page.status_code == 422 and MISMATCH in page.text
        assert failures(event, row.id) == n
    sixth = client.post(url, data={**FORM, "registration": str(row.id), "registration_kana": "やまだ"})
    assert sixth.status_code == 429 and LOCKED in sixth.text
    assert "無記名で回答できます" in sixth.text
    assert failures(event, row.id) == 5 and linked() == []
    # the answer itself is still welcome, anonymously
    anonymous = client.post(url, data=FORM)
    assert anonymous.status_code == 302
    assert linked() == [None]


def test_a_success_before_the_cap_links(app, make_event):
    event = open_event(make_event)
    row = register(event, 1)
    assert [claim(event, row.id, "たなか") for _ in range(4)] == ["link_mismatch"] * 4
    assert claim(event, row.id, "やまだ") == "stored"
    assert linked() == [row.id] and failures(event, row.id) == 4


def test_numbers_that_do_not_exist_are_capped_too(app, make_event):
    """Enumeration: every guess at a missing number counts against that number and event."""
    event = open_event(make_event)
    other_event = open_event(make_event, title="別の研修会")
    elsewhere = register(other_event, 1)
    assert [claim(event, 4242, "やまだ") for _ in range(6)] == ["link_mismatch"] * 5 + ["link_locked"]
    assert [claim(event, elsewhere.id, "やまだ") for _ in range(6)] == ["link_mismatch"] * 5 + ["link_locked"]
    assert failures(event, 4242) == 5 and failures(event, elsewhere.id) == 5
    # counted per event: the same number at its own event is untouched and links
    assert failures(other_event, elsewhere.id) is None
    assert claim(other_event, elsewhere.id, "ヤマダ") == "stored"


def test_the_cap_is_per_number(app, make_event):
    event = open_event(make_event)
    first, second = register(event, 1), register(event, 2)
    assert [claim(event, first.id, "たなか") for _ in range(6)] == ["link_mismatch"] * 5 + ["link_locked"]
    assert claim(event, second.id, "やまだ") == "stored"
    assert linked() == [second.id]


def test_bad_answers_count_no_try(app, make_event):
    """Answers are checked first: a refused sheet tells nothing about the number."""
    event = open_event(make_event)
    row = register(event, 1)
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, answers={"satisfaction": "excellent"},
                        source=ResponseSource.VENUE, registration_id=row.id, claimed_kana="たなか")
    assert refused.value.code == "unknown_option"
    assert failures(event, row.id) is None


def test_a_wrong_kana_on_an_answered_number_is_a_mismatch_not_already_answered(app, make_event):
    """'Already answered' would tell a guesser that the number exists."""
    event = open_event(make_event)
    row = register(event, 1)
    assert claim(event, row.id, "やまだ") == "stored"
    assert claim(event, row.id, "たなか") == "link_mismatch"
    assert claim(event, row.id, "やまだ") == "already_answered"


def test_parallel_wrong_tries_count_exactly_five(app, make_event):
    """Ten wrong tries at once on one number: the row lock lets exactly five be counted."""
    event = open_event(make_event)
    number, event_id = register(event, 1).id, event.id
    db.session.remove()

    def one(n: int) -> str:
        with app.app_context():
            try:
                submit_response(db.session, event_id=event_id, answers=ANSWERS, source=ResponseSource.VENUE,
                                registration_id=number, claimed_kana=f"たなか{n}")
                return "stored"
            except SurveyError as error:
                return error.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = sorted(pool.map(one, range(10)))
    assert outcomes == ["link_locked"] * 5 + ["link_mismatch"] * 5
    assert db.session.scalar(sa.select(VenueLinkTry.failures).where(VenueLinkTry.number == number)) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VenueLinkTry)) == 1


def test_the_form_says_an_anonymous_answer_stays_possible(client, make_event):
    event = open_event(make_event)
    page = client.get(venue_url(event)).text
    assert "空欄のままでも回答できます（無記名）" in page
    assert "5回まちがえると、その受付番号では回答と結びつけられなくなります。そのときも無記名で回答できます。" in page
