"""The survey pages over HTTP: the personal link and the venue link (refusals, escaping),
staff paper entry with corrections, the editor's lock, results and exports."""
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from eventsapp.auth.models import Role
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import normalize_kana
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode
from eventsapp.registration.tickets import new_token
from eventsapp.surveys.models import Response, ResponseSource, Survey, SurveyInvitation
from eventsapp.surveys.service import submit_response

FULL = {"q_satisfaction": "satisfied", "q_collaboration": "yes", "q_applicability": "rather_no"}


def recent(make_event, **kw):
    return make_event(day=(now() - timedelta(days=1)).date(), **kw)


def survey_of(event) -> Survey:
    return db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def registration(event, n=1, family_name="山田", family_kana="やまだ") -> Registration:
    row = Registration(event_id=event.id, person=Person(family_name=family_name, given_name="花子", family_kana=family_kana,
                                                        kana_key=normalize_kana(family_kana + "はなこ")),
                       mode=RegistrationMode.IN_PERSON, ticket_token=f"ticket-{n}-xxxxxxxxxxxxxxxx",
                       manage_token=f"manage-{n}-xxxxxxxxxxxxxxxx")
    db.session.add(row)
    db.session.commit()
    return row


def personal_link(event, n=1) -> str:
    token = new_token()
    db.session.add(SurveyInvitation(registration_id=registration(event, n).id, token=token))
    db.session.commit()
    return f"/s/{token}"


