"""Answering a survey: checking answers against the questions, storing a response once per
registration, correcting a typed sheet, and the survey's closing date.

Every way in — the personal link, the venue link, paper entry, the form-tool import and the
API — hands the same answer mapping to check_answers(): {question key: option code, [codes]
or text}. A question left unanswered is simply absent. The database's unique
(survey, registration) decides "one response per registration"; the service only turns
its IntegrityError into a polite refusal.

A joint event of a professionals' and a citizens' series asks each audience its own
questions (Question.audience). Who the respondent is (respondent_audience) comes from
their answer to 「医療・介護の仕事をされていますか」, else their registration's 職種, else the
questions they answered; a question not meant for them may not be answered, and their
missing answer to it is no blank: so the indicator rates, responses that answered / positive
ones, count only the respondents asked (surveys/indicators.py).
"""
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..catalog.models import Audience, Event, EventStatus
from ..dates import now
from ..domain import UNKNOWN_EVENT, DomainError
from ..locking import lock_row
from ..people.identity import INSERTS, normalize_kana
from ..people.models import Person
from ..registration.models import Registration, RegistrationStatus
from ..registration.numbers import parse_registration_number
from .audiences import ASKED_OF, AUDIENCE_ANSWERS, asked, respondent_audience
from .models import Answer, Question, QuestionKind, Response, ResponseSource, Survey, VenueLinkTry

MAX_TEXT_LENGTH = 2000
# A survey without a closing date of its own closes this long after its event ends.
DEFAULT_OPEN_FOR = timedelta(days=30)
STAFF_SOURCES = (ResponseSource.PAPER, ResponseSource.IMPORT)
# Failed tries after which a 受付番号 links no more venue answers at that event.
MAX_LINK_FAILURES = 5

