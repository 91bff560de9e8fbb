"""Survey templates (audience → series → event copies), the lock on answered surveys, and
one response per registration under concurrent submissions."""
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.catalog.models import Audience, Event, EventFormat
from eventsapp.catalog.service import EventInput, save_event
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode
from eventsapp.surveys.editing import (
    OptionInput,
    QuestionInput,
    delete_question,
    move_question,
    save_question,
    series_template,
)
from eventsapp.surveys.models import Answer, Question, QuestionKind, Response, ResponseSource, Survey
from eventsapp.surveys.service import SurveyError, correct_response, submit_response

FULL = {"satisfaction": "satisfied", "collaboration": "yes", "applicability": "rather_yes"}  # the required ones


def survey_of(event) -> Survey:
    return db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))


def as_input(question: Question, **changes) -> QuestionInput:
    values = dict(key=question.key, text=question.text, kind=question.kind, required=question.required,
                  indicator=question.indicator,
                  options=[OptionInput(code=o.code, label=o.label, positive=o.positive) for o in question.options])
    return QuestionInput(**{**values, **changes})


def question(survey: Survey, key: str) -> Question:
    return next(q for q in survey.questions if q.key == key)


def test_a_new_series_gets_its_audiences_template(app, make_series):
    professionals = make_series()
    citizens = make_series("市民公開講座", Audience.CITIZENS)
    pro = series_template(db.session, professionals)
    assert [q.indicator for q in pro.questions if q.indicator] == ["satisfaction", "collaboration", "applicability"]
    satisfaction = question(pro, "satisfaction")
    assert satisfaction.kind == QuestionKind.LIKERT and len(satisfaction.options) == 5
    assert [o.positive for o in satisfaction.options] == [True, True, False, False, False]
    collaboration = question(pro, "collaboration")
    assert collaboration.text == "気軽に連携できるようになりましたか。"
    assert [o.positive for o in collaboration.options] == [True, True, False, False]
    assert question(pro, "applicability").text == "今後の支援に活かすことができますか。"
    assert question(pro, "profession").kind == QuestionKind.SINGLE and question(pro, "comments").kind == QuestionKind.TEXT
    cit = series_template(db.session, citizens)
    assert {q.indicator for q in cit.questions if q.indicator} == {"satisfaction", "acp_share"}
    assert question(cit, "acp_share").text == "人生会議の重要性を周囲に伝えたいですか。"
    # one template per series and one default per audience, however often asked
    assert series_template(db.session, professionals).id == pro.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey).where(Survey.audience.is_not(None))) == 2


def test_a_new_event_copies_its_series_template_and_is_edited_on_its_own(app, make_series, make_event):
    series = make_series()
    template = series_template(db.session, series)
    comments = question(template, "comments")
    save_question(db.session, template, as_input(comments, text="本日の感想をどうぞ。"), question=comments)
    event = make_event(series=series)
    survey = survey_of(event)
    assert survey.id != template.id and survey.venue_code and len(survey.venue_code) == 8
    assert question(survey, "comments").text == "本日の感想をどうぞ。"
    own = question(survey, "comments")
    save_question(db.session, survey, as_input(own, text="この会だけの問い"), question=own)
    assert question(template, "comments").text == "本日の感想をどうぞ。"
    save_question(db.session, template, as_input(comments, text="次回から"), question=comments)
    db.session.expire_all()
    assert question(survey_of(event), "comments").text == "この会だけの問い"


