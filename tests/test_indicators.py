"""The indicator arithmetic (checkin/attendance.py, surveys/indicators.py) by hand: every expected number below is counted on paper from
the answers the test writes (docs/architecture.md, *Indicators*:
blanks leave both sides, pooling sums counts)."""
from datetime import date

import pytest

from eventsapp.arith import rate
from eventsapp.catalog.models import Audience
from eventsapp.checkin.attendance import attended_by_event, attended_total
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.surveys.editing import OptionInput, QuestionInput, save_question
from eventsapp.surveys.indicators import indicator_rates, response_rate
from eventsapp.surveys.models import QuestionKind, ResponseSource, Survey
from eventsapp.surveys.service import submit_response

SAT = "satisfaction"


def answer(event, **answers):
    return submit_response(db.session, event_id=event.id, answers=answers, source=ResponseSource.PAPER)


def survey_of(event) -> Survey:
    return db.session.scalar(db.select(Survey).where(Survey.event_id == event.id))


def test_rate_rounds_half_up_to_one_decimal_and_is_null_without_denominator():
    assert rate(2, 3) == {"n": 2, "d": 3, "pct": 66.7}
    assert rate(1, 8) == {"n": 1, "d": 8, "pct": 12.5}
    assert rate(1, 16) == {"n": 1, "d": 16, "pct": 6.3}  # 6.25 → 6.3, not banker's 6.2
    assert rate(0, 0) == {"n": 0, "d": 0, "pct": None}


def test_blank_answers_leave_numerator_and_denominator(app, make_event):
    event = make_event()
    answer(event, satisfaction="very_satisfied", collaboration="yes")
    answer(event, satisfaction="satisfied", collaboration="no")
    answer(event, satisfaction="neutral")  # collaboration left blank
    answer(event, collaboration="rather_yes")  # satisfaction left blank
    answer(event, satisfaction="dissatisfied", comments="特になし")
    rates = indicator_rates(db.session, [event.id])
    # satisfaction: positive very_satisfied, satisfied of 4 answered → 2/4
    assert rates[SAT] == {"n": 2, "d": 4, "pct": 50.0}
    # collaboration: yes, rather_yes positive of yes, no, rather_yes → 2/3
    assert rates["collaboration"] == {"n": 2, "d": 3, "pct": 66.7}
    # applicability: nobody answered it → 0/0, listed all the same
    assert rates["applicability"] == {"n": 0, "d": 0, "pct": None}
    assert list(rates) == ["applicability", "collaboration", "satisfaction"]


def test_an_event_without_answers_gives_null_percentages(app, make_event):
    event = make_event()
    assert indicator_rates(db.session, [event.id]) == {
        key: {"n": 0, "d": 0, "pct": None} for key in ("applicability", "collaboration", "satisfaction")
    }
    assert response_rate(db.session, [event.id]) == {"n": 0, "d": 0, "pct": None}
    assert indicator_rates(db.session, []) == {}


def test_pooling_sums_counts_rather_than_averaging_percentages(app, make_event):
    first, second = make_event(day=date(2025, 7, 11)), make_event(day=date(2025, 10, 4))
    for code in ("satisfied", "neutral", "neutral", "very_satisfied"):  # 2/4 = 50 %
        answer(first, satisfaction=code)
    for code in ("satisfied", "very_satisfied"):  # 2/2 = 100 %
        answer(second, satisfaction=code)
    assert indicator_rates(db.session, [first.id])[SAT]["pct"] == 50.0
    assert indicator_rates(db.session, [second.id])[SAT]["pct"] == 100.0
    # pooled: (2 + 2) / (4 + 2) = 66.7 %, not the mean of the two rates (75 %)
    assert indicator_rates(db.session, [first.id, second.id])[SAT] == {"n": 4, "d": 6, "pct": 66.7}


