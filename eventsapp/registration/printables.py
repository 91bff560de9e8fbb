"""The paper organizers print for an event: the reception list (受付名簿), the fallback when the
venue's network fails, and the name cards (名札). Both list people in 五十音 order of their
furigana (people/kana.py), so a name is found on the list and its card in the same place.

Who is on them:
- the reception list: every live registration (registered, either mode: the 参加形態 column
  tells the on-demand viewers apart), grouped under あ … わ and その他; the waitlisted follow in
  a short section of their own, since staff may admit them at the door when seats are free;
  cancelled registrations are left out;
- the name cards: the registered in-person people only (walk-ins already made included); the
  last sheet is filled up with blank cards for the walk-ins of the day, written by hand.

Printing hands personal data to paper, so each print page is written to the audit log like
the attendance-list exports (docs/architecture.md, *CSV formats*).
"""
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..auth.models import User
from ..auth.service import record
from ..people.kana import gojuon_key, kana_row
from ..people.models import Person
from .models import Registration, RegistrationMode, RegistrationStatus
from .roster import profession_text

CARDS_PER_SHEET = 10  # 2 × 5 cards of 91 × 55 mm on A4, the common 10面 名刺 sheet


@dataclass(frozen=True)
class Fit:
    """A text box of the print CSS: its width in pt (1 mm = 2.835 pt) and its font sizes in
    pt from largest to smallest (the classes fit-0, fit-1 … of static/css/print.css, which
    must give the same sizes)."""

    width: float
    sizes: tuple[float, ...]


# The boxes of static/css/print.css. CSS cannot shrink a text to its box, and the CSP forbids
# inline styles, so the size is chosen here from the text's width. Text that does not fit on
# one line even at the smallest size wraps onto two lines, and the CSS clips a third
# (overflow: hidden), so nothing ever spills into the next card or row.
FITS = {
    "list_name": Fit(width=110, sizes=(11, 9, 7.5)),           # 42 mm column, less 3 mm of padding
    "list_kana": Fit(width=110, sizes=(9, 7.5)),               # 42 mm column
    "list_org": Fit(width=130, sizes=(9, 7.5)),                # 49 mm column
    "card_name": Fit(width=227, sizes=(28, 24, 20, 16, 13)),   # 80 mm inside the card
    "card_kana": Fit(width=227, sizes=(10, 8.5, 7)),
    "card_org": Fit(width=227, sizes=(11, 9.5, 8)),
}


def text_width_em(text: str) -> float:
    """The width of a text in em: wide (CJK, full-width) characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def fit_class(box: str, text: str) -> str:
    """The CSS class fit-N of the largest size at which `text` fits on one line of the box
    `box`; the smallest size (then wrapping) when none does."""
    fit = FITS[box]
    width = text_width_em(text)
    index = next((i for i, size in enumerate(fit.sizes) if width * size <= fit.width), len(fit.sizes) - 1)
    return f"fit-{index}"


@dataclass(frozen=True)
class PrintRow:
    """One person as the paper shows them."""

    number: int  # the 受付番号 (the registration's id)
    name: str
    kana: str
    organization: str
    profession: str
    mode: RegistrationMode
    row: str  # the 五十音 row heading: あ … わ or その他


@dataclass
class ReceptionList:
    groups: list[tuple[str, list[PrintRow]]] = field(default_factory=list)
    waitlisted: list[PrintRow] = field(default_factory=list)

    @property
    def registered(self) -> int:
        return sum(len(rows) for _, rows in self.groups)

    @property
    def in_person(self) -> int:
        return sum(1 for _, rows in self.groups for row in rows if row.mode == RegistrationMode.IN_PERSON)

    @property
    def on_demand(self) -> int:
        return self.registered - self.in_person


def _print_row(registration: Registration) -> PrintRow:
    person = registration.person
    return PrintRow(
        number=registration.id, name=person.display_name, kana=person.display_kana,
        organization=person.organization.name if person.organization else "", profession=profession_text(person),
        mode=registration.mode, row=kana_row(person.display_kana),
    )


def _live_rows(session: Session, event_id: int, statuses, modes=tuple(RegistrationMode)) -> list[PrintRow]:
    """The event's registrations of those statuses and modes, in 五十音 order of the furigana
    (the 受付番号 last, so that equal furigana always print in the same order)."""
    registrations = session.scalars(
        select(Registration)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .where(Registration.event_id == event_id, Registration.status.in_(statuses), Registration.mode.in_(modes))
    ).all()
    rows = [_print_row(r) for r in registrations]
    return sorted(rows, key=lambda row: (gojuon_key(row.kana), row.number))


def reception_list(session: Session, *, event_id: int, user: User) -> ReceptionList:
    """The event's reception list: live registrations grouped by 五十音 row, then the
    waitlisted. Records the print in the audit log and commits that row."""
    rows = _live_rows(session, event_id, [RegistrationStatus.REGISTERED])
    result = ReceptionList(
        groups=[(row, list(members)) for row, members in groupby(rows, key=lambda r: r.row)],
        waitlisted=_live_rows(session, event_id, [RegistrationStatus.WAITLISTED]),
    )
    record(session, "print_reception_list", user=user, target=f"event:{event_id}",
           rows=result.registered + len(result.waitlisted))
    session.commit()
    return result


@dataclass
class NameCards:
    sheets: list[list[PrintRow | None]]  # CARDS_PER_SHEET cards each; None is a blank card
    people: int


def name_cards(session: Session, *, event_id: int, user: User) -> NameCards:
    """The name cards of the registered in-person people, CARDS_PER_SHEET to a sheet, the
    last sheet filled up with blank cards. No people, no sheets. Records the print in the
    audit log and commits that row."""
    rows = _live_rows(session, event_id, [RegistrationStatus.REGISTERED], [RegistrationMode.IN_PERSON])
    record(session, "print_name_cards", user=user, target=f"event:{event_id}", rows=len(rows))
    session.commit()
    cards: list[PrintRow | None] = [*rows, *[None] * (-len(rows) % CARDS_PER_SHEET)]
    sheets = [cards[start:start + CARDS_PER_SHEET] for start in range(0, len(cards), CARDS_PER_SHEET)]
    return NameCards(sheets=sheets, people=len(rows))
