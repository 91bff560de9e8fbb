"""The person's own ticket page and what surrounds it: the 受付番号 in large type, a
phone-only registrant told to save the page, the ticket card to download and print (QR code
above the number), the "already registered" page and the footer naming the 事務局, and the
FLASK_ORGANIZER_CONTACT setting."""
import json
import re
from datetime import timedelta

import png
import pytest
import qrcode
import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.catalog.models import EventFormat
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.registration.models import Registration
from eventsapp.registration.tickets import QR_BOX_PIXELS, ticket_card_png

FORM = {"family_name": "山田", "given_name": "花子", "family_kana": "やまだ", "given_kana": "はなこ",
        "phone": "04-7150-0000", "mode": "in_person", "consent": "y"}
CONTACT = {"name": "流山市 在宅医療・介護連携推進事業 事務局", "phone": "04-7150-6081", "email": "renkei@example.lg.jp"}

# "17" in the card's 5×7 dot font, one blank column between the digits (drawn by hand).
SEVENTEEN = [
    "..#...#####",
    ".##.......#",
    "..#......#.",
    "..#.....#..",
    "..#....#...",
    "..#....#...",
    ".###...#...",
]


@pytest.fixture
def contact(app):
    saved = app.config["ORGANIZER_CONTACT"]
    app.config["ORGANIZER_CONTACT"] = CONTACT
    yield CONTACT
    app.config["ORGANIZER_CONTACT"] = saved


def soon(make_event, **kw):
    return make_event(day=(now() + timedelta(days=20)).date(), **kw)


def dark_pixels(image: bytes) -> list[list[bool]]:
    width, height, rows, info = png.Reader(bytes=image).read()
    assert (info["greyscale"], info["bitdepth"]) == (True, 1)
    return [[value == 0 for value in row] for row in rows]


def qr_pixels(token: str) -> list[list[bool]]:
    code = qrcode.QRCode(box_size=QR_BOX_PIXELS)
    code.add_data(token)
    return [[dark for dark in row for _ in range(QR_BOX_PIXELS)] for row in code.get_matrix() for _ in range(QR_BOX_PIXELS)]