def test_a_multiple_choice_indicator_counts_a_response_once(app, make_event):
    event = make_event()
    save_question(db.session, survey_of(event), QuestionInput(
        key="learned", text="得られたものは（複数選択）", kind=QuestionKind.MULTIPLE, indicator="learned",
        options=[OptionInput(code="contacts", label="顔の見える関係", positive=True),
                 OptionInput(code="knowledge", label="知識", positive=True),
                 OptionInput(code="nothing", label="特になし")],
    ))
    answer(event, learned=["contacts", "knowledge"])  # positive, counted once
    answer(event, learned=["nothing"])  # answered, not positive
    answer(event, learned=["knowledge", "nothing"])  # positive
    answer(event, satisfaction="satisfied")  # left `learned` blank
    assert indicator_rates(db.session, [event.id])["learned"] == {"n": 2, "d": 3, "pct": 66.7}


def test_a_custom_indicator_key_of_the_citizens_template(app, make_event, make_series):
    lecture = make_series("市民公開講座", Audience.CITIZENS)
    event = make_event(series=lecture)
    for code in ("yes", "rather_no", "no"):
        answer(event, acp_share=code)
    rates = indicator_rates(db.session, [event.id])
    assert rates["acp_share"] == {"n": 1, "d": 3, "pct": 33.3}
    assert set(rates) == {"satisfaction", "acp_share"}


def registration(event, n: int, *, mode=RegistrationMode.IN_PERSON, status=RegistrationStatus.REGISTERED,
                 source=RegistrationSource.PUBLIC, checked_in=False, person=None):
    person = person or Person(family_name=f"参加{n}", family_kana="さんか", email=f"p{n}@example.jp")
    row = Registration(event_id=event.id, person=person, mode=mode, status=status, source=source,
                       ticket_token=f"t{event.id}-{n}-ticket-token-xx", manage_token=f"m{event.id}-{n}-manage-token-xx")
    db.session.add(row)
    db.session.flush()
    if checked_in:
        db.session.add(CheckIn(registration_id=row.id, method=CheckInMethod.QR))
    db.session.commit()
    return row


def test_attended_and_response_rate(app, make_event):
    event = make_event()
    other = make_event(day=date(2025, 10, 4))
    registration(event, 1, checked_in=True)
    registration(event, 2, checked_in=True)
    walk_in = registration(event, 3, source=RegistrationSource.WALK_IN, checked_in=True)
    registration(event, 4)  # in person, never came
    registration(event, 5, status=RegistrationStatus.CANCELLED, checked_in=True)  # cancelled: not counted
    registration(event, 6, mode=RegistrationMode.ON_DEMAND)  # on demand, registered: counts
    registration(event, 7, mode=RegistrationMode.ON_DEMAND, status=RegistrationStatus.CANCELLED)
    registration(event, 8, status=RegistrationStatus.WAITLISTED)
    registration(other, 9, checked_in=True)
    row = db.session.execute(attended_by_event([event.id])).one()
    assert (row.in_person, row.on_demand, row.total) == (3, 1, 4)
    assert attended_total(db.session, [event.id, other.id]) == 5  # 4 + 1, 延べ

    submit_response(db.session, event_id=event.id, answers={SAT: "satisfied"}, source=ResponseSource.PAPER,
                    registration_id=walk_in.id)
    answer(event, satisfaction="neutral")  # anonymous sheet: not in the rate of attendees
    assert response_rate(db.session, [event.id]) == {"n": 1, "d": 4, "pct": 25.0}
    answer(other, satisfaction="satisfied")  # anonymous too
    assert response_rate(db.session, [event.id, other.id]) == {"n": 1, "d": 5, "pct": 20.0}


@pytest.mark.parametrize("missing", [[], [999999]])
def test_unknown_events_count_nothing(app, missing):
    assert attended_total(db.session, missing) == 0
    assert response_rate(db.session, missing) == {"n": 0, "d": 0, "pct": None}