def test_a_new_event_and_its_survey_copy_commit_together(app, make_series, monkeypatch):
    """The catalogue's event_created signal runs the copy inside save_event's transaction:
    a copy that fails leaves no event behind (a copy after the commit would leave one)."""
    series = make_series()

    def failing_copy(session, event):
        raise RuntimeError("copy failed")

    monkeypatch.setattr("eventsapp.surveys.editing.event_survey_or_copy", failing_copy)
    data = EventInput(title="退院支援の勉強会", series_id=series.id, format=EventFormat.IN_PERSON,
                      starts_at=tokyo_datetime(date(2025, 7, 11), time(18, 30)),
                      ends_at=tokyo_datetime(date(2025, 7, 11), time(20, 0)), venue="市役所 第1会議室")
    with pytest.raises(RuntimeError):
        save_event(db.session, data)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_an_answered_survey_cannot_change_an_options_meaning(app, make_event):
    event = make_event()
    survey = survey_of(event)
    submit_response(db.session, event_id=event.id, answers={"satisfaction": "neutral"}, source=ResponseSource.PAPER)
    sat = question(survey, "satisfaction")
    options = [OptionInput(code=o.code, label=o.label, positive=o.positive) for o in sat.options]
    made_positive = [*options[:2], OptionInput(code="neutral", label="どちらともいえない", positive=True), *options[3:]]
    relabelled = [*options[:2], OptionInput(code="neutral", label="満足していない", positive=False), *options[3:]]
    for changed in (
        as_input(sat, options=made_positive),
        as_input(sat, options=relabelled),
        as_input(sat, options=options[:4]),
        as_input(sat, options=[OptionInput(code="5", label=o.label, positive=o.positive) if o.code == "neutral" else o
                               for o in options]),
        as_input(sat, indicator="collab2"),
        as_input(sat, kind=QuestionKind.SINGLE),
        as_input(sat, text="講師の話し方はどうでしたか。"),
    ):
        with pytest.raises(SurveyError) as refused:
            save_question(db.session, survey, changed, question=sat)
        assert refused.value.code == "locked" and "変更できません" in refused.value.message
        db.session.rollback()
    with pytest.raises(SurveyError) as refused:
        delete_question(db.session, question(survey, "comments"))
    assert refused.value.code == "locked"
    db.session.expire_all()
    sat = question(survey_of(event), "satisfaction")
    assert [o.positive for o in sat.options] == [True, True, False, False, False]
    assert sat.options[2].label == "どちらともいえない"

    # what stays possible: order, the required mark, new optional questions
    save_question(db.session, survey, as_input(sat, required=False), question=sat)
    move_question(db.session, sat, up=False)
    with pytest.raises(SurveyError) as refused:
        save_question(db.session, survey, QuestionInput(key="venue", text="会場は", kind=QuestionKind.TEXT, required=True))
    assert refused.value.code == "locked_new_required"
    db.session.rollback()
    save_question(db.session, survey, QuestionInput(key="venue", text="会場はいかがでしたか。", kind=QuestionKind.TEXT))
    db.session.expire_all()
    survey = survey_of(event)
    assert [q.key for q in survey.questions][:2] == ["collaboration", "satisfaction"]
    assert survey.questions[-1].key == "venue" and not question(survey, "satisfaction").required


def test_question_rules(app, make_event):
    survey = survey_of(make_event())
    cases = {
        "key_invalid": QuestionInput(key="Bad Key", text="問", kind=QuestionKind.TEXT),
        "key_taken": QuestionInput(key="comments", text="問", kind=QuestionKind.TEXT),
        "indicator_taken": QuestionInput(key="other", text="問", kind=QuestionKind.SINGLE, indicator="satisfaction",
                                         options=[OptionInput(code="a", label="A", positive=True),
                                                  OptionInput(code="b", label="B")]),
        "options_required": QuestionInput(key="other", text="問", kind=QuestionKind.SINGLE,
                                          options=[OptionInput(code="a", label="A")]),
        "option_code_taken": QuestionInput(key="other", text="問", kind=QuestionKind.SINGLE,
                                           options=[OptionInput(code="a", label="A"), OptionInput(code="a", label="B")]),
        "positive_required": QuestionInput(key="other", text="問", kind=QuestionKind.LIKERT, indicator="custom",
                                           options=[OptionInput(code="a", label="A"), OptionInput(code="b", label="B")]),
        "options_for_text": QuestionInput(key="other", text="問", kind=QuestionKind.TEXT, indicator="custom"),
    }
    for code, data in cases.items():
        with pytest.raises(SurveyError) as refused:
            save_question(db.session, survey, data)
        assert refused.value.code == code, code
        db.session.rollback()


