"""Joint events ask each audience its own questions (docs/architecture.md, *Joint surveys*).

A つむぐ会 held jointly with the 市民公開講座: its survey carries both templates' questions,
each key once; professionals are asked only theirs and citizens only theirs — on the web
form, on paper, in an import and through the API — and every rate counts only the
respondents who were asked. Expected rates are counted by hand beside each answer.
"""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.catalog.models import Audience
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.registration.tickets import new_token
from eventsapp.surveys.editing import OptionInput, QuestionInput, save_question, series_template
from eventsapp.surveys.indicators import indicator_rates
from eventsapp.surveys.models import QuestionKind, Response, ResponseSource, Survey, SurveyInvitation
from eventsapp.surveys.service import SurveyError, submit_response

PRO, CIT = Audience.PROFESSIONALS, Audience.CITIZENS
PAPER = ResponseSource.PAPER


@pytest.fixture
def lecture(make_series):
    return make_series("市民公開講座", Audience.CITIZENS, goals=["awareness"])


@pytest.fixture
def joint(make_series, make_event, lecture):
    """The つむぐ会 held with the 市民公開講座 (yesterday, so its public pages are open)."""
    def make(**kw):
        values = {"day": (now() - timedelta(days=1)).date(), "title": "人生会議のすすめ", **kw}
        return make_event(series=make_series(), joint_series_ids=[lecture.id], **values)

    return make


def survey_of(event) -> Survey:
    return db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))


def shape(event) -> list[tuple[str, Audience | None]]:
    return [(q.key, q.audience) for q in survey_of(event).questions]


def stored() -> list[Audience | None]:
    return list(db.session.scalars(sa.select(Response.audience).order_by(Response.id)))


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def attendee(event, name: str, profession: str):
    return register(db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                    person=PersonFields(family_name=name, given_name="花子", family_kana="てすと",
                                        email=f"{name}@example.jp", profession=profession)).registration


def personal_link(registration) -> str:
    token = new_token()
    db.session.add(SurveyInvitation(registration_id=registration.id, token=token))
    db.session.commit()
    return f"/s/{token}"


# --- the survey of a joint event -------------------------------------------------------------

def test_a_joint_events_survey_carries_both_templates_each_key_once(app, joint, make_event, make_series, lecture):
    # a question the lecture's organizers added to their template comes along, for citizens
    save_question(db.session, series_template(db.session, lecture), QuestionInput(
        key="cards", text="もしバナカードを借りたいですか。", kind=QuestionKind.SINGLE, indicator="card_wish",
        options=[OptionInput(code="yes", label="借りたい", positive=True), OptionInput(code="no", label="借りない")]))
    event = joint()
    survey = survey_of(event)
    assert survey.title == "参加者アンケート"
    assert shape(event) == [
        ("satisfaction", None), ("collaboration", PRO), ("applicability", PRO), ("profession", PRO),
        ("acp_share", CIT), ("age", CIT), ("cards", CIT), ("comments", None),
    ]
    assert [q.position for q in survey.questions] == list(range(1, 9))
    indicators = [q.indicator for q in survey.questions if q.indicator]
    assert sorted(indicators) == ["acp_share", "applicability", "card_wish", "collaboration", "satisfaction"]
    # the shared item in the primary series' words
    assert survey.questions[0].text == "本日の内容について、満足度を教えてください。"

    # the lecture as the primary series: its words and its items first
    first_lecture = make_event(series=lecture, joint_series_ids=[make_series().id], day=date(2025, 8, 1))
    assert shape(first_lecture)[:4] == [("satisfaction", None), ("acp_share", CIT), ("age", CIT), ("cards", CIT)]
    assert shape(first_lecture)[-1] == ("comments", None)
    assert survey_of(first_lecture).questions[0].text == "本日の講座の満足度を教えてください。"

    # two professionals' series: everyone is asked everything, each key once
    same = make_event(series=make_series(), joint_series_ids=[make_series("看取り症例検討会").id], day=date(2025, 9, 1))
    assert shape(same) == [(key, None) for key in ("satisfaction", "collaboration", "applicability", "profession",
                                                   "comments")]
    assert survey_of(same).title == "参加者アンケート（専門職向け）"


