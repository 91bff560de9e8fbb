"""Forms that fit their audience, and how people heard of the event:
the fields per audience and for a joint event, the channel question and `?ch=` links, the
organizer's channel page, and the channels in the roster, the summary and the database."""
import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import find_or_create_organization
from eventsapp.people.models import Person
from eventsapp.registration.models import Channel, Registration
from eventsapp.registration.tickets import ticket_png
from tests_support import logged_in_client

PERSON = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
          "email": "hanako@example.jp", "mode": "in_person", "consent": "y"}
PROFESSIONAL_FIELDS = ('name="profession"', 'name="profession_other"', 'name="organization"', '<datalist id="organizations">')
CITIZEN_FIELDS = ('name="age_band"',)
EVERYONE = ('name="family_name"', 'name="family_kana"', 'name="email"', 'name="phone"', 'name="channel"')
CHANNEL_ANSWERS = ["LINE", "市のメール配信", "広報紙", "チラシ", "ポスター・デジタルサイネージ", "ホームページ", "職場・知人", "その他"]


@pytest.fixture
def events(make_event, make_series):
    """A professionals' event, a citizens' lecture and a joint event of both, all open."""
    day = (now() + timedelta(days=20)).date()
    lecture = make_series("市民公開講座", audience="citizens")
    return {
        "professionals": make_event(day=day, title="多職種の会"),
        "citizens": make_event(series=lecture, day=day, title="市民の講座"),
        "joint": make_event(day=day, title="合同の会", joint_series_ids=[lecture.id]),
    }


def asks(page: str, fields) -> bool:
    return all(f in page for f in fields)


def asks_none(page: str, fields) -> bool:
    return not any(f in page for f in fields)


def test_citizens_are_asked_no_professional_questions(client, events):
    page = client.get(f"/events/{events['citizens'].id}/register").text
    assert asks(page, EVERYONE + CITIZEN_FIELDS) and asks_none(page, PROFESSIONAL_FIELDS)
    assert "職種" not in page and "所属" not in page and "医療・介護の仕事をされていますか" not in page
    for age in ("40歳未満", "40代", "50代", "60代", "70代", "80歳以上"):
        assert f'<option value="{age}">{age}</option>' in page


def test_professionals_are_asked_profession_and_organization_with_suggestions(client, events):
    find_or_create_organization(db.session, "流山中央病院")
    db.session.commit()
    page = client.get(f"/events/{events['professionals'].id}/register").text
    assert asks(page, EVERYONE + PROFESSIONAL_FIELDS) and asks_none(page, CITIZEN_FIELDS)
    assert 'list="organizations"' in page and '<option value="流山中央病院">' in page  # a datalist: no JavaScript
    assert '<option value="介護支援専門員">介護支援専門員</option>' in page  # the profession list


def test_a_joint_event_asks_first_whether_the_person_works_in_care(client, events):
    joint = events["joint"].id
    first = client.get(f"/events/{joint}/register?ch=flyer").text
    assert "医療・介護の仕事をされていますか" in first
    assert asks_none(first, EVERYONE + PROFESSIONAL_FIELDS + CITIZEN_FIELDS)
    assert 'name="ch" value="flyer"' in first  # the link's channel survives the question
    as_citizen = client.get(f"/events/{joint}/register?audience=citizens&ch=flyer").text
    assert asks(as_citizen, EVERYONE + CITIZEN_FIELDS) and asks_none(as_citizen, PROFESSIONAL_FIELDS)
    as_professional = client.get(f"/events/{joint}/register?audience=professionals").text
    assert asks(as_professional, EVERYONE + PROFESSIONAL_FIELDS) and asks_none(as_professional, CITIZEN_FIELDS)
    for junk in ("", "?audience=aliens"):  # unanswered or nonsense: the question again, nothing stored
        assert "医療・介護の仕事をされていますか" in client.get(f"/events/{joint}/register{junk}").text
        assert client.post(f"/events/{joint}/register{junk}", data=PERSON).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_each_audience_stores_only_what_it_was_asked(client, events):
    joint = events["joint"].id
    sneaked = {"profession": "医師", "organization": "東病院"}  # fields the citizens' form does not have
    citizen = client.post(f"/events/{joint}/register?audience=citizens",
                          data={**PERSON, **sneaked, "age_band": "70代"})
    assert citizen.status_code == 302
    professional = client.post(f"/events/{joint}/register?audience=professionals",
                               data={**PERSON, "family_name": "佐藤", "family_kana": "さとう", "email": "sato@example.jp",
                                     **sneaked, "age_band": "70代"})
    assert professional.status_code == 302
    people = {p.family_name: p for p in db.session.scalars(sa.select(Person))}
    assert (people["山田"].age_band, people["山田"].profession, people["山田"].organization_id) == ("70代", "", None)
    assert (people["佐藤"].age_band, people["佐藤"].profession, people["佐藤"].organization.name) == ("", "医師", "東病院")


