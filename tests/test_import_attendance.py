"""Import of past attendance lists: matching, preview, all-or-nothing, encodings."""
import base64
import io
from datetime import date

import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckIn
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.people.models import Person
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import logged_in_client

HEADER = "氏名,ふりがな,メールアドレス,電話番号,職種,所属,参加形態\r\n"
GOOD = HEADER + (
    "山田 花子,やまだ はなこ,HANAKO@example.jp,,看護師,流山中央病院,参集\r\n"
    "佐藤　一郎,サトウ イチロウ,,04-7150-0000,介護支援専門員,,オンデマンド\r\n"
    "髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,,,,みどり訪問看護ステーション,\r\n"
)


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Person, Registration, CheckIn))


def test_cli_imports_and_matches_known_people(app, runner, make_event, tmp_path):
    last_year = make_event(day=date(2024, 7, 12))
    event = make_event(day=date(2025, 7, 11))
    known = register(db.session, event_id=last_year.id, person=PersonFields(
        family_name="山田", given_name="花子", family_kana="ヤマダ", given_kana="ハナコ", email="hanako@example.jp"),
        mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF).registration
    path = tmp_path / "list.csv"
    path.write_bytes(GOOD.encode("cp932"))  # Excel in Japan saves Shift_JIS
    result = runner.invoke(args=["import", "attendance", str(path), "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert "rows 3, persons matched 1, created 2, rejected 0" in result.output
    # persons: 山田 (known) + 2 new; registrations: last year's + 3; check-ins: the 2 in person
    assert counts() == (3, 4, 2)
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)).all()
    assert [r.person_id == known.person_id for r in rows] == [True, False, False]
    assert [r.mode for r in rows] == [RegistrationMode.IN_PERSON, RegistrationMode.ON_DEMAND, RegistrationMode.IN_PERSON]
    assert {r.source for r in rows} == {RegistrationSource.IMPORT}
    takashi = db.session.scalar(sa.select(Person).where(Person.family_name == "髙橋"))
    assert takashi.family_kana == "タカハシ" and takashi.given_name == "﨑子"


def test_one_bad_line_imports_nothing_and_every_reason_is_listed(app, runner, make_event, tmp_path):
    event = make_event()
    bad = GOOD + "鈴木 次郎,,,,,,\r\n" + "田中,たなか,not-an-email,,,,参集\r\n" + "山田 花子,やまだ はなこ,hanako@example.jp,,,,\r\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(("\ufeff" + bad).encode("utf-8"))
    result = runner.invoke(args=["import", "attendance", str(path), "--event", str(event.id)])
    assert result.exit_code != 0
    assert "line 5: rejected: ふりがな・メールアドレス・電話番号のいずれかを入力してください。" in result.output
    assert "line 6: rejected: メールアドレスの形式が正しくありません。" in result.output
    assert "line 7: rejected: 2行目と同じ方です。" in result.output
    assert counts() == (0, 0, 0)


def test_unreadable_files_are_refused(app, runner, make_event, tmp_path):
    event = make_event()
    for content, message in [
        ("名前,電話\r\n山田,1\r\n".encode(), "見出し行が正しくありません"),
        (HEADER.encode(), "データの行がありません"),
        (b"\xff\xfe\x00\x00garbage\x81", "文字コード"),
    ]:
        path = tmp_path / "x.csv"
        path.write_bytes(content)
        result = runner.invoke(args=["import", "attendance", str(path), "--event", str(event.id)])
        assert result.exit_code != 0 and message in result.output, result.output
    missing = runner.invoke(args=["import", "attendance", str(path), "--event", "9999"])
    assert "指定されたイベントがない" in missing.output


def test_upload_preview_then_import(app, make_user, make_event):
    event = make_event()
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    preview = organizer.post(f"/admin/events/{event.id}/import",
                             data={"file": (io.BytesIO(GOOD.encode("utf-8")), "list.csv")},
                             content_type="multipart/form-data")
    assert preview.status_code == 200 and "新しい方" in preview.text and "この内容で取り込む" in preview.text
    assert counts() == (0, 0, 0)  # a preview keeps nothing
    carried = base64.b64encode(GOOD.encode("utf-8")).decode()
    done = organizer.post(f"/admin/events/{event.id}/import", data={"data": carried, "action": "import"})
    assert done.status_code == 302
    assert counts() == (3, 3, 2)
    again = organizer.post(f"/admin/events/{event.id}/import",
                           data={"file": (io.BytesIO(GOOD.encode("utf-8")), "list.csv")}, content_type="multipart/form-data")
    assert again.text.count("既存の方（No.") == 3 and again.text.count("申込済み") == 3
    bad = organizer.post(f"/admin/events/{event.id}/import",
                         data={"file": (io.BytesIO((GOOD + "x,,,,,,\r\n").encode()), "list.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "5行目" in bad.text and "この内容で取り込む" not in bad.text
    assert organizer.post(f"/admin/events/{event.id}/import", data={"data": "%%%", "action": "import"}).status_code == 422