class SurveyError(DomainError):
    """A refused survey operation: a stable code, the question key at fault, a message and a status."""

    MESSAGES = {
        "unknown_event": UNKNOWN_EVENT,
        "no_survey": (_l("このイベントにはアンケートがありません。"), 404),
        "closed": (_l("このアンケートの回答受付は終了しました。"), 410),
        "not_open_yet": (_l("会場のアンケートはイベントの開始時刻から回答できます。"), 403),
        "unknown_question": (_l("この設問はアンケートにありません。"), 404),
        "unknown_option": (_l("選択肢にない回答です。"), 422),
        "single_expected": (_l("この設問は選択肢を1つだけ選んでください。"), 422),
        "choices_expected": (_l("この設問は選択肢のコードを配列で指定してください。"), 422),
        "text_expected": (_l("この設問は文章で回答してください。"), 422),
        "required": (_l("必須の設問です。回答してください。"), 422),
        "not_asked": (_l("この設問は、%(asked_of)sにお聞きする設問です。"), 422),
        "both_audiences": (_l("医療・介護の仕事をされている方の設問と、されていない方の設問の両方には回答できません。"), 422),
        "audience_invalid": (_l("「医療・介護の仕事をされていますか」には「はい」か「いいえ」でお答えください。"), 422),
        "too_long": (_l("回答が長すぎます。%(limit)d文字以内で入力してください。"), 422),
        "control_characters": (_l("使えない文字（制御文字）が含まれています。"), 422),
        "answers_invalid": (_l("回答の形式が正しくありません。"), 422),
        "unknown_registration": (_l("この受付番号の申込は、このイベントにはありません。"), 404),
        # One message for a number that does not exist, is of another event or cancelled, or whose
        # furigana differs: a guesser must not learn which numbers are real.
        "link_mismatch": (_l("受付番号とふりがな（姓）の組み合わせが一致しません。"
                             "参加票の受付番号と、申込時の姓のふりがなをすべて入力してください。"), 422),
        "link_kana_required": (_l("受付番号を入力した方は、ふりがな（姓）も入力してください。"
                                  "受付番号を空欄にすれば無記名で回答できます。"), 422),
        "link_locked": (_l("この受付番号は、確認できない入力が続いたため、回答と結びつけられなくなりました。"
                           "受付番号とふりがなを空欄にすれば、無記名で回答できます。"), 429),
        "registration_ambiguous": (_l("同じ名前の申込が複数あります。受付番号で指定してください。"), 422),
        "already_answered": (_l("この申込の方からは、すでに回答をいただいています。"), 409),
        "unknown_response": (_l("指定された回答はありません。"), 422),
        "not_editable": (_l("ご本人が回答したものは修正できません（紙・取り込みの回答のみ修正できます）。"), 422),
        "key_invalid": (_l("キーは半角英小文字・数字・_（50文字以内、英字で始まる）で入力してください。"), 422),
        "key_taken": (_l("同じキーの設問がすでにあります。"), 422),
        "indicator_taken": (_l("同じ指標キーの設問がすでにあります。"), 422),
        "text_required": (_l("設問文を入力してください。"), 422),
        "options_required": (_l("選択式の設問には選択肢を2つ以上入力してください。"), 422),
        "options_for_text": (_l("自由記述の設問には選択肢も指標キーも付けられません。"), 422),
        "option_invalid": (_l("選択肢はコード（50文字以内）と表示名（200文字以内）を入力してください。"), 422),
        "option_code_taken": (_l("選択肢のコードが重複しています。"), 422),
        "positive_required": (_l("指標キーのある設問には、肯定的な選択肢を1つ以上指定してください。"), 422),
        "locked": (_l("回答があるため、この設問や選択肢の意味（文言・種類・指標・選択肢・肯定の区分）は変更できません。"), 422),
        "locked_new_required": (_l("回答があるアンケートに追加できるのは任意の設問だけです。"), 422),
        "title_required": (_l("タイトルを入力してください（200文字以内）。"), 422),
        "date_invalid": (_l("日付は 2025-08-31 の形式で、%(first)d年から%(last)d年までで入力してください。"), 422),
        # Surveys of organizations (surveys/org_service.py).
        "unknown_survey": (_l("指定されたアンケートはありません。"), 404),
        "types_invalid": (_l("事業所種別を一覧から選んでください。"), 422),
        "fiscal_year_invalid": (_l("年度は%(first)d年度から%(last)d年度までの数字で入力してください。"), 422),
        "organization_required": (_l("回答した事業所を、事業所コードまたは名称で指定してください。"), 422),
        "unknown_organization": (_l("この事業所コード・名称の事業所は、このアンケートの送付先にありません。"), 404),
        "organization_ambiguous": (_l("名称が一致する送付先が複数あります。事業所コードで指定してください。"), 422),
        "organization_answered": (_l("この事業所からは、すでに回答をいただいています。"), 409),
        "code_invalid": (_l("事業所コードが正しくありません。依頼状に記載の8文字（例: ABCD-EFGH）を入力してください。"), 422),
    }


@dataclass(frozen=True)
class CheckedAnswer:
    question_id: int
    option_id: int | None = None
    text: str | None = None


def closes_at(survey: Survey, event: Event) -> datetime:
    """The moment the public pages stop taking answers: the survey's own date, else 30
    days after the event ends. Staff entry (paper, import, API) is not bound by it."""
    return survey.closes_at or event.ends_at + DEFAULT_OPEN_FOR