def test_each_audience_answers_its_own_items_and_the_rates_count_only_those_asked(app, joint):
    event = joint()
    sheets = [
        (PRO, {"satisfaction": "very_satisfied", "collaboration": "yes", "applicability": "no"}),
        (PRO, {"satisfaction": "neutral", "collaboration": "rather_yes", "applicability": "rather_yes"}),
        (PRO, {"satisfaction": "satisfied"}),  # the two items left blank
        (CIT, {"satisfaction": "satisfied", "acp_share": "yes"}),
        (CIT, {"satisfaction": "dissatisfied", "acp_share": "rather_no"}),
        (CIT, {"satisfaction": "very_satisfied", "acp_share": "rather_yes", "age": "70s"}),
        (None, {"satisfaction": "very_satisfied"}),  # who answered is unknown: the shared item only
    ]
    for audience, answers in sheets:
        submit_response(db.session, event_id=event.id, answers=answers, source=PAPER, audience=audience)
    assert indicator_rates(db.session, [event.id]) == {
        "acp_share": {"n": 2, "d": 3, "pct": 66.7},  # yes, rather_yes of the 3 citizens (not of all 7)
        "applicability": {"n": 1, "d": 2, "pct": 50.0},  # rather_yes of the 2 who answered it
        "collaboration": {"n": 2, "d": 2, "pct": 100.0},  # not 2/7, nor 2/3: one professional left it blank
        "satisfaction": {"n": 5, "d": 7, "pct": 71.4},  # asked of everyone
    }
    assert stored() == [PRO, PRO, PRO, CIT, CIT, CIT, None]


def test_a_question_not_meant_for_the_respondent_is_refused_and_nothing_is_stored(app, joint):
    event = joint()
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, source=PAPER, audience=PRO,
                        answers={"satisfaction": "satisfied", "acp_share": "yes"})
    assert refused.value.code == "not_asked" and refused.value.field == "acp_share"
    assert "医療・介護の仕事をされていない方にお聞きする設問です" in refused.value.message
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, source=PAPER, audience=CIT, answers={"collaboration": "yes"})
    assert refused.value.code == "not_asked" and "されている方にお聞きする" in refused.value.message
    with pytest.raises(SurveyError) as refused:  # nobody said who: both sets answered
        submit_response(db.session, event_id=event.id, source=PAPER, answers={"collaboration": "yes", "acp_share": "no"})
    assert refused.value.code == "both_audiences"
    assert responses() == 0


def test_who_answered_comes_from_the_first_question_else_the_profession_else_the_answers(app, joint):
    event = joint()
    nurse, citizen, blank = (attendee(event, "看護", "看護師"), attendee(event, "市民", "市民"),
                             attendee(event, "空欄", ""))
    link = ResponseSource.LINK
    # respondents must answer the required items of their own audience only
    with pytest.raises(SurveyError) as refused:
        submit_response(db.session, event_id=event.id, source=link, registration_id=nurse.id,
                        answers={"satisfaction": "satisfied"})
    assert refused.value.code == "required" and refused.value.field == "collaboration"
    submit_response(db.session, event_id=event.id, source=link, registration_id=nurse.id,
                    answers={"satisfaction": "satisfied", "collaboration": "yes", "applicability": "yes"})
    with pytest.raises(SurveyError) as refused:  # 市民: the professionals' items are not theirs
        submit_response(db.session, event_id=event.id, source=link, registration_id=citizen.id,
                        answers={"satisfaction": "satisfied", "collaboration": "yes"})
    assert refused.value.code == "not_asked"
    submit_response(db.session, event_id=event.id, source=link, registration_id=citizen.id,
                    answers={"satisfaction": "satisfied"})  # collaboration is required, but not of citizens
    # an empty 職種 says nothing: the answers tell
    submit_response(db.session, event_id=event.id, source=PAPER, registration_id=blank.id,
                    answers={"acp_share": "no"})
    # the sheet's own answer to the first question wins over the registration's 職種
    sheet = submit_response(db.session, event_id=event.id, source=PAPER, audience=CIT,
                            answers={"satisfaction": "neutral"})
    assert stored() == [PRO, CIT, CIT, CIT]
    assert sheet.registration_id is None


# --- the pages -------------------------------------------------------------------------------

