"""The paper organizers print, as Chromium prints it on A4 (page.pdf): the reception list and
the name cards of events with 9, 10, 11, 24, 25 and 120 people, and the 集計表 of every demo
event on one page. Pages are counted in the PDF (each page is a /Type /Page object), and their
text is read with pdftotext, page by page.

The expected page counts come from the fixed heights of static/css/print.css:
- reception list: an A4 page is 297 − 12 − 14 (margins) = 271 mm high. Each page repeats the
  header, 6 + 7 = 13 mm, so pages 2… hold 258 mm of rows; page 1 also has the heading block of
  32 mm: 226 mm. A kana heading is 7 mm, a person 9 mm, a heading stays with its first person.
- name cards: ten to an A4 sheet.
"""
import os
import re
import shutil
import subprocess
from datetime import date, time

import pytest

from server import CONTEXT_DEFAULTS, block_remote_requests, log_in

pytestmark = pytest.mark.browser
ON_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")  # a page object, not the /Pages tree
ROWS = "あかさたなはまやらわ"
SYLLABLES = "あいうえおかきくけこさしすせそたちつてと"
KATAKANA = "アイウエオカキクケコサシスセソタチツテト"  # the same, as the furigana are stored
TITLE = "印刷の確認"


def page_count(pdf: bytes) -> int:
    return len(ON_PAGE.findall(pdf))


def pages_text(pdf: bytes, tmp_path) -> list[str]:
    if shutil.which("pdftotext") is None and os.environ.get("CI") != "true":
        pytest.skip("pdftotext not found: apt-get install -y poppler-utils")
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, page_count(pdf) + 1)]


@pytest.fixture(scope="module")
def crowds(live_app):
    """Draft events of fiscal 2027 (no other test's page shows them) and their people, by name:
    cycleN has N people spread over the ten rows in turn (あ, か, … わ, あ, …), alone24/25 have
    everyone in あ行, keep has 23 in あ行 and 2 in か行."""
    from eventsapp.catalog.models import EventFormat, Series
    from eventsapp.catalog.service import EventInput, save_event
    from eventsapp.dates import tokyo_datetime
    from eventsapp.extensions import db
    from eventsapp.people.identity import PersonFields
    from eventsapp.registration.models import RegistrationMode, RegistrationSource
    from eventsapp.registration.service import register

    def make(name: str, rows: str) -> int:
        series = db.session.scalar(db.select(Series).order_by(Series.id))
        event = save_event(db.session, EventInput(
            title=f"{TITLE}（{name}）", series_id=series.id, format=EventFormat.IN_PERSON, venue="市役所 第1会議室",
            starts_at=tokyo_datetime(date(2027, 5, 14), time(14)), ends_at=tokyo_datetime(date(2027, 5, 14), time(16)),
        ))
        for i, row in enumerate(rows):
            person = PersonFields(family_name="印刷", given_name=f"{name}{i}", family_kana=f"{row}しけん",
                                  given_kana=SYLLABLES[i // 20] + SYLLABLES[i % 20], organization=f"{name}事業所{i:03d}",
                                  email=f"print-{name}-{i}@example.jp", profession="看護師")
            register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                     source=RegistrationSource.STAFF)
        db.session.commit()
        return event.id

    with live_app.app_context():
        made = {f"cycle{n}": make(f"cycle{n}", "".join(ROWS[i % 10] for i in range(n))) for n in (9, 10, 11, 120)}
        made |= {"alone24": make("alone24", "あ" * 24), "alone25": make("alone25", "あ" * 25),
                 "keep": make("keep", "あ" * 23 + "か" * 2)}
        db.session.remove()
    return made


@pytest.fixture(scope="module")
def organizer_page(browser, base_url, live_app):
    """One organizer's page for the whole module (a login costs seconds: the password hash), in
    a context that refuses other hosts like the conftest's, and checks the same at the end."""
    context = browser.new_context(**CONTEXT_DEFAULTS)
    context.set_default_timeout(20_000)
    refused = block_remote_requests(context)
    errors = live_app.extensions["browser_test_errors"]
    errors.clear()
    page = context.new_page()
    log_in(page, base_url)
    yield page
    context.close()
    assert refused == [] and errors == []


def printed(page, url: str) -> bytes:
    page.goto(url)
    return page.pdf(format="A4")


@pytest.mark.parametrize(("crowd", "pages"), [
    ("cycle9", 1), ("cycle10", 1),   # 9 or 10 headings and people: 16 mm each, at most 160 mm
    ("cycle11", 1),                  # 10 headings (70 mm) + 11 people (99 mm) = 169 mm
    ("alone24", 1),                  # 7 + 24 × 9 = 223 mm ≤ 226
    ("alone25", 2),                  # 7 + 25 × 9 = 232 mm > 226
    # Rows of 12 (7 + 12 × 9 = 115 mm). Page 1: あ 115, か heading 122 + 11 people = 221 (226).
    # Page 2: 1 person 9, さ 124, た 239, な heading 246 + 1 person = 255 (258). Page 3: 11 people
    # 99, は 214, ま heading 221 + 4 = 257. Page 4: 8 people 72, や 187, ら heading 194 + 7 = 257.
    # Page 5: 5 people 45, わ 160.
    ("cycle120", 5),
])
def test_the_reception_list_pages(organizer_page, base_url, crowds, crowd, pages):
    pdf = printed(organizer_page, f"{base_url}/admin/events/{crowds[crowd]}/reception-list")
    assert page_count(pdf) == pages