def make_registration(event, n: int = 1) -> Registration:
    row = Registration(event_id=event.id, person=Person(family_name="山田", given_name=f"{n}", family_kana="やまだ"),
                       mode=RegistrationMode.IN_PERSON, ticket_token=f"ticket-{n}-xxxxxxxxxxxxxxxx",
                       manage_token=f"manage-{n}-xxxxxxxxxxxxxxxx")
    db.session.add(row)
    db.session.commit()
    return row


def test_one_response_per_registration_under_simultaneous_submissions(app, make_event):
    event = make_event(day=(now() - timedelta(days=1)).date())  # the survey is open
    registration_id = make_registration(event).id
    event_id = event.id

    def submit(_n: int) -> str:
        with app.app_context():
            try:
                submit_response(db.session, event_id=event_id, answers=FULL, source=ResponseSource.LINK,
                                registration_id=registration_id)
                return "stored"
            except SurveyError as error:
                return error.code
            finally:
                db.session.remove()

    for _round in range(3):
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(submit, range(2)))
        assert outcomes in (["already_answered", "stored"], ["already_answered", "already_answered"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 3


def test_the_database_refuses_a_second_response_of_a_registration(app, make_event):
    event = make_event()
    registration = make_registration(event)
    survey = survey_of(event)
    db.session.add_all([Response(survey_id=survey.id, registration_id=registration.id, source=ResponseSource.LINK),
                        Response(survey_id=survey.id, registration_id=registration.id, source=ResponseSource.PAPER)])
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_refused_answers_store_nothing(app, make_event):
    event = make_event(day=date(2020, 7, 10))  # long closed: staff entry still works
    registration = make_registration(event)
    bad = [
        ({"satisfaction": "excellent"}, "unknown_option"),
        ({"satisfaction": "とても満足"}, "unknown_option"),  # a label is not a code in the API
        ({"satisfaction": ["satisfied"]}, "single_expected"),
        ({"comments": ["x"]}, "text_expected"),
        ({"comments": "あ" * 5000}, "too_long"),
        ({"comments": "a\x00b"}, "control_characters"),
        ({"nope": "x"}, "unknown_question"),
        ([], "answers_invalid"),
    ]
    for answers, code in bad:
        with pytest.raises(SurveyError) as refused:
            submit_response(db.session, event_id=event.id, answers=answers, source=ResponseSource.PAPER)
        assert refused.value.code == code
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, answers={}, source=ResponseSource.LINK,
                        registration_id=registration.id)
    assert refused.value.code == "closed"
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, answers={}, source=ResponseSource.PAPER, registration_id=10**12)
    assert refused.value.code == "unknown_registration"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    stored = submit_response(db.session, event_id=event.id, answers={}, source=ResponseSource.PAPER)
    assert stored.answers == []  # a blank sheet is a response with no answers


def test_correcting_a_typed_sheet(app, make_event):
    event = make_event(day=(now() - timedelta(days=1)).date())
    registration = make_registration(event)
    sheet = submit_response(db.session, event_id=event.id, answers={"satisfaction": "neutral"}, source=ResponseSource.PAPER)
    correct_response(db.session, response_id=sheet.id, answers={"satisfaction": "satisfied", "comments": "良かった"},
                     registration_id=registration.id, entered_by_id=None)
    db.session.expire_all()
    sheet = db.session.get(Response, sheet.id)
    assert sheet.registration_id == registration.id and len(sheet.answers) == 2
    own = submit_response(db.session, event_id=event.id, answers=FULL, source=ResponseSource.VENUE)
    with pytest.raises(SurveyError) as refused:
        correct_response(db.session, response_id=own.id, answers={}, registration_id=None, entered_by_id=None)
    assert refused.value.code == "not_editable"
