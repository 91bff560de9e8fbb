"""The print pages of an event (registration/printables.py): who is on the reception list and
the name cards, in which order and under which headings, the blank cards, the text sizes, the
audit rows, and who may print. How the pages come out on A4: tests/browser/test_printables.py."""
import pytest
import sqlalchemy as sa

from eventsapp.auth.models import AuditLog, Role
from eventsapp.catalog.models import EventFormat
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.printables import fit_class, name_cards, text_width_em
from eventsapp.registration.service import cancel, register
from tests_support import logged_in_client

IN_PERSON = [("渡辺", "わたなべ"), ("後藤", "ごとう"), ("阿部", "ｱﾍﾞ"), ("加藤", "カトウ"),
             ("Smith", ""), ("堀田", "ほった"), ("ヴォーン", "ヴォーン"), ("佐藤", "サトウ")]


def add(event, family_name: str, kana: str, *, mode=RegistrationMode.IN_PERSON, organization: str = "市立病院"):
    person = PersonFields(family_name=family_name, family_kana=kana, organization=organization,
                          email=f"{family_name.encode().hex()}@example.jp")
    return register(db.session, event_id=event.id, person=person, mode=mode,
                    source=RegistrationSource.STAFF).registration


@pytest.fixture
def crowd(app, make_event):
    """Eight people in person, their furigana typed in every kind of kana (and one without),
    one on-demand viewer, one cancelled and one waitlisted: the capacity is 8."""
    event = make_event(capacity=8, format=EventFormat.HYBRID)
    cancel(db.session, registration_id=add(event, "取消", "あいかわ").id)
    for name, kana in IN_PERSON:
        add(event, name, kana)
    add(event, "配信", "はいしん", mode=RegistrationMode.ON_DEMAND)
    assert add(event, "松田", "まつだ").status == RegistrationStatus.WAITLISTED
    db.session.commit()
    return event


def positions(text: str, words: list[str]) -> list[int]:
    return [text.find(word) for word in words]


def audit_rows(action: str) -> list[dict]:
    return [row.detail for row in db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action))]


