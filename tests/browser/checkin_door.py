"""The door of the check-in browser tests: an event under way with a full house and a
waitlist, a reception account, and read-backs of the check-ins from the database."""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import jaconv
import pytest
from sqlalchemy import select

from eventsapp.auth.models import Role, User
from eventsapp.auth.service import create_user
from eventsapp.catalog.models import EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.checkin.models import CheckIn
from eventsapp.dates import now
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from eventsapp.registration.service import register
from server import CONTEXT_DEFAULTS, block_remote_requests

RECEPTION, RECEPTION_PASSWORD = "door-staff", "door-password-2025"
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "bypass_csp": True}
CAPACITY = 24  # the 25th registration is waitlisted
PEOPLE = [  # (family, given, family kana, given kana)
    ("山田", "花子", "やまだ", "はなこ"), ("佐藤", "一郎", "さとう", "いちろう"), ("鈴木", "次郎", "すずき", "じろう"),
    ("高橋", "三郎", "たかはし", "さぶろう"), ("田中", "美咲", "たなか", "みさき"), ("伊藤", "健太", "いとう", "けんた"),
    ("渡辺", "陽子", "わたなべ", "ようこ"), ("中村", "翔太", "なかむら", "しょうた"), ("小林", "直子", "こばやし", "なおこ"),
    ("加藤", "大輔", "かとう", "だいすけ"), ("吉田", "恵", "よしだ", "めぐみ"), ("山本", "学", "やまもと", "まなぶ"),
    ("松本", "真理", "まつもと", "まり"), ("井上", "拓也", "いのうえ", "たくや"), ("木村", "優子", "きむら", "ゆうこ"),
    ("林", "誠", "はやし", "まこと"), ("斎藤", "由美", "さいとう", "ゆみ"), ("清水", "浩", "しみず", "ひろし"),
    ("山口", "彩", "やまぐち", "あや"), ("森", "亮", "もり", "りょう"), ("池田", "香織", "いけだ", "かおり"),
    ("橋本", "淳", "はしもと", "じゅん"), ("阿部", "舞", "あべ", "まい"), ("石川", "修", "いしかわ", "おさむ"),
    ("前田", "桜", "まえだ", "さくら"), ("藤田", "剛", "ふじた", "つよし"),
]


@dataclass(frozen=True)
class Ticket:
    number: int
    token: str
    name: str
    kana: str  # as the API answers it: katakana


@dataclass(frozen=True)
class Door:
    event_id: int
    ends_at: datetime
    tickets: list[Ticket]  # registered, in person
    waitlisted: Ticket

    @property
    def scanner(self) -> str:
        return f"/checkin/events/{self.event_id}"


def make_door(live_app, title: str) -> Door:
    """An event under way today, 24 seats taken and one more person on the waitlist, and a
    reception account."""
    with live_app.app_context():
        if db.session.scalar(select(User).where(User.username == RECEPTION)) is None:
            create_user(db.session, username=RECEPTION, role=Role.RECEPTION, password=RECEPTION_PASSWORD)
            db.session.commit()
        series = db.session.scalar(select(Series).where(Series.name == "市民公開講座"))
        start = now() - timedelta(minutes=30)
        event = save_event(db.session, EventInput(
            title=title, series_id=series.id, format=EventFormat.IN_PERSON,
            capacity=CAPACITY, starts_at=start, ends_at=start + timedelta(hours=2), venue="市民会館 第1会議室",
            goals=["collaboration"], scenes=["daily"],
        ))
        set_event_status(db.session, event, EventStatus.PUBLISHED)
        made = []
        for index, (family, given, family_kana, given_kana) in enumerate(PEOPLE):
            registration = register(
                db.session, event_id=event.id, mode=RegistrationMode.IN_PERSON, source=RegistrationSource.STAFF,
                person=PersonFields(family_name=family, given_name=given, family_kana=family_kana,
                                    given_kana=given_kana, email=f"door{index}@example.jp"),
            ).registration
            made.append((registration, Ticket(registration.id, registration.ticket_token, f"{family} {given}",
                                              jaconv.hira2kata(f"{family_kana} {given_kana}"))))
        registered = [t for r, t in made if r.status == RegistrationStatus.REGISTERED]
        waitlisted = [t for r, t in made if r.status == RegistrationStatus.WAITLISTED]
        assert len(registered) == CAPACITY and len(waitlisted) == len(PEOPLE) - CAPACITY
        return Door(event.id, event.ends_at, registered, waitlisted[0])


def checkins(live_app, door: Door) -> list[CheckIn]:
    with live_app.app_context():
        rows = db.session.scalars(
            select(CheckIn).join(Registration).where(Registration.event_id == door.event_id)
        ).all()
        db.session.expunge_all()
        return rows


def checkin_of(live_app, registration_id: int) -> CheckIn | None:
    with live_app.app_context():
        row = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration_id))
        db.session.expunge_all()
        return row


@pytest.fixture
def door_context(refused, server_errors):
    """A phone context in a given browser, refusing other hosts, as conftest's `context`."""
    opened = []

    def open_in(chromium, **options):
        context = chromium.new_context(**{**CONTEXT_DEFAULTS, **PHONE, **options})
        context.set_default_timeout(10_000)
        block_remote_requests(context, refused)
        opened.append(context)
        return context

    yield open_in
    for context in opened:
        context.close()
    assert not refused, f"requests to other hosts: {refused}"
    assert not server_errors, f"the server failed: {server_errors}"


@contextmanager
def no_console_errors(page):
    """The page's scripts throw nothing while the block runs."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == [], errors


def enter_number(page, number: int | str) -> None:
    """Type a 受付番号 into the scanner page's number form and send it."""
    page.get_by_label("受付番号", exact=True).fill(str(number))
    page.get_by_role("button", name="受付", exact=True).click()
