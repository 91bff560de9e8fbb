"""The attendance list's XLSX printed as the city will print it: converted to PDF by LibreOffice
headless and read back with pdftotext. Every name is there, and the columns are never split
across pages: each page carries the whole header (its first and its last column), so the pages
are only ever cut between rows."""
import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from eventsapp.auth.models import Role
from eventsapp.checkin.models import CheckInMethod
from eventsapp.checkin.service import Scan, check_in
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import RegistrationMode, RegistrationSource
from eventsapp.registration.service import register
from tests_support import logged_in_client

pytestmark = pytest.mark.slow  # starts LibreOffice

SOFFICE = shutil.which("soffice")
ORGANIZATIONS = ("みなと訪問看護ステーション", "", "市立病院 地域医療連携室",
                 "社会福祉法人 港南福祉会 特別養護老人ホーム みなと苑 居宅介護支援事業所")


@pytest.fixture
def libreoffice():
    if SOFFICE is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-calc-nogui) and poppler-utils are required under CI")
        pytest.skip("LibreOffice or pdftotext is not installed")


def to_pdf(xlsx: bytes, folder) -> list[str]:
    """The text of each page of the sheet printed to PDF by LibreOffice (its own profile in
    `folder`, so that parallel runs do not share one)."""
    source = folder / "attendance.xlsx"
    source.write_bytes(xlsx)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(folder / "attendance.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]  # a form feed ends every page


# Pages measured with Debian's LibreOffice 7.4: 2 for 30 people, 6 for 90 (a fourth of them with a
# five-line 所属); one more or less is allowed for other fonts' metrics.
@pytest.mark.parametrize("people, pages", [(30, (1, 2)), (90, (5, 6, 7))])
def test_every_name_on_pages_that_each_carry_the_whole_header(app, make_user, make_event, tmp_path, libreoffice,
                                                              people, pages):
    event = make_event(title="介護と医療をつむぐ会 第1回「ICTを活用した多職種連携について」",
                       venue="市役所 本庁舎 5階 第1会議室")
    organizer = make_user("printing", Role.ORGANIZER)
    names = []
    for n in range(people):
        person = PersonFields(family_name=f"参加者{n:03d}", given_name="花子", family_kana="さんかしゃ",
                              given_kana="はなこ", email=f"attendee{n}@care-office.example.jp",
                              organization=ORGANIZATIONS[n % 4], profession="介護支援専門員")
        registration = register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON,
                                source=RegistrationSource.STAFF).registration
        names.append(f"参加者{n:03d} 花子")
        if n % 2:
            check_in(db.session, event_id=event.id, staff=organizer, at=event.starts_at,
                     scan=Scan(registration_id=registration.id, nonce=f"print-{n:04d}", method=CheckInMethod.NUMBER))
    client = logged_in_client(app, make_user, Role.ORGANIZER)
    xlsx = client.get(f"/admin/events/{event.id}/registrations.xlsx").data
    assert load_workbook(io.BytesIO(xlsx)).active.max_row == 5 + people

    printed = to_pdf(xlsx, tmp_path)
    assert len(printed) in pages
    assert "令和7年7月11日(金)18:30～20:20" in printed[0] and "会場：市役所 本庁舎 5階 第1会議室" in printed[0]
    for number, page in enumerate(printed, start=1):
        header = next(line for line in page.splitlines() if "受付番号" in line)
        assert header.split()[0] == "受付番号" and header.split()[-1] == "当日参加", number
        assert all(label in header for label in ("氏名", "所属", "受付時刻", "受付方法")), number
    whole = "\n".join(printed)
    assert [name for name in names if name not in whole] == []