def test_the_reception_list_is_in_gojuon_order_under_row_headings(app, crowd, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    page = organizer.get(f"/admin/events/{crowd.id}/reception-list")
    assert page.status_code == 200
    html = page.text
    main, waitlist = html.split("キャンセル待ち（1名）")
    # あ: アベ (plain アヘ) before ヴォーン (ウオーン); か: カトウ before ゴトウ (plain コトウ);
    # さ: サトウ; は: ハイシン (the viewer) before ホッタ; わ: ワタナベ; その他: no furigana.
    expected = ["あ行", "阿部", "ヴォーン", "か行", "加藤", "後藤", "さ行", "佐藤", "は行", "配信", "堀田",
                "わ行", "渡辺", "その他", "Smith"]
    found = positions(main, expected)
    assert -1 not in found and found == sorted(found), dict(zip(expected, found, strict=True))
    assert all(f"{kana}行" not in main for kana in "たなまやら")  # rows nobody is in: no heading
    assert "取消" not in html  # cancelled
    assert "松田" in waitlist and "松田" not in main
    assert "申込 9名（参集 8名・オンデマンド 1名）" in main and "キャンセル待ち 1名" in main
    assert main.count('class="pr-box"') == 9 and waitlist.count('class="pr-box"') == 1
    assert "オンデマンド</div></td>" in main  # the viewer's 参加形態
    assert "thead" in main and "受付番号" in main and "ふりがな" in main and "所属" in main
    assert "令和7年7月11日(金)18:30～20:20" in main and "市役所 第1会議室" in main
    assert audit_rows("print_reception_list") == [{"rows": 10}]


def test_name_cards_for_the_people_in_person_in_the_same_order(app, crowd, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    html = organizer.get(f"/admin/events/{crowd.id}/name-cards").text
    names = ["阿部", "ヴォーン", "加藤", "後藤", "佐藤", "堀田", "渡辺", "Smith"]
    found = positions(html, [f'fit-0">{name}</p>' for name in names])
    assert -1 not in found and found == sorted(found)
    assert html.count('<section class="pr-sheet"') == 1
    assert html.count('<div class="pr-card">') == 8 and html.count("pr-card pr-blank") == 2
    assert "配信" not in html and "松田" not in html and "取消" not in html
    assert html.count("市立病院</p>") == 8
    assert audit_rows("print_name_cards") == [{"rows": 8}]


@pytest.mark.parametrize(("people", "sheets", "blanks"), [(0, 0, 0), (9, 1, 1), (10, 1, 0), (11, 2, 9), (20, 2, 0)])
def test_ten_cards_to_a_sheet_the_last_one_filled_with_blanks(app, make_event, make_user, people, sheets, blanks):
    event = make_event()
    for number in range(people):
        add(event, f"参加者{number}", "さんか")
    made = name_cards(db.session, event_id=event.id, user=make_user())
    assert made.people == people and len(made.sheets) == sheets
    assert all(len(sheet) == 10 for sheet in made.sheets)
    assert sum(card is None for sheet in made.sheets for card in sheet) == blanks


def test_an_event_nobody_registered_for(app, make_event, make_user):
    event = make_event()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert "申込はありません。" in organizer.get(f"/admin/events/{event.id}/reception-list").text
    cards = organizer.get(f"/admin/events/{event.id}/name-cards").text
    assert "名札を作る方はいません。" in cards and "pr-sheet" not in cards


def test_unknown_event_and_wrong_roles(app, make_event, make_user):
    event = make_event()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.get("/admin/events/999999/reception-list").status_code == 404
    assert organizer.get("/admin/events/999999/name-cards").status_code == 404
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    assert reception.get(f"/admin/events/{event.id}/reception-list").status_code == 403
    assert reception.get(f"/admin/events/{event.id}/name-cards").status_code == 403
    assert app.test_client().get(f"/admin/events/{event.id}/reception-list").status_code == 302  # to the login
    assert audit_rows("print_reception_list") == [] and audit_rows("print_name_cards") == []


def test_the_event_pages_link_to_both_printables(app, make_event, make_user):
    event = make_event()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    for page in (f"/admin/events/{event.id}/registrations", f"/admin/events/{event.id}/edit"):
        html = organizer.get(page).text
        assert f"/admin/events/{event.id}/reception-list" in html and "受付名簿を印刷" in html, page
        assert f"/admin/events/{event.id}/name-cards" in html and "名札を印刷" in html, page


def test_text_widths_count_wide_characters_as_one_em():
    assert text_width_em("山田 花子") == pytest.approx(4.55)  # four wide, one narrow space
    assert text_width_em("ﾔﾏﾀﾞ") == pytest.approx(2.2)  # half-width kana are narrow
    assert text_width_em("") == 0


@pytest.mark.parametrize(("box", "text", "expected"), [
    ("card_name", "山田 花子", "fit-0"),      # 4.55 em × 28 pt = 127 pt ≤ 227
    ("card_name", "一二三四五六七八", "fit-0"),  # 8 × 28 = 224 ≤ 227
    ("card_name", "一二三四五六七八九", "fit-1"),  # 9 × 28 = 252; 9 × 24 = 216
    ("card_name", "一" * 14, "fit-3"),         # 14 × 20 = 280; 14 × 16 = 224
    ("card_name", "一" * 18, "fit-4"),         # 18 × 13 = 234 > 227: the smallest size, wrapped
    ("card_name", "", "fit-0"),
    ("card_org", "医療法人社団 さくら会 訪問看護ステーションみなみ", "fit-2"),  # 24.1 em: × 9.5 = 229, × 8 = 193
    ("list_name", "ウィリアムズ・ジョンソン", "fit-1"),  # 12 × 11 = 132 > 110; 12 × 9 = 108
    ("list_org", "市立病院", "fit-0"),
])
def test_a_text_gets_the_largest_size_that_fits_its_box(box, text, expected):
    assert fit_class(box, text) == expected
