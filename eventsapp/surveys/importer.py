"""Import of answers exported from a form tool (LoGoフォーム, Google Forms): the responses
CSV of docs/architecture.md, *CSV formats*.

Columns: メールアドレス or 受付番号 (optional; ties the response to a registration), then one
column per question, headed by the question's key or its exact text. A cell holds the
option's label or code (multiple choice: labels joined by ';'); an empty cell is no answer.
The form tools' own timestamp columns are ignored. A joint event's file may carry the
answer to 「医療・介護の仕事をされていますか」 (はい / いいえ) in a column of that name (or
`audience`); without it the registration's 職種, else the questions answered, say which
audience's questions a row was asked (surveys/audiences.py). All or nothing, as the
attendance import: the preview runs the very same import and rolls it back.
"""
import csv
import io
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.service import record
from ..checkin.importer import AttendanceImportError, decode
from ..domain import DomainError
from ..people.identity import normalize_email
from ..people.models import Person
from ..registration.models import Registration, RegistrationStatus
from ..registration.numbers import parse_registration_number
from .audiences import respondent_audience
from .models import Question, QuestionKind, Response, ResponseSource
from .service import SurveyError, already_answered, answer_rows, check_answers, event_survey, parse_audience

LINK_COLUMNS = ("メールアドレス", "受付番号")
# The column of the first question at a joint event, after fold() and without its "？".
AUDIENCE_COLUMNS = {"医療・介護の仕事をされていますか", "audience"}
IGNORED_COLUMNS = {"タイムスタンプ", "timestamp", "回答日時", "送信日時", "受付日時", "回答id", "no", "no."}
MAX_ROWS = 5000


class ResponseImportError(DomainError):
    """The file cannot be read at all (encoding, header, empty, no survey)."""

    MESSAGES = {
        "column_twice": (_l("同じ設問の列が2つあります: %(name)s"), 422),
        "unknown_columns": (_l("アンケートにない列があります: %(names)s"
                               "（見出しは設問のキーか設問文そのままにしてください）"), 422),
        "no_question_columns": (_l("設問の列がありません。"), 422),
        "header_repeated": (_l("見出しが重複しています。"), 422),
        "no_rows": (_l("データの行がありません。"), 422),
        "too_many_rows": (_l("一度に取り込めるのは%(limit)d行までです。"), 422),
    }


@dataclass
class ImportedResponse:
    line: int
    registration_id: int | None
    link: str  # number | email | email_unmatched | anonymous
    answered: int


@dataclass
class ResponseImportReport:
    rows: list[ImportedResponse] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, question text)
    committed: bool = False

    @property
    def linked(self) -> int:
        return sum(row.registration_id is not None for row in self.rows)


def fold(text: str) -> str:
    """Labels compare after NFKC and outer spaces: full-width and half-width alike."""
    return unicodedata.normalize("NFKC", text).strip()


def is_audience_column(name: str) -> bool:
    return fold(name).rstrip("?？。").lower() in AUDIENCE_COLUMNS


def map_columns(header: list[str], questions: list[Question]) -> dict[str, Question]:
    """header → question, by key or exact text. Raises ResponseImportError on an unknown
    or doubled column."""
    by_name = {q.key: q for q in questions} | {fold(q.text): q for q in questions}
    mapped: dict[str, Question] = {}
    unknown = []
    for name in header:
        if name in LINK_COLUMNS or fold(name).lower() in IGNORED_COLUMNS or is_audience_column(name):
            continue
        question = by_name.get(fold(name))
        if question is None:
            unknown.append(name)
        elif question in mapped.values():
            raise ResponseImportError("column_twice", name=name)
        else:
            mapped[name] = question
    if unknown:
        shown = ", ".join(name[:40] for name in unknown[:5])
        raise ResponseImportError("unknown_columns", names=shown)
    if not mapped:
        raise ResponseImportError("no_question_columns")
    return mapped


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = decode(data)
    except AttendanceImportError as error:
        raise error.carried_as(ResponseImportError) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if len(set(header)) != len(header):
        raise ResponseImportError("header_repeated")
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    if not rows:
        raise ResponseImportError("no_rows")
    if len(rows) > MAX_ROWS:
        raise ResponseImportError("too_many_rows", limit=MAX_ROWS)
    return header, rows