def test_the_personal_link_asks_by_the_profession_or_the_first_question(client, joint):
    event = joint()
    nurse = personal_link(attendee(event, "看護", "看護師"))
    page = client.get(nurse).text
    assert "気軽に連携できるようになりましたか。" in page and "人生会議の重要性" not in page
    assert "医療・介護の仕事をされている方への設問です。" in page and 'name="audience"' not in page
    # a tampered ?audience= changes nothing: the 職種 decides
    assert "人生会議の重要性" not in client.get(nurse + "?audience=citizens").text
    sent = client.post(nurse, data={"q_satisfaction": "satisfied", "q_collaboration": "yes",
                                    "q_applicability": "rather_no", "audience": "citizens"})
    assert sent.status_code == 302

    unknown = personal_link(attendee(event, "空欄", ""))
    first = client.get(unknown)
    assert first.status_code == 200 and "医療・介護の仕事をされていますか" in first.text
    assert "満足度" not in first.text
    page = client.get(unknown + "?audience=citizens").text
    assert "人生会議の重要性を周囲に伝えたいですか。" in page and "気軽に連携" not in page
    assert '<input type="hidden" name="audience" value="citizens">' in page
    refused = client.post(unknown + "?audience=citizens",
                          data={"audience": "citizens", "q_satisfaction": "satisfied", "q_collaboration": "yes"})
    assert refused.status_code == 422 and "医療・介護の仕事をされている方にお聞きする設問です" in refused.text
    done = client.post(unknown + "?audience=citizens",
                       data={"audience": "citizens", "q_satisfaction": "satisfied", "q_acp_share": "yes"})
    assert done.status_code == 302
    assert stored() == [PRO, CIT]


def test_the_venue_link_asks_the_first_question_then_that_audiences_set(client, joint):
    url = f"/q/{survey_of(joint()).venue_code}"
    first = client.get(url).text
    assert "医療・介護の仕事をされていますか" in first and 'value="professionals"' in first
    assert "受付番号" not in first
    unanswered = client.post(url, data={"q_satisfaction": "satisfied"})
    assert unanswered.status_code == 422 and "医療・介護の仕事をされていますか" in unanswered.text
    assert client.get(url + "?audience=maybe").text.count('name="audience"') == 2  # asked again
    page = client.get(url + "?audience=professionals").text
    assert "気軽に連携できるようになりましたか。" in page and "人生会議の重要性" not in page and "受付番号" in page
    # the numbering follows what the respondent sees: 問1 満足度 … 問5 comments
    assert re.findall(r"問(\d)", page) == ["1", "2", "3", "4", "5"]
    assert client.post(url + "?audience=citizens",
                       data={"audience": "citizens", "q_satisfaction": "neutral", "q_acp_share": "yes"}).status_code == 302
    assert stored() == [CIT]


def test_paper_entry_takes_the_first_question_and_keeps_it_on_correction(client, login, joint):
    event = joint()
    citizen = attendee(event, "市民", "市民")
    login(Role.ORGANIZER)
    url = f"/admin/events/{event.id}/survey/paper"
    page = client.get(url).text
    assert 'data-question="audience"' in page and "医療・介護の仕事をされていますか" in page
    assert 'data-audience="citizens"' in page and "医療・介護の仕事をされていない方</span>" in page
    refused = client.post(url, data={"audience": "citizens", "q_collaboration": "yes"})
    assert refused.status_code == 422 and "医療・介護の仕事をされている方にお聞きする設問です" in refused.text
    assert re.search(r'value="citizens" checked', refused.text)  # the sheet as typed comes back
    bad = client.post(url, data={"audience": "maybe", "q_satisfaction": "neutral"})
    assert bad.status_code == 422 and "「はい」か「いいえ」" in bad.text
    assert client.post(url, data={"audience": "professionals", "q_collaboration": "no"}).status_code == 302
    # no answer to the first question: the registration's 職種 (市民) says who
    assert client.post(url, data={"q_acp_share": "yes", "registration": str(citizen.id)}).status_code == 302
    assert responses() == 2 and stored() == [PRO, CIT]
    sheet = db.session.scalars(sa.select(Response).order_by(Response.id)).first()
    form = client.get(f"/admin/responses/{sheet.id}/edit").text
    assert re.search(r'value="professionals" checked', form)
    fixed = client.post(f"/admin/responses/{sheet.id}/edit", data={"audience": "citizens", "q_acp_share": "no"})
    assert fixed.status_code == 302
    assert stored() == [CIT, CIT]
    assert indicator_rates(db.session, [event.id])["acp_share"] == {"n": 1, "d": 2, "pct": 50.0}  # yes, no
    assert indicator_rates(db.session, [event.id])["collaboration"] == {"n": 0, "d": 0, "pct": None}