def test_in_english_the_choices_read_in_english_and_are_stored_in_japanese(client, events):
    """年代 and 職種 are data (stored, counted and exported in Japanese): the English form shows
    them in English and sends the Japanese value."""
    page = client.get(f"/events/{events['citizens'].id}/register?lang=en").text
    assert '<option value="40歳未満">Under 40</option>' in page and '<option value="70代">70s</option>' in page
    assert client.post(f"/events/{events['citizens'].id}/register",
                       data={**PERSON, "age_band": "40歳未満"}).status_code == 302
    page = client.get(f"/events/{events['professionals'].id}/register").text  # still English: the session keeps it
    assert '<option value="医師">Physician</option>' in page and '<option value="市民">Citizen</option>' in page
    assert client.post(f"/events/{events['professionals'].id}/register",
                       data={**PERSON, "family_name": "佐藤", "email": "sato@example.jp",
                             "profession": "医師"}).status_code == 302
    people = {p.family_name: p for p in db.session.scalars(sa.select(Person))}
    assert (people["山田"].age_band, people["佐藤"].profession) == ("40歳未満", "医師")
    assert '<option value="医師">医師</option>' in client.get(f"/events/{events['professionals'].id}/register?lang=ja").text


def test_an_unknown_age_band_is_refused(client, events):
    answer = client.post(f"/events/{events['citizens'].id}/register", data={**PERSON, "age_band": "120代"})
    assert answer.status_code == 422 and db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


# --- how they heard of it ------------------------------------------------------------------

def stored_channel(client, event, *, query: str = "", **answer) -> Channel | None:
    response = client.post(f"/events/{event.id}/register{query}", data={**PERSON, **answer})
    assert response.status_code == 302, response.text
    registration = db.session.scalar(sa.select(Registration).order_by(Registration.id.desc()).limit(1))
    db.session.delete(registration)  # the same person may register again in the next case
    db.session.commit()
    return registration.channel


def test_the_question_offers_the_eight_answers_in_order(client, events):
    page = client.get(f"/events/{events['citizens'].id}/register").text
    assert "この催しを何で知りましたか" in page
    positions = [page.index(f">{label}</label>") for label in CHANNEL_ANSWERS]
    assert positions == sorted(positions)
    assert "checked" not in page.split('name="channel"')[1].split("</fieldset>")[0]  # nothing chosen for the person


def test_a_channel_link_preselects_the_answer_and_is_stored(client, events):
    event = events["citizens"]
    assert f"/events/{event.id}/register?ch=flyer" in client.get(f"/events/{event.id}?ch=flyer").text
    page = client.get(f"/events/{event.id}/register?ch=flyer").text
    assert '<input checked id="channel-3" name="channel" type="radio" value="flyer">' in page
    assert page.count('checked id="channel-') == 1
    assert stored_channel(client, event, query="?ch=flyer", channel="flyer") == Channel.FLYER
    # No answer given (the radio cleared): the link still tells where the person came from.
    assert stored_channel(client, event, query="?ch=signage") == Channel.SIGNAGE
    # The person's own answer wins over the link's.
    assert stored_channel(client, event, query="?ch=flyer", channel="bulletin") == Channel.BULLETIN
    assert stored_channel(client, event, channel="word_of_mouth") == Channel.WORD_OF_MOUTH
    assert stored_channel(client, event, query="?ch=nonsense") is None
    assert stored_channel(client, event) is None


def test_a_made_up_answer_is_refused(client, events):
    answer = client.post(f"/events/{events['citizens'].id}/register", data={**PERSON, "channel": "tv"})
    assert answer.status_code == 422 and "選択肢が正しくありません。" in answer.text


def test_the_database_takes_the_new_channels_and_refuses_others(client, events):
    event = events["citizens"]
    client.post(f"/events/{event.id}/register", data={**PERSON, "channel": "bulletin"})
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE registrations SET channel = 'tv'"))
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE registrations SET channel = 'word_of_mouth'"))
    assert db.session.scalar(sa.select(Registration.channel)) == Channel.WORD_OF_MOUTH