def test_answer_through_the_personal_link_once(client, make_event):
    link = personal_link(recent(make_event))
    page = client.get(link)
    assert page.status_code == 200
    assert "気軽に連携できるようになりましたか。" in page.text and "必須" in page.text and "任意" in page.text
    sent = client.post(link, data={**FULL, "q_comments": "とても参考になりました"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/surveys/thanks")
    assert "ご回答ありがとうございました" in client.get("/surveys/thanks").text
    again = client.post(link, data=FULL)
    assert again.status_code == 409 and "すでにご回答いただいています" in again.text
    assert "すでにご回答" in client.get(link).text
    assert responses() == 1
    stored = db.session.scalar(sa.select(Response))
    assert stored.source == ResponseSource.LINK and stored.registration_id is not None


@pytest.mark.parametrize("token", ["x" * 32, "short", "a" * 200])
def test_a_tampered_or_unknown_link_is_a_404(client, make_event, token):
    link = personal_link(recent(make_event))
    assert client.get(f"/s/{token}").status_code == 404
    tampered = link[3:-1] + ("Y" if link.endswith("X") else "X")  # the last character changed
    assert client.post(f"/s/{tampered}", data=FULL).status_code == 404
    assert client.get("/q/nothere1").status_code == 404
    assert responses() == 0


@pytest.mark.parametrize(("data", "message"), [
    ({**FULL, "q_satisfaction": "excellent"}, "選択肢にない回答です。"),
    ({**FULL, "q_satisfaction": "とても良い感想です"}, "選択肢にない回答です。"),  # text to a choice question
    ({"q_satisfaction": "satisfied"}, "必須の設問です。"),
    ({**FULL, "q_comments": "長" * 10_000}, "2000文字以内"),
])
def test_bad_answers_get_a_japanese_message_and_nothing_is_stored(client, make_event, data, message):
    link = personal_link(recent(make_event))
    refused = client.post(link, data=data)
    assert refused.status_code == 422 and message in refused.text
    assert responses() == 0


def test_a_closed_survey_refuses_politely(client, make_event):
    event = recent(make_event)
    link = personal_link(event)
    survey = survey_of(event)
    survey.closes_at = now() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    refused = client.post(link, data=FULL)
    assert refused.status_code == 410 and "回答受付は終了しました" in refused.text
    assert client.post(f"/q/{survey.venue_code}", data=FULL).status_code == 410
    assert responses() == 0


def test_the_venue_link_anonymous_or_with_a_number(client, make_event, login):
    event = recent(make_event)
    code = survey_of(event).venue_code
    person = registration(event)
    assert "受付番号（わかる方のみ）" in client.get(f"/q/{code}").text
    assert client.post(f"/q/{code}", data=FULL).status_code == 302
    assert client.post(f"/q/{code}", data={**FULL, "registration": "999999"}).status_code == 422
    assert client.post(f"/q/{code}", data={**FULL, "registration": "１２ab"}).status_code == 422
    # full-width digits are read as the number
    number = "".join(chr(ord(ch) + 0xFEE0) for ch in str(person.id))
    # a number alone, or with another person's furigana, links nothing: numbers are guessable
    assert client.post(f"/q/{code}", data={**FULL, "registration": number}).status_code == 422
    wrong = client.post(f"/q/{code}", data={**FULL, "registration": number, "registration_kana": "たなか"})
    assert wrong.status_code == 422 and "一致しません" in wrong.text
    assert client.post(f"/q/{code}", data={**FULL, "registration": number, "registration_kana": "ﾔﾏﾀﾞ"}).status_code == 302
    twice = client.post(f"/q/{code}", data={**FULL, "registration": str(person.id), "registration_kana": "やまだ"})
    assert twice.status_code == 409 and "すでに回答" in twice.text
    assert db.session.scalars(sa.select(Response.registration_id).order_by(Response.id)).all() == [None, person.id]


def test_comments_are_stored_as_typed_and_shown_escaped(client, make_event, login):
    event = recent(make_event)
    script = "<script>alert('x')</script><b>太字</b>"
    assert client.post(f"/q/{survey_of(event).venue_code}", data={**FULL, "q_comments": script}).status_code == 302
    login(Role.ORGANIZER)
    page = client.get(f"/admin/events/{event.id}/survey/results").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;b&gt;太字&lt;/b&gt;" in page
    assert "<script>alert" not in page


def test_paper_entry_blanks_links_count_and_correction(client, make_event, login):
    event = make_event()  # long past: the closing date binds the public pages only
    known = registration(event, 1, "佐藤", "さとう")
    login(Role.ORGANIZER)
    url = f"/admin/events/{event.id}/survey/paper"
    page = client.get(url).text
    assert "紙の回答：0件" in page and 'data-paper-entry' in page and "surveys-paper.js" in page
    assert client.post(url, data={"q_satisfaction": "satisfied"}).status_code == 302  # blanks allowed
    assert client.post(url, data={"q_collaboration": "yes", "registration": str(known.id)}).status_code == 302
    twice = client.post(url, data={"q_satisfaction": "neutral", "registration": "佐藤"})
    assert twice.status_code == 409 and "すでに回答" in twice.text
    unknown = client.post(url, data={"q_satisfaction": "neutral", "registration": "鈴木"})
    assert unknown.status_code == 422 and "申込は、このイベントにはありません" in unknown.text
    assert client.post(url, data={"q_satisfaction": "neutral", "registration": "さとう"}).status_code == 409
    assert client.post(url, data={"q_satisfaction": "5"}).status_code == 422
    assert "紙の回答：2件（うち、あなたの入力 2件）" in client.get(url).text

    first = db.session.scalar(sa.select(Response).order_by(Response.id))
    form = client.get(f"/admin/responses/{first.id}/edit").text
    assert "紙の回答の修正" in form and re.search(r'value="satisfied"\s+checked', form)
    fixed = client.post(f"/admin/responses/{first.id}/edit", data={"q_satisfaction": "very_satisfied", "q_comments": "追記"})
    assert fixed.status_code == 302
    db.session.expire_all()
    first = db.session.get(Response, first.id)
    assert sorted(a.text or "" for a in first.answers) == ["", "追記"] and first.source == ResponseSource.PAPER
    assert client.post(f"/admin/responses/{first.id}/delete").status_code == 302
    assert responses() == 1


def test_editor_shows_the_lock_and_refuses_a_change_of_meaning(client, make_event, login):
    event = make_event()
    login(Role.ORGANIZER)
    editor = client.get(f"/admin/events/{event.id}/survey", follow_redirects=True)
    assert editor.status_code == 200 and "気軽に連携できるようになりましたか。" in editor.text
    survey = survey_of(event)
    question = next(q for q in survey.questions if q.key == "satisfaction")
    url = f"/admin/surveys/{survey.id}/questions/{question.id}"
    form = {"key": "satisfaction", "text": question.text, "kind": "likert", "required": "y",
            "indicator": "satisfaction", "opt_code": [o.code for o in question.options],
            "opt_label": [o.label for o in question.options], "opt_positive": ["0", "1", "2"]}  # neutral made positive
    submit_response(db.session, event_id=event.id, answers={"satisfaction": "neutral"}, source=ResponseSource.PAPER)
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and "回答があるため" in refused.text
    db.session.expire_all()
    assert [o.positive for o in db.session.get(type(question), question.id).options] == [True, True, False, False, False]
    assert "回答があるため" in client.get(f"/admin/surveys/{survey.id}").text
    assert client.post(url, data={**form, "opt_positive": ["0", "1"], "required": ""}).status_code == 302


def test_results_of_a_survey_nobody_answered_say_so_without_empty_brackets(client, make_event, login):
    event = make_event()
    login(Role.ORGANIZER)
    page = client.get(f"/admin/events/{event.id}/survey/results").text
    assert "回答数 0件。" in page and "（）" not in page


def test_results_page_and_exports(client, make_event, login):
    event = make_event()
    for sat, collab in (("very_satisfied", "yes"), ("satisfied", "no"), ("neutral", None)):
        answers = {"satisfaction": sat, **({"collaboration": collab} if collab else {}), "comments": "=1+2"}
        submit_response(db.session, event_id=event.id, answers=answers, source=ResponseSource.PAPER)
    login(Role.ORGANIZER)
    page = client.get(f"/admin/events/{event.id}/survey/results").text
    assert "2/3（66.7%）" in page and "1/2（50.0%）" in page and "0/0（—）" in page  # sat, collab, applicability
    assert "0/0（—）" in page  # response rate: nobody checked in
    summary = client.get(f"/admin/events/{event.id}/survey/summary.csv")
    assert summary.data.startswith("\ufeff".encode()) and b"\r\n" in summary.data
    text = summary.data.decode("utf-8-sig")
    assert "指標,本日の内容について、満足度を教えてください。,満足度,2,3,66.7" in text
    assert ",satisfaction," not in text  # the label, not the key, in a column people read
    assert "'=1+2" in text  # formula neutralised
    table = client.get(f"/admin/events/{event.id}/survey/responses.xlsx")
    sheet = load_workbook(io.BytesIO(table.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The event above the table (what the file is about), a blank row, the header, three answers.
    assert [row[0] for row in rows[:3]] == ["シリーズ", "イベント", "開催日時"] and rows[1][1] == event.title
    header_row = [row[0] for row in rows].index("回答番号") + 1
    assert rows[header_row - 2][0] is None and sheet.max_row == header_row + 3
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    # A question's text heads its column wrapped: the column is as wide as 8 characters or its
    # longest answer (「どちらともいえない」, 9), not as the question (22 characters, once 46 units wide).
    question = next(cell for cell in sheet[header_row] if str(cell.value).startswith("本日の内容について"))
    assert question.alignment.wrap_text and sheet.column_dimensions[question.column_letter].width == 2 + 2 * 9
    assert sheet.row_dimensions[header_row].height > 2 * 15  # the wrapped heading's lines
    assert client.get(f"/admin/events/{event.id}/survey/responses.csv").data.decode("utf-8-sig").startswith("回答番号,")
    summary_sheet = load_workbook(io.BytesIO(client.get(f"/admin/events/{event.id}/survey/summary.xlsx").data)).active
    assert summary_sheet["B2"].value == event.title and summary_sheet.page_setup.orientation == "portrait"
    share = [row for row in summary_sheet.iter_rows() if row[0].value == "区分"][0][5]
    assert share.value == "割合(%)" and summary_sheet.cell(share.row + 1, 6).number_format == "0.0"
    assert client.get(f"/admin/events/{event.id}/survey/venue").status_code == 200
    assert client.get("/admin/surveys").status_code == 200