def test_the_results_and_the_editor_say_whom_each_question_is_asked(client, login, joint, make_event):
    event = joint()
    submit_response(db.session, event_id=event.id, source=PAPER, audience=CIT, answers={"acp_share": "yes"})
    login(Role.ORGANIZER)
    results = client.get(f"/admin/events/{event.id}/survey/results").text
    assert "医療・介護の仕事をされていない方 1件" in results
    assert re.search(r"人生会議の重要性を周囲に伝えたいですか。 <span class=\"tag\">医療・介護の仕事をされていない方", results)
    survey = survey_of(event)
    editor = client.get(f"/admin/surveys/{survey.id}").text
    assert "聞く対象" in editor and "<td>全員</td>" in editor
    acp = next(q for q in survey.questions if q.key == "acp_share")
    form = client.get(f"/admin/surveys/{survey.id}/questions/{acp.id}").text
    assert re.search(r'<option value="citizens" selected>', form)
    # answered: whom it is asked is part of its meaning (the denominators depend on it)
    moved = client.post(f"/admin/surveys/{survey.id}/questions/{acp.id}", data={
        "key": "acp_share", "text": acp.text, "kind": "likert", "indicator": "acp_share", "audience": "",
        "opt_code": [o.code for o in acp.options], "opt_label": [o.label for o in acp.options],
        "opt_positive": ["0", "1"]})
    assert moved.status_code == 422 and "変更できません" in moved.text
    # a one-audience event's editor does not offer it
    single = survey_of(make_event(day=date(2025, 9, 1)))
    assert "聞く対象" not in client.get(f"/admin/surveys/{single.id}").text


# --- import and API --------------------------------------------------------------------------

def test_the_import_reads_the_first_question_or_the_profession_or_the_answers(app, runner, joint, tmp_path):
    event = joint()
    nurse = attendee(event, "看護", "看護師")
    path = tmp_path / "form.csv"
    header = "受付番号,医療・介護の仕事をされていますか？,satisfaction,collaboration,acp_share\r\n"
    path.write_text(header + (
        ",はい,とても満足,できるようになった,\r\n"  # professionals (said so): satisfaction +, collaboration +
        ",いいえ,満足,,伝えたい\r\n"  # citizens: +, acp +
        f"{nurse.id},,満足,ややできるようになった,\r\n"  # 看護師 by the registration: +, collaboration +
        ",,どちらともいえない,,あまり伝えたくない\r\n"  # citizens by the answers: −, acp −
    ), encoding="utf-8")
    result = runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert stored() == [PRO, CIT, PRO, CIT]
    rates = indicator_rates(db.session, [event.id])
    assert rates["satisfaction"] == {"n": 3, "d": 4, "pct": 75.0}
    assert rates["collaboration"] == {"n": 2, "d": 2, "pct": 100.0}
    assert rates["acp_share"] == {"n": 1, "d": 2, "pct": 50.0}

    bad = tmp_path / "bad.csv"
    bad.write_text(header + (
        ",いいえ,満足,できるようになった,\r\n"  # a citizen answering the professionals' item
        ",,満足,できるようになった,伝えたい\r\n"  # both sets, nobody said who
        ",わからない,満足,,\r\n"
        ",はい,満足,,\r\n"  # fine by itself, but the file is all or nothing
    ), encoding="utf-8")
    refused = runner.invoke(args=["import", "responses", str(bad), "--event", str(event.id)])
    assert refused.exit_code != 0
    reasons = dict(re.findall(r"line (\d): rejected: (.+)", refused.output))
    assert set(reasons) == {"2", "3", "4"}
    assert reasons["2"].startswith("collaboration: この設問は、医療・介護の仕事をされている方にお聞きする設問です。")
    assert "両方には回答できません" in reasons["3"] and "「はい」か「いいえ」" in reasons["4"]
    assert "rows 1, linked to registrations 0, rejected 3" in refused.output
    assert responses() == 4