def test_every_page_of_the_list_repeats_the_header_and_no_row_is_split(organizer_page, base_url, crowds, tmp_path):
    pdf = printed(organizer_page, f"{base_url}/admin/events/{crowds['cycle120']}/reception-list")
    texts = pages_text(pdf, tmp_path)
    assert len(texts) == 5
    for number, text in enumerate(texts, start=1):
        for column in ("受付", "受付番号", "氏名", "ふりがな", "所属", "参加形態"):
            assert column in text, (number, column)
        assert f"{TITLE}（cycle120）" in text and "令和9年5月14日(金)14:00～16:00" in text, number
        assert re.search(rf"\b{number}\s*/\s*5\s*$", text.strip()), number  # the page number at the foot
    assert texts[0].count("受付名簿") == 2 and texts[1].count("受付名簿") == 1  # the title, then the running head
    # Each person's organization and furigana on one page: no row runs over a page break.
    for i in range(120):
        kana = f"{'アカサタナハマヤラワ'[i % 10]}シケン {KATAKANA[i // 20]}{KATAKANA[i % 20]}"
        holding = [n for n, text in enumerate(texts) if f"cycle120事業所{i:03d}" in text]
        assert len(holding) == 1 and kana in texts[holding[0]], i



def test_a_kana_heading_is_never_left_at_the_foot_of_a_page(organizer_page, base_url, crowds, tmp_path):
    # あ heading + 23 people = 214 mm; the か heading would fit (221 mm ≤ 226) but not its first
    # person (230 mm): the heading goes over to page 2 with it.
    texts = pages_text(printed(organizer_page, f"{base_url}/admin/events/{crowds['keep']}/reception-list"), tmp_path)
    assert len(texts) == 2
    assert "か行" not in texts[0] and "か行" in texts[1]


@pytest.mark.parametrize(("crowd", "pages"), [("cycle9", 1), ("cycle10", 1), ("cycle11", 2), ("cycle120", 12)])
def test_the_name_card_sheets(organizer_page, base_url, crowds, crowd, pages):
    pdf = printed(organizer_page, f"{base_url}/admin/events/{crowds[crowd]}/name-cards")
    assert page_count(pdf) == pages


LONG_NAME = "ウィリアムズ・ジョンソン・アレクサンドラ・エリザベス・マーガレット"
LONG_ORGANIZATION = "医療法人社団 さくら会 訪問看護ステーションみなみ 第二サテライト事業所 居宅介護支援部門"
# The text boxes inside each box (a card, a table row) that reach out of it, in the print layout.
OUT_OF_THEIR_BOX = """([boxes, inner]) => [...document.querySelectorAll(boxes)].flatMap(box => {
    const outer = box.getBoundingClientRect();
    return [...box.querySelectorAll(inner)].filter(e => {
        const r = e.getBoundingClientRect();
        return r.bottom > outer.bottom + 0.5 || r.right > outer.right + 0.5 || r.top < outer.top - 0.5;
    }).map(e => e.className);
})"""


def test_long_names_and_organizations_stay_inside_their_card_and_row(organizer_page, base_url, crowds):
    """The worst case: a very long name and organization written into the first card and row
    at their largest type (fit-0), so only the CSS's clipping keeps them in."""
    organizer_page.emulate_media(media="print")
    try:
        organizer_page.goto(f"{base_url}/admin/events/{crowds['cycle11']}/name-cards")
        organizer_page.evaluate("""([name, org]) => {
            const card = document.querySelector('.pr-card');
            card.querySelector('.pr-card-name').textContent = name;
            card.querySelector('.pr-card-org').textContent = org;
        }""", [LONG_NAME, LONG_ORGANIZATION])
        assert organizer_page.evaluate(OUT_OF_THEIR_BOX, [".pr-card", "p"]) == []

        organizer_page.goto(f"{base_url}/admin/events/{crowds['cycle11']}/reception-list")
        organizer_page.evaluate("""([name, org]) => {
            const cells = document.querySelectorAll('tr.pr-person .pr-cell');
            cells[2].textContent = name + name;
            cells[4].textContent = org + org;
        }""", [LONG_NAME, LONG_ORGANIZATION])
        assert organizer_page.evaluate(OUT_OF_THEIR_BOX, ["tr.pr-person", ".pr-cell"]) == []
        heights = organizer_page.evaluate("[...document.querySelectorAll('tr.pr-person')].map(r => r.getBoundingClientRect().height)")
        assert max(heights) == pytest.approx(9 * 96 / 25.4, abs=0.1)  # every row 9 mm, the long one too
    finally:
        organizer_page.emulate_media(media=None)


@pytest.mark.slow
def test_the_summary_of_every_demo_event_prints_on_one_page(organizer_page, base_url, live_app):
    from sqlalchemy import select

    from eventsapp.catalog.models import Event
    from eventsapp.extensions import db

    with live_app.app_context():
        ids = db.session.scalars(select(Event.id).where(Event.title.not_like(f"{TITLE}%")).order_by(Event.id)).all()
    assert len(ids) >= 40  # the demo's two fiscal years
    pages = {event_id: page_count(printed(organizer_page, f"{base_url}/admin/events/{event_id}/summary")) for event_id in ids}
    assert {event_id: n for event_id, n in pages.items() if n != 1} == {}