def test_the_api_keeps_the_documented_codes_and_takes_the_new_ones(app, events, bearer):
    client, headers = app.test_client(), bearer()
    event = events["professionals"]
    for n, code in enumerate(["line", "mail", "flyer", "homepage", "signage", "other", "bulletin", "word_of_mouth"]):
        body = {"family_name": "職員登録", "given_name": str(n), "family_kana": "しょくいん", "email": f"p{n}@example.jp",
                "mode": "in_person", "channel": code}
        answer = client.post(f"/api/v1/events/{event.id}/registrations", json=body, headers=headers)
        assert answer.status_code == 201, answer.json
    refused = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers,
                          json={"family_name": "x", "family_kana": "えっくす", "mode": "in_person", "channel": "tv"})
    assert refused.status_code == 422


def test_the_roster_names_the_real_channels(app, client, events, make_user):
    event = events["citizens"]
    for n, code in enumerate(("bulletin", "bulletin", "word_of_mouth")):
        client.post(f"/events/{event.id}/register",
                    data={**PERSON, "email": f"p{n}@example.jp", "family_kana": f"やまだ{'あいう'[n]}", "channel": code})
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    rows = list(csv.reader(io.StringIO(organizer.get(f"/admin/events/{event.id}/registrations.csv").data.decode("utf-8-sig"))))
    assert [row[rows[0].index("経路")] for row in rows[1:]] == ["広報紙", "広報紙", "職場・知人"]
    assert "職場・知人" in organizer.get(f"/admin/events/{event.id}/registrations").text


# --- the organizer's channel page ----------------------------------------------------------

def test_the_channel_page_lists_a_link_and_a_qr_per_channel(app, events, make_user):
    event = events["professionals"]
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/events/{event.id}/channels").text
    for code, label in zip([c.value for c in Channel], CHANNEL_ANSWERS, strict=True):
        link = f"https://events.example.jp/events/{event.id}?ch={code}"  # FLASK_PUBLIC_BASE_URL, not the Host
        assert f'<a href="{link}">{link}</a>' in page and label in page
        png = organizer.get(f"/admin/events/{event.id}/channels/{code}.png")
        assert png.status_code == 200 and png.mimetype == "image/png"
        assert png.data == ticket_png(link)  # the QR of exactly that link (decoded in tests/browser)
        assert f"event-{event.id}-{code}.png" in png.headers["Content-Disposition"]
    assert page.count("<svg") == 8
    assert organizer.get(f"/admin/events/{event.id}/channels/tv.png").status_code == 404
    assert organizer.get("/admin/events/99999/channels").status_code == 404
    assert f"/admin/events/{event.id}/channels" in organizer.get(f"/admin/events/{event.id}/registrations").text


def test_the_channel_page_is_for_organizers(app, client, events, make_user):
    event = events["professionals"]
    assert client.get(f"/admin/events/{event.id}/channels").status_code in (302, 401)
    reception = logged_in_client(app, make_user, Role.RECEPTION, username="door")
    assert reception.get(f"/admin/events/{event.id}/channels").status_code == 403
    assert reception.get(f"/admin/events/{event.id}/channels/line.png").status_code == 403


def test_the_years_dashboard_breaks_registrations_down_by_channel(app, client, events, make_user):
    from eventsapp.dates import fiscal_year_of
    from eventsapp.people.identity import PersonFields
    from eventsapp.registration.models import RegistrationMode, RegistrationSource
    from eventsapp.registration.service import cancel, register

    lecture, meeting = events["citizens"], events["professionals"]
    for n, (event, code) in enumerate(((lecture, "bulletin"), (meeting, "bulletin"), (lecture, "word_of_mouth"),
                                       (lecture, "bulletin"))):
        client.post(f"/events/{event.id}/register",
                    data={**PERSON, "email": f"p{n}@example.jp", "family_kana": f"やまだ{'あいうえ'[n]}", "channel": code})
    register(db.session, event_id=lecture.id, person=PersonFields(family_name="職員入力", phone="0471000000"),
             mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF)
    last = db.session.scalar(sa.select(Registration.id).where(Registration.channel == Channel.BULLETIN)
                             .order_by(Registration.id.desc()).limit(1))
    cancel(db.session, registration_id=last)  # a cancelled registration leaves the count
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/reports/{fiscal_year_of(lecture.starts_at)}").text
    table = page.split('id="channels"')[1].split("</table>")[0]
    # 4 live registrations: 広報紙 2 (50.0 %), 職場・知人 1 (25.0 %), 未記入 1 (the staff entry, 25.0 %).
    rows = [row.split("</tr>")[0] for row in table.split("<tr>")[2:]]
    assert [r.split('<th scope="row">')[1].split("<")[0] for r in rows] == ["広報紙", "職場・知人", "未記入"]
    assert ['<td class="num">2</td>' in rows[0], '<td class="num">1</td>' in rows[1], '<td class="num">1</td>' in rows[2]] == [True] * 3
    assert "50.0%" in rows[0] and "25.0%" in rows[1] and "25.0%" in rows[2]