def is_open(survey: Survey, event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED and now() <= closes_at(survey, event)


def venue_is_open_yet(event: Event) -> bool:
    """The venue link opens at the event's start: an answer given before it was about an
    event nobody had attended yet (a response rate of 200 % was seen)."""
    return now() >= event.starts_at


def event_survey(session: Session, event_id: int) -> tuple[Event, Survey]:
    """The event and its survey with questions and options loaded.
    Raises SurveyError: unknown_event, no_survey."""
    event = session.get(Event, event_id)
    if event is None:
        raise SurveyError("unknown_event")
    survey = session.scalar(
        select(Survey).where(Survey.event_id == event_id)
        .options(selectinload(Survey.questions).selectinload(Question.options))
    )
    if survey is None:
        raise SurveyError("no_survey")
    return event, survey


def check_text(value: str, key: str) -> str:
    if len(value) > MAX_TEXT_LENGTH:
        raise SurveyError("too_long", key, limit=MAX_TEXT_LENGTH)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise SurveyError("control_characters", key)
    return value.strip()


def check_answer(question: Question, value) -> list[CheckedAnswer]:
    """The answer rows of one question; [] for a blank. Raises SurveyError."""
    key = question.key
    if question.kind == QuestionKind.TEXT:
        if not isinstance(value, str):
            raise SurveyError("text_expected", key)
        text = check_text(value, key)
        return [CheckedAnswer(question.id, text=text)] if text else []
    by_code = {option.code: option for option in question.options}
    if question.kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise SurveyError("choices_expected", key)
        codes = list(dict.fromkeys(value))
    else:
        if isinstance(value, list):
            raise SurveyError("single_expected", key)
        if not isinstance(value, str):
            raise SurveyError("unknown_option", key)
        codes = [value]
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        shown = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:40] + "…"
        raise SurveyError("unknown_option", key, detail=f"{question.text[:30]}: {shown}")
    return [CheckedAnswer(question.id, option_id=by_code[code].id) for code in codes]


