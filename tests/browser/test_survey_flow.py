"""An attendee answers the survey from their personal link on a 375 px phone (axe-core finds
no violations on the survey and thank-you pages), and staff type three paper sheets with
the keyboard alone, well under a minute."""
import re
from datetime import time, timedelta

import pytest

from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.dates import now, tokyo_datetime
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode
from eventsapp.registration.tickets import new_token
from eventsapp.surveys.models import Option, Response, ResponseSource, Survey, SurveyInvitation
from server import AXE_JS, log_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "bypass_csp": True}


@pytest.fixture(scope="module")
def held_event(live_app) -> dict:
    """An event held yesterday, one attendee checked in, and their personal survey link."""
    with live_app.app_context():
        series = db.session.scalar(db.select(Series).where(Series.name == "介護と医療をつむぐ会"))
        day = (now() - timedelta(days=1)).date()
        event = save_event(db.session, EventInput(
            title="退院支援の連携を考える", series_id=series.id, format=EventFormat.IN_PERSON,
            starts_at=tokyo_datetime(day, time(18, 30)), ends_at=tokyo_datetime(day, time(20, 0)),
            venue="市役所 第1会議室", goals=["collaboration"], scenes=["admission"],
        ))
        set_event_status(db.session, event, EventStatus.PUBLISHED)
        registration = Registration(event_id=event.id, person=Person(family_name="山田", given_name="花子",
                                    family_kana="ヤマダ", email="hanako.survey@example.jp"),
                                    mode=RegistrationMode.IN_PERSON, ticket_token=new_token(), manage_token=new_token())
        db.session.add(registration)
        db.session.flush()
        token = new_token()
        db.session.add_all([CheckIn(registration_id=registration.id, method=CheckInMethod.QR),
                            SurveyInvitation(registration_id=registration.id, token=token)])
        db.session.commit()
        ids = {"event_id": event.id, "registration_id": registration.id, "token": token}
        db.session.remove()
        return ids


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run()")["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("context_options", [PHONE], ids=["phone-375"])
def test_answer_the_mailed_link_on_a_phone(page, base_url, refused, held_event, live_app):
    page.goto(f"{base_url}/s/{held_event['token']}")
    assert page.get_by_role("heading", level=1).inner_text() == "参加者アンケート（専門職向け）"
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".req").count() == 3  # the three indicator items are required

    page.get_by_role("button", name="回答を送信する").click()  # nothing chosen: told what is missing
    page.wait_for_selector(".error-summary")
    assert "必須の設問です" in page.locator(".error-summary").inner_text()
    assert violations(page) == []

    page.get_by_label("とても満足").check()
    page.get_by_label("ややできるようになった").check()
    page.get_by_label("活かすことができる", exact=True).check()
    page.get_by_label("訪問看護師").check()
    page.locator("textarea").fill("<b>顔の見える関係</b>ができました")
    page.get_by_role("button", name="回答を送信する").click()
    page.wait_for_url(re.compile(r"/surveys/thanks$"))
    assert page.get_by_role("heading", level=1).inner_text() == "ご回答ありがとうございました"
    assert violations(page) == []

    page.goto(f"{base_url}/s/{held_event['token']}")
    assert "すでにご回答いただいています" in page.get_by_role("heading", level=1).inner_text()
    with live_app.app_context():
        stored = db.session.scalars(db.select(Response).where(
            Response.registration_id == held_event["registration_id"])).all()
        assert [(r.source, len(r.answers)) for r in stored] == [(ResponseSource.LINK, 5)]
        db.session.remove()
    assert refused == []


def test_staff_type_three_sheets_with_the_keyboard(page, base_url, refused, held_event, live_app):
    log_in(page, base_url)
    page.goto(f"{base_url}/admin/events/{held_event['event_id']}/survey/paper")
    assert "紙の回答：0件" in page.locator(".sv-count").inner_text()
    # satisfaction, collaboration, applicability, profession…; 職種 has fourteen options: after
    # 1–9 come 0 and the letters ("c", the thirteenth: 行政)
    sheets = ["121c", "212", "3"]
    for n, keys in enumerate(sheets, start=1):
        page.wait_for_selector(".sv-current")
        for key in keys:
            page.keyboard.press(key)  # a digit picks the n-th option and moves on
        for _ in range(len(sheets[0]) + 2):  # blanks allowed: Enter moves on to the last field
            if page.evaluate("document.activeElement.id") == "registration":
                break
            page.keyboard.press("Enter")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # on the last field Enter saves the sheet
        assert f"紙の回答：{n}件" in page.locator(".sv-count").inner_text()
    assert "紙の回答：3件（うち、あなたの入力 3件）" in page.locator(".sv-count").inner_text()
    with live_app.app_context():
        typed = db.session.scalars(  # this event's sheets (the live app may hold the demo's too)
            db.select(Response).join(Survey, Survey.id == Response.survey_id)
            .where(Response.source == ResponseSource.PAPER, Survey.event_id == held_event["event_id"])
            .order_by(Response.id)).all()
        assert [len(r.answers) for r in typed] == [4, 3, 1]
        chosen = {answer.option_id for answer in typed[0].answers}
        assert "government" in set(db.session.scalars(db.select(Option.code).where(Option.id.in_(chosen))))
        db.session.remove()
    assert refused == []