def cell_codes(question: Question, cell: str) -> str | list[str]:
    """A cell as option code(s) or text. Raises SurveyError(unknown_option) with the value."""
    if question.kind == QuestionKind.TEXT:
        return cell
    by_code = {o.code: o.code for o in question.options}
    by_label = {fold(o.label): o.code for o in question.options}
    parts = [part.strip() for part in cell.split(";")] if question.kind == QuestionKind.MULTIPLE else [cell]
    codes = []
    for part in filter(None, parts):
        code = by_code.get(part) or by_label.get(fold(part))
        if code is None:
            raise SurveyError("unknown_option", question.key, detail=f"「{part[:40]}」")
        codes.append(code)
    return codes if question.kind == QuestionKind.MULTIPLE else codes[0]


def link_of(session: Session, event_id: int, row: dict[str, str]) -> tuple[int | None, str]:
    """The registration a row names: by 受付番号 (must exist in the event), else by
    メールアドレス (an address with no registration imports the row unlinked)."""
    number = fold(row.get("受付番号", ""))
    live = (Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)
    if number:
        registration_id = parse_registration_number(number)
        found = session.scalar(select(Registration.id).where(Registration.id == registration_id, *live)) \
            if registration_id is not None else None
        if found is None:
            raise SurveyError("unknown_registration", "registration", detail=number[:20])
        return found, "number"
    email = normalize_email(row.get("メールアドレス", ""))
    if email:
        found = session.scalar(
            select(Registration.id).join(Registration.person).where(Person.email_key == email, *live).limit(1)
        )
        return found, "email" if found else "email_unmatched"
    return None, "anonymous"


def import_responses(
    session: Session, *, event_id: int, data: bytes, commit: bool, entered_by: User | None = None
) -> ResponseImportReport:
    """Import the file as responses to the event's survey (source import). With
    commit=False, or any rejected line, nothing is kept. A kept import by a user (the
    screen's) is audit-logged in the same commit. Raises ResponseImportError when the file
    or the event's survey cannot be used at all."""
    try:
        _event, survey = event_survey(session, event_id)
    except SurveyError as error:
        raise error.carried_as(ResponseImportError) from None
    header, rows = read_rows(data)
    columns = map_columns(header, list(survey.questions))
    audience_column = next((name for name in header if is_audience_column(name)), None)
    report = ResponseImportReport(columns=[(name, q.text) for name, q in columns.items()])
    seen: dict[int, int] = {}
    try:
        for line, row in rows:
            try:
                answers = {q.key: cell_codes(q, row[name]) for name, q in columns.items() if row.get(name)}
                answers = {key: value for key, value in answers.items() if value not in ("", [])}
                declared = parse_audience(row.get(audience_column, "")) if audience_column else None
                registration_id, link = link_of(session, event_id, row)
                who = respondent_audience(session, survey, answers, declared=declared, registration_id=registration_id)
                checked = check_answers(survey, answers, require=False, audience=who)
            except SurveyError as error:
                where = "" if error.field in (None, "registration", "audience") else f"{error.field}: "
                report.rejected.append((line, where + error.message))
                continue
            if not checked and registration_id is None:
                continue  # an empty line of the export
            if registration_id is not None:
                if registration_id in seen:
                    report.rejected.append((line, f"{seen[registration_id]}行目と同じ申込の回答です。"))
                    continue
                if already_answered(session, survey.id, registration_id):
                    report.rejected.append((line, f"受付番号{registration_id}の方の回答はすでにあります。"))
                    continue
                seen[registration_id] = line
            session.add(Response(survey_id=survey.id, registration_id=registration_id, source=ResponseSource.IMPORT,
                                 entered_by_id=entered_by.id if entered_by else None, audience=who,
                                 answers=answer_rows(checked)))
            report.rows.append(ImportedResponse(line, registration_id, link, len(answers)))
        session.flush()
        if commit and not report.rejected and report.rows:
            if entered_by is not None:
                record(session, "import_responses", user=entered_by, target=f"event:{event_id}", rows=len(report.rows))
            session.commit()
            report.committed = True
        else:
            session.rollback()
    except Exception:
        session.rollback()
        raise
    return report