def parse_audience(text: str | None) -> Audience | None:
    """A respondent's answer to 「医療・介護の仕事をされていますか」; None when blank.
    Raises SurveyError: audience_invalid."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if text not in AUDIENCE_ANSWERS:
        raise SurveyError("audience_invalid", "audience")
    return AUDIENCE_ANSWERS[text]


def check_answers(survey: Survey, answers, *, require: bool, audience: Audience | None = None) -> list[CheckedAnswer]:
    """Check a whole answer mapping against the survey; `require` enforces the required
    marks (respondents), staff typing a sheet may leave anything blank. A question not
    meant for the respondent's audience (respondent_audience) may not be answered, and is
    not required of them. Raises SurveyError with the key at fault."""
    if not isinstance(answers, dict) or not all(isinstance(key, str) for key in answers):
        raise SurveyError("answers_invalid")
    by_key = {question.key: question for question in survey.questions}
    for key in answers:
        if key not in by_key:
            raise SurveyError("unknown_question", key if len(key) <= 50 else None, detail=key[:50])
    checked: list[CheckedAnswer] = []
    for question in survey.questions:
        rows = check_answer(question, answers[question.key]) if question.key in answers else []
        if rows and not asked(question, audience):
            if audience is None:
                raise SurveyError("both_audiences", question.key, detail=question.text[:30])
            raise SurveyError("not_asked", question.key, detail=question.text[:30], asked_of=ASKED_OF[question.audience])
        if require and question.required and asked(question, audience) and not rows:
            raise SurveyError("required", question.key, detail=question.text[:30])
        checked.extend(rows)
    return checked


def answer_rows(checked: list[CheckedAnswer]) -> list[Answer]:
    return [Answer(question_id=a.question_id, option_id=a.option_id, text=a.text) for a in checked]


def check_registration(session: Session, event: Event, registration_id: int | None) -> Registration | None:
    """The registration a response is tied to: of this event and not cancelled.
    Raises SurveyError: unknown_registration."""
    if registration_id is None:
        return None
    registration = session.get(Registration, registration_id) if 0 < registration_id < 2**31 else None
    if registration is None or registration.event_id != event.id or registration.status == RegistrationStatus.CANCELLED:
        raise SurveyError("unknown_registration", "registration")
    return registration


def submit_response(
    session: Session,
    *,
    event_id: int,
    answers,
    source: ResponseSource,
    registration_id: int | None = None,
    entered_by_id: int | None = None,
    claimed_kana: str | None = None,
    audience: Audience | None = None,
) -> Response:
    """Store one response to the event's survey; commits. Respondents (link, venue) must
    answer the required questions and the survey must be open; staff (paper, import) may
    leave blanks and type sheets after the closing date. Nothing is stored on refusal.
    A 受付番号 typed at the venue link comes with the family name's furigana
    (claimed_kana) and is checked by claim_registration. `audience` is the respondent's
    answer to 「医療・介護の仕事をされていますか」, if the form asked it (respondent_audience).
    Raises SurveyError: unknown_event, no_survey, closed, unknown_registration, link_mismatch,
    link_kana_required, link_locked, already_answered and the answer codes of check_answers."""
    event, survey = event_survey(session, event_id)
    respondent = source not in STAFF_SOURCES
    if respondent and not is_open(survey, event):
        raise SurveyError("closed")
    if source == ResponseSource.VENUE and not venue_is_open_yet(event):
        raise SurveyError("not_open_yet")
    if event.status == EventStatus.CANCELLED:
        raise SurveyError("unknown_event")
    # a number typed at the venue is not the respondent's until claim_registration says so
    who = respondent_audience(session, survey, answers, declared=audience,
                              registration_id=registration_id if claimed_kana is None else None)
    checked = check_answers(survey, answers, require=respondent, audience=who)
    if claimed_kana is not None and registration_id is not None:
        claim_registration(session, event_id=event.id, number=registration_id, claimed_kana=claimed_kana)
    else:
        check_registration(session, event, registration_id)
    if registration_id is not None and already_answered(session, survey.id, registration_id):
        session.rollback()  # ends the lock a venue claim holds
        raise SurveyError("already_answered", "registration")
    response = Response(survey_id=survey.id, registration_id=registration_id, source=source,
                        entered_by_id=entered_by_id, audience=who, answers=answer_rows(checked))
    session.add(response)
    try:
        session.commit()
    except IntegrityError:  # the same registration answering twice at the same moment
        session.rollback()
        raise SurveyError("already_answered", "registration") from None
    return response


def claim_registration(session: Session, *, event_id: int, number: int, claimed_kana: str) -> Registration:
    """The registration a venue respondent claims by 受付番号 and family-name furigana.

    Numbers are sequential and the venue link is shared, so the whole family furigana must
    be equal after normalisation, every mismatch gets one answer, and a number that failed
    MAX_LINK_FAILURES times at the event links nothing more there. The try row stays
    locked until the caller commits, so parallel tries cannot pass the cap; a failure is
    committed here. Raises SurveyError: link_kana_required, link_mismatch, link_locked."""
    claimed = normalize_kana(claimed_kana)
    if not claimed:  # decided before the number is looked at: it tells nothing about it
        raise SurveyError("link_kana_required", "registration")
    if not 0 <= number < 2**31:
        raise SurveyError("link_mismatch", "registration")
    tries = lock_link_tries(session, event_id, number)
    if tries.failures >= MAX_LINK_FAILURES:
        session.rollback()
        raise SurveyError("link_locked", "registration")
    registration = session.get(Registration, number)
    if (registration is None or registration.event_id != event_id
            or registration.status == RegistrationStatus.CANCELLED
            or normalize_kana(registration.person.family_kana) != claimed):
        tries.failures += 1
        tries.last_failed_at = now()
        session.commit()
        raise SurveyError("link_mismatch", "registration")
    return registration


def lock_link_tries(session: Session, event_id: int, number: int) -> VenueLinkTry:
    """The try row of this number and event, created at its first try, locked."""
    # The unique (event, number) decides: a parallel first try makes this insert a no-op.
    insert = INSERTS[session.get_bind().dialect.name]
    session.execute(insert(VenueLinkTry).values(event_id=event_id, number=number, failures=0)
                    .on_conflict_do_nothing(index_elements=["event_id", "number"]))
    condition = (VenueLinkTry.event_id == event_id) & (VenueLinkTry.number == number)
    return lock_row(session, VenueLinkTry, condition)


def already_answered(session: Session, survey_id: int, registration_id: int) -> bool:
    return session.scalar(
        select(Response.id).where(Response.survey_id == survey_id, Response.registration_id == registration_id)
    ) is not None


def correct_response(
    session: Session, *, response_id: int, answers, registration_id: int | None, entered_by_id: int | None,
    audience: Audience | None = None,
) -> Response:
    """Replace the answers (and the registration link, and the sheet's answer to
    「医療・介護の仕事をされていますか」) of a typed or imported sheet; commits. Respondents' own
    answers are not staff's to change.
    Raises SurveyError: unknown_response, not_editable, unknown_registration,
    already_answered and the answer codes."""
    response = session.get(Response, response_id)
    if response is None:
        raise SurveyError("unknown_response")
    if response.source not in STAFF_SOURCES:
        raise SurveyError("not_editable")
    survey = session.get(Survey, response.survey_id)
    event = session.get(Event, survey.event_id)
    who = respondent_audience(session, survey, answers, declared=audience, registration_id=registration_id)
    checked = check_answers(survey, answers, require=False, audience=who)
    check_registration(session, event, registration_id)
    response.audience = who
    return replace_answers(session, response, checked, taken=SurveyError("already_answered", "registration"),
                           registration_id=registration_id, entered_by_id=entered_by_id)


def replace_answers(session: Session, response: Response, checked: list[CheckedAnswer], *, taken: SurveyError,
                    **owner) -> Response:
    """A corrected sheet: its answers replaced, then `owner` set (the registration or the
    office it belongs to, who typed it); commits. The one-response rule of the database
    refuses an owner that already answered: raised as `taken`."""
    response.answers = []
    session.flush()  # the old rows go before the new ones meet the unique constraint
    response.answers = answer_rows(checked)
    for name, value in owner.items():
        setattr(response, name, value)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise taken from None
    return response


def delete_response(session: Session, *, response_id: int) -> int:
    """Remove a sheet typed by mistake (paper or import only); commits; returns its event id.
    Raises SurveyError: unknown_response, not_editable."""
    response = session.get(Response, response_id)
    if response is None:
        raise SurveyError("unknown_response")
    if response.source not in STAFF_SOURCES:
        raise SurveyError("not_editable")
    event_id = session.scalar(select(Survey.event_id).where(Survey.id == response.survey_id))
    if event_id is None:  # a sheet of a survey of organizations: org_service.delete_org_response
        raise SurveyError("unknown_response")
    session.delete(response)
    session.commit()
    return event_id


def answers_of(session: Session, response: Response) -> dict:
    """The answer mapping of a stored response (the inverse of check_answers)."""
    questions = {q.id: q for q in session.scalars(
        select(Question).where(Question.survey_id == response.survey_id).options(selectinload(Question.options))
    )}
    options = {o.id: o for q in questions.values() for o in q.options}
    result: dict = {}
    for answer in response.answers:
        question = questions[answer.question_id]
        if answer.option_id is None:
            result[question.key] = answer.text
        elif question.kind == QuestionKind.MULTIPLE:
            result.setdefault(question.key, []).append(options[answer.option_id].code)
        else:
            result[question.key] = options[answer.option_id].code
    return result


def find_registration(session: Session, event_id: int, text: str) -> Registration | None:
    """A live registration of the event by 受付番号 (digits), by full or family name, or by
    furigana (the family part is enough); None
    for an empty text. Raises SurveyError: unknown_registration, registration_ambiguous."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    live = (Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)
    if text.isdigit():
        number = parse_registration_number(text)
        found = session.scalar(select(Registration).where(Registration.id == number, *live)) if number is not None else None
        if found is None:
            raise SurveyError("unknown_registration", "registration")
        return found
    squashed = "".join(text.split())
    kana = normalize_kana(squashed)
    full_name = func.replace(Person.family_name + Person.given_name, " ", "")
    candidates = session.scalars(
        select(Registration).join(Registration.person)
        .where(*live, or_(full_name == squashed, Person.family_name == squashed,
                          *([Person.kana_key.startswith(kana, autoescape=True)] if kana else [])))
        .limit(2)
    ).all()
    if not candidates:
        raise SurveyError("unknown_registration", "registration")
    if len(candidates) > 1:
        raise SurveyError("registration_ambiguous", "registration")
    return candidates[0]
