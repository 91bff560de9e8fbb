"""Import of past paper attendance lists (the CSV of `flask import attendance` in the
README): every row lands on a person, so that history counts for "new participant". It
writes check-ins, so it lives with them.

All or nothing: a file with any rejected line imports nothing. The preview runs the very
same import in a transaction and rolls it back, so what it shows is what would happen."""
import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..catalog.models import Event, EventStatus
from ..domain import DomainError
from ..people.identity import PersonFields, resolve_person, split_name
from ..registration.models import (
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    typed_columns,
)
from ..registration.service import RegistrationError, check_person_fields, live_registration
from ..registration.tickets import new_token
from .models import CheckIn, CheckInMethod

HEADER = ("氏名", "ふりがな", "メールアドレス", "電話番号", "職種", "所属", "参加形態")
MODES = {"": RegistrationMode.IN_PERSON, "参集": RegistrationMode.IN_PERSON, "オンデマンド": RegistrationMode.ON_DEMAND}
MAX_ROWS = 5000


@dataclass
class ImportedRow:
    line: int
    name: str
    person_id: int
    outcome: str  # matched | new | already_registered


@dataclass
class ImportReport:
    rows: list[ImportedRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    committed: bool = False

    @property
    def matched(self) -> int:
        return sum(row.outcome != "new" for row in self.rows)

    @property
    def created(self) -> int:
        return sum(row.outcome == "new" for row in self.rows)


class AttendanceImportError(DomainError):
    """The file cannot be read at all (encoding, header, empty, unknown event)."""

    MESSAGES = {
        "encoding": (_l("文字コードを読み取れません。UTF-8 または Shift_JIS（CP932）で保存してください。"), 422),
        "header_invalid": (_l("見出し行が正しくありません。使える見出し: %(headers)s（「氏名」は必須）"), 422),
        "no_rows": (_l("データの行がありません。"), 422),
        "too_many_rows": (_l("一度に取り込めるのは%(limit)d行までです。"), 422),
        "event_unavailable": (_l("指定されたイベントがないか、中止になっています。"), 404),
    }


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932, as Excel in Japan writes it."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceImportError("encoding")


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("氏名",) if name not in header]
    unknown = [name for name in header if name not in HEADER]
    if missing or unknown:
        raise AttendanceImportError("header_invalid", headers=", ".join(HEADER))
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    if not rows:
        raise AttendanceImportError("no_rows")
    if len(rows) > MAX_ROWS:
        raise AttendanceImportError("too_many_rows", limit=MAX_ROWS)
    return rows


def row_fields(row: dict[str, str]) -> tuple[PersonFields, RegistrationMode]:
    family_name, given_name = split_name(row.get("氏名", ""))
    family_kana, given_kana = split_name(row.get("ふりがな", ""))
    mode = row.get("参加形態", "")
    if mode not in MODES:
        raise RegistrationError("mode_unavailable", "参加形態")
    fields = PersonFields(
        family_name=family_name, given_name=given_name, family_kana=family_kana, given_kana=given_kana,
        email=row.get("メールアドレス", ""), phone=row.get("電話番号", ""), profession=row.get("職種", ""),
        organization=row.get("所属", ""),
    )
    check_person_fields(fields, public=False)
    return fields, MODES[mode]


def import_attendance(session: Session, *, event_id: int, data: bytes, commit: bool,
                      user: User | None = None) -> ImportReport:
    """Import the list as people who took part in the event (in person: checked in; on
    demand: registered). With commit=False, or any rejected line, nothing is kept; a kept
    import is logged (user None: the CLI) in the same transaction.
    Raises AttendanceImportError when the file cannot be read or the event does not exist."""
    event = session.get(Event, event_id)
    if event is None or event.status == EventStatus.CANCELLED:
        raise AttendanceImportError("event_unavailable")
    rows = read_rows(data)
    report = ImportReport()
    seen: dict[int, int] = {}
    try:
        for line, row in rows:
            try:
                fields, mode = row_fields(row)
            except RegistrationError as error:
                report.rejected.append((line, error.message))
                continue
            person, match = resolve_person(session, fields)
            if person.id in seen:
                report.rejected.append((line, _l("%(line)s行目と同じ方です。", line=seen[person.id])))
                continue
            seen[person.id] = line
            outcome = "matched" if match.person is not None else "new"
            if attend(session, event=event, person_id=person.id, mode=mode, typed=fields):
                outcome = "already_registered" if outcome == "matched" else outcome
            report.rows.append(ImportedRow(line, person.display_name, person.id, outcome))
        if commit and not report.rejected:
            record(session, "import_attendance", user=user, target=f"event:{event.id}", rows=len(report.rows))
            session.commit()
            report.committed = True
        else:
            session.rollback()
    except Exception:
        session.rollback()
        raise
    return report


def attend(session: Session, *, event: Event, person_id: int, mode: RegistrationMode, typed: PersonFields) -> bool:
    """Record that the person took part; returns True if they were registered already."""
    registration = live_registration(session, event_id=event.id, person_id=person_id)
    existed = registration is not None
    if registration is None:
        registration = Registration(
            event_id=event.id, person_id=person_id, mode=mode, status=RegistrationStatus.REGISTERED,
            source=RegistrationSource.IMPORT, ticket_token=new_token(), manage_token=new_token(),
            **typed_columns(typed),
        )
        session.add(registration)
        session.flush()
    registration.status = RegistrationStatus.REGISTERED  # a waitlisted person who came took part
    checked_in = session.scalar(select(CheckIn.id).where(CheckIn.registration_id == registration.id))
    if registration.mode == RegistrationMode.IN_PERSON and checked_in is None:
        session.add(CheckIn(registration_id=registration.id, method=CheckInMethod.IMPORT))
    session.flush()
    return existed