def test_the_card_is_the_qr_code_above_the_number_in_large_digits():
    token = "k" * 32
    pixels, qr = dark_pixels(ticket_card_png(token, 17)), qr_pixels(token)
    side, digits_width = len(qr), 11 * 8  # 11 dots of 8 px
    assert len(pixels[0]) == side and len(pixels) == side + 7 * 8 + 4 * 8  # QR, digits, a bottom margin
    assert pixels[:side] == qr
    band = pixels[side:side + 56]
    left = (side - digits_width) // 2
    assert not any(any(row[:left]) or any(row[left + digits_width:]) for row in band)
    dots = [["#" if band[y * 8][left + x * 8] else "." for x in range(11)] for y in range(7)]
    assert ["".join(row) for row in dots] == SEVENTEEN
    assert all(band[y][left + x] == (SEVENTEEN[y // 8][x // 8] == "#") for y in range(56) for x in range(digits_width))
    assert not any(any(row) for row in pixels[side + 56:])


def test_a_long_number_widens_the_card_and_centres_the_qr_code():
    token = "w" * 32
    pixels, qr = dark_pixels(ticket_card_png(token, 123456789)), qr_pixels(token)
    width = (9 * 5 + 8) * 8 + 2 * 32  # 53 dots and the margins: wider than the QR code
    assert len(qr[0]) < width == len(pixels[0])
    left = (width - len(qr)) // 2
    assert [row[left:left + len(qr)] for row in pixels[:len(qr)]] == qr


def test_a_phone_only_registrant_is_told_to_save_the_page_and_gets_the_card(client, make_event):
    event = soon(make_event)
    page_path = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    registration = db.session.scalar(sa.select(Registration))
    page = client.get(page_path).text
    assert re.search(rf'<p class="ticket-number">受付番号 <strong>{registration.id}</strong></p>', page)
    assert "このページを保存してください。" in page and "ブックマーク" in page and "スクリーンショット" in page
    assert "メールで再送" not in page  # no address to send to
    card_path = f"{page_path}/ticket.png"
    assert f'href="{card_path}" download' in page
    card = client.get(card_path)
    assert card.status_code == 200 and card.mimetype == "image/png"
    assert card.headers["Content-Disposition"] == f"attachment; filename=ticket-{registration.id}.png"
    assert card.data == ticket_card_png(registration.ticket_token, registration.id)


def test_with_an_email_the_page_keeps_the_card_but_not_the_warning(client, make_event):
    event = soon(make_event)
    page = client.get(client.post(f"/events/{event.id}/register",
                                  data={**FORM, "phone": "", "email": "hanako@example.jp"}).headers["Location"]).text
    assert "このページを保存してください" not in page and "参加票を画像で保存" in page


@pytest.mark.parametrize("case", ["waitlisted", "on_demand", "online", "cancelled"])
def test_only_a_live_venue_ticket_has_a_card(client, make_event, case):
    event = soon(make_event, capacity=0 if case == "waitlisted" else None,
                 format={"on_demand": EventFormat.HYBRID, "online": EventFormat.ONLINE}.get(case, EventFormat.IN_PERSON))
    form = {**FORM, "mode": "on_demand" if case == "on_demand" else "in_person"}
    page_path = client.post(f"/events/{event.id}/register", data=form).headers["Location"]
    if case == "cancelled":
        client.post(f"{page_path}/cancel")
    assert client.get(f"{page_path}/ticket.png").status_code == 404
    assert "ticket.png" not in client.get(page_path).text
    assert client.get("/r/not-a-real-token-at-all-xx/ticket.png").status_code == 404


def test_already_registered_gives_the_phone_and_not_the_ticket(client, make_event, contact):
    event = soon(make_event)
    first = client.post(f"/events/{event.id}/register", data=FORM).headers["Location"]
    again = client.post(f"/events/{event.id}/register", data=FORM)
    assert again.status_code == 200 and "すでにお申込み済みです" in again.text
    assert "事務局へお電話ください（電話 04-7150-6081）" in again.text
    assert 'href="tel:0471506081"' in again.text and CONTACT["name"] in again.text
    assert "/r/" not in again.text and first.rsplit("/", 1)[1] not in again.text
    assert "受付番号" not in again.text and "<svg" not in again.text  # neither the number nor the QR code


def test_the_footer_and_the_ticket_page_name_the_office(client, make_event, contact):
    event = soon(make_event)
    page_path = client.post(f"/events/{event.id}/register", data={**FORM, "email": "h@example.jp"}).headers["Location"]
    for path in ("/", f"/events/{event.id}", "/privacy", page_path):
        text = client.get(path).text
        footer = text.split('<footer class="site">')[1]
        assert CONTACT["name"] in footer and 'href="tel:0471506081"' in footer, path
        assert 'href="mailto:renkei@example.lg.jp"' in footer, path
    assert "お問い合わせ先" in client.get(page_path).text.split("<footer")[0]


def test_the_english_ticket_page_reads_as_english_sentences(client, make_event, contact):
    """Two Japanese sentences are one message (joined, the English ones lost their space), and the
    colon after a label is a message of its own (a full-width ： after "Contact" was seen)."""
    event = soon(make_event)
    page_path = client.post(f"/events/{event.id}/register", data={**FORM, "email": "h@example.jp"}).headers["Location"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(page_path + "?lang=en").text))
    assert "please show this QR code at reception. If it cannot be read, tell them your reception number." in text
    assert "Contact: 流山市" in text and "：" not in text
    japanese = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(page_path + "?lang=ja").text))
    assert "お問い合わせ：流山市" in japanese
    again = client.post(f"/events/{event.id}/register?lang=en", data={**FORM, "email": "h@example.jp"}).text
    again = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", again))
    assert "Phone: 04-7150-6081" in again and "E-mail: renkei@example.lg.jp" in again
    assert "お見せください。読み取れないときは、受付番号をお伝えください。" in japanese


def test_the_contact_comes_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("FLASK_ORGANIZER_CONTACT", json.dumps(CONTACT, ensure_ascii=False))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ORGANIZER_CONTACT"] == CONTACT


@pytest.mark.parametrize("value", [
    "市役所 000-000-0000",  # a plain text, not the three parts
    {"name": "事務局", "phone": "04-7150-6081"},  # no e-mail
    {"name": "事務局", "phone": " ", "email": "a@example.jp"},  # an empty phone
    {**CONTACT, "fax": "04-7150-0001"},  # an unknown part
    {**CONTACT, "name": "事" * 101},
])
def test_a_wrong_contact_stops_the_start(value):
    with pytest.raises(ValueError, match="FLASK_ORGANIZER_CONTACT"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "ORGANIZER_CONTACT": value})
