"""Import of form-tool answers (the responses CSV of docs/architecture.md, *CSV formats*):
labels and codes, linking, all or nothing with line numbers, the CLI and the upload screen
with preview."""
import io

import sqlalchemy as sa

from eventsapp.auth.models import Role
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from eventsapp.surveys.indicators import indicator_rates
from eventsapp.surveys.models import Response, ResponseSource


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def known(event):
    return register(db.session, event_id=event.id, person=PersonFields(
        family_name="山田", family_kana="やまだ", email="hanako@example.jp"), mode=RegistrationMode.IN_PERSON,
        source=RegistrationSource.STAFF).registration


HEADER = "タイムスタンプ,メールアドレス,受付番号,satisfaction,気軽に連携できるようになりましたか。,applicability,comments\r\n"


def test_cli_maps_labels_and_codes_and_links_registrations(app, runner, make_event, tmp_path):
    event = make_event()
    person = known(event)
    csv = HEADER + (
        "2025/07/11 20:30,HANAKO@example.jp,,とても満足,できるようになった,rather_yes,ありがとうございました\r\n"
        "2025/07/11 20:31,,,satisfied,ややできるようになった,,\r\n"
        "2025/07/11 20:32,other@example.jp,,どちらともいえない,,活かすことができない,\r\n"
        "2025/07/11 20:33,,,,,,\r\n"  # an empty line of the export
    )
    path = tmp_path / "logo.csv"
    path.write_bytes(csv.encode("cp932"))
    result = runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert "rows 3, linked to registrations 1, rejected 0" in result.output
    rows = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert [r.registration_id for r in rows] == [person.id, None, None]
    assert {r.source for r in rows} == {ResponseSource.IMPORT}
    rates = indicator_rates(db.session, [event.id])
    assert rates["satisfaction"] == {"n": 2, "d": 3, "pct": 66.7}
    assert rates["collaboration"] == {"n": 2, "d": 2, "pct": 100.0}
    assert rates["applicability"] == {"n": 1, "d": 2, "pct": 50.0}


def test_unknown_labels_are_rejected_with_line_numbers_and_nothing_is_imported(app, runner, make_event, tmp_path):
    event = make_event()
    person = known(event)
    csv = HEADER + (
        ",,,満足,,,\r\n"
        ",,,大満足,,,\r\n"
        f",,{person.id},満足,,,\r\n"
        f",,{person.id},満足,,,\r\n"
        ",,99999,満足,,,\r\n"
        ",,,満足,少しできた,,\r\n"
    )
    path = tmp_path / "bad.csv"
    path.write_bytes(("\ufeff" + csv).encode("utf-8"))
    result = runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)])
    assert result.exit_code != 0
    assert "line 3: rejected: satisfaction: 選択肢にない回答です。（「大満足」）" in result.output
    assert "line 5: rejected: 4行目と同じ申込の回答です。" in result.output
    assert "line 6: rejected: この受付番号の申込は、このイベントにはありません。（99999）" in result.output
    assert "line 7: rejected: collaboration: 選択肢にない回答です。（「少しできた」）" in result.output
    assert responses() == 0


def test_unknown_columns_and_files_are_refused(app, runner, make_event, tmp_path):
    event = make_event()
    path = tmp_path / "x.csv"
    path.write_bytes("氏名,満足度はいかが\r\n山田,満足\r\n".encode())
    result = runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)])
    assert result.exit_code != 0 and "アンケートにない列があります: 氏名, 満足度はいかが" in result.output
    path.write_bytes(b"satisfaction\r\n\x81\x7f\r\n")
    assert "文字コード" in runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)]).output
    result = runner.invoke(args=["import", "responses", str(path), "--event", "99999"])
    assert "指定されたイベントはありません。" in result.output


def test_a_multiple_choice_column(app, runner, make_event, tmp_path):
    from eventsapp.surveys.editing import OptionInput, QuestionInput, save_question
    from eventsapp.surveys.models import QuestionKind, Survey

    event = make_event()
    survey = db.session.scalar(sa.select(Survey).where(Survey.event_id == event.id))
    save_question(db.session, survey, QuestionInput(key="topics", text="関心のあるテーマ", kind=QuestionKind.MULTIPLE,
                                                    options=[OptionInput(code="acp", label="人生会議"),
                                                             OptionInput(code="ict", label="ICT")]))
    path = tmp_path / "m.csv"
    path.write_bytes("関心のあるテーマ\r\n人生会議;ICT\r\nict\r\n".encode())
    assert runner.invoke(args=["import", "responses", str(path), "--event", str(event.id)]).exit_code == 0
    from eventsapp.surveys.service import answers_of

    stored = [answers_of(db.session, r) for r in db.session.scalars(sa.select(Response).order_by(Response.id))]
    assert stored == [{"topics": ["acp", "ict"]}, {"topics": ["ict"]}]


def test_upload_screen_previews_then_imports(client, login, make_event):
    event = make_event()
    login(Role.ORGANIZER)
    url = f"/admin/events/{event.id}/survey/import"
    assert "フォームの回答の取り込み" in client.get(url).text
    data = "satisfaction,comments\r\n満足,<script>x</script>\r\nやや不満,\r\n".encode()
    preview = client.post(url, data={"file": (io.BytesIO(data), "form.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and "この内容で取り込む" in preview.text
    assert responses() == 0
    carried = preview.text.split('name="data" value="')[1].split('"')[0]
    done = client.post(url, data={"data": carried, "action": "import"})
    assert done.status_code == 302 and responses() == 2
    bad = client.post(url, data={"file": (io.BytesIO("satisfaction\r\n最高\r\n".encode()), "f.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "2行目" in bad.text and responses() == 2