def test_the_api_shows_whom_each_question_is_asked_and_takes_the_audience(app, joint, bearer):
    event = joint()
    client, headers = app.test_client(), bearer(Role.ORGANIZER)
    survey = client.get(f"/api/v1/events/{event.id}/survey", headers=headers).json
    assert {q["key"]: q["audience"] for q in survey["questions"]} == {
        "satisfaction": None, "collaboration": "professionals", "applicability": "professionals",
        "profession": "professionals", "acp_share": "citizens", "age": "citizens", "comments": None}
    url = f"/api/v1/events/{event.id}/responses"
    made = client.post(url, headers=headers, json={"audience": "citizens", "answers": {"acp_share": "yes"}})
    assert made.status_code == 201 and made.json["audience"] == "citizens"
    refused = client.post(url, headers=headers, json={"audience": "professionals", "answers": {"acp_share": "yes"}})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "not_asked"
    assert "acp_share" in refused.json["error"]["fields"]
    assert client.post(url, headers=headers, json={"audience": "both", "answers": {}}).status_code == 422
    inferred = client.post(url, headers=headers, json={"answers": {"collaboration": "no"}})
    assert inferred.status_code == 201 and inferred.json["audience"] == "professionals"
    assert stored() == [CIT, PRO]


# --- the yearly report -----------------------------------------------------------------------

def test_the_lecture_row_of_the_yearly_report_carries_the_citizens_acp_share(app, joint, make_event, make_series):
    from eventsapp.catalog.service import save_initiative
    from eventsapp.checkin.models import CheckInMethod
    from eventsapp.checkin.service import Scan, check_in
    from eventsapp.reports.yearly import yearly_table

    first = make_event(series=make_series())  # つむぐ会 第1回, 2025-07-11, nobody came
    event = joint(day=date(2025, 10, 4))
    for name, profession, answers in [
        ("看護", "看護師", {"satisfaction": "very_satisfied", "collaboration": "yes"}),
        ("介護", "介護支援専門員", {"satisfaction": "neutral", "collaboration": "no"}),
        ("市民一", "市民", {"satisfaction": "satisfied", "acp_share": "yes"}),
        ("市民二", "市民", {"satisfaction": "satisfied", "acp_share": "rather_yes"}),
        ("市民三", "市民", {"satisfaction": "dissatisfied", "acp_share": "no"}),
    ]:
        registration = attendee(event, name, profession)
        check_in(db.session, event_id=event.id, staff=None, at=event.starts_at,
                 scan=Scan(registration_id=registration.id, method=CheckInMethod.NUMBER))
        submit_response(db.session, event_id=event.id, source=PAPER, registration_id=registration.id, answers=answers)
    for position, (goals, text, events) in enumerate([
        (["collaboration"], "介護と医療をつむぐ会を開催する。", [first, event]),
        (["awareness"], "市民公開講座を開催する。", [event]),
    ], start=1):
        initiative = save_initiative(db.session, fiscal_year=2025, scene="daily", goals=goals, target="本人・家族",
                                     plan=text, result_note="", position=position)
        initiative.events = events
        db.session.commit()
    rows = {row.plan: row.computed for block in yearly_table(db.session, 2025) for goal in block.goals
            for row in goal.initiatives}
    assert rows["市民公開講座を開催する。"] == [
        "令和7年10月4日(土)18:30～20:20 5名参加 「人生会議のすすめ」(第2回介護と医療をつむぐ会と合同開催)",
        # 満足度 3/5 of everyone; 人生会議… yes, rather_yes of the 3 citizens, who alone were asked
        "　新規参加者 5名(100.0%) 満足度 60.0%(3/5) 人生会議の重要性を周囲に伝えたい 66.7%(2/3)",
    ]
    # the つむぐ会's own row: its items, of the 2 professionals only
    assert rows["介護と医療をつむぐ会を開催する。"][-1] == (
        "　新規参加者 5名(100.0%) 満足度 60.0%(3/5) 気軽に連携できるようになった 50.0%(1/2)")
