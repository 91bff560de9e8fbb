"""An event's registrations as organizers see and export them (the attendance list)."""
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..dates import to_tokyo
from ..people.models import Person
from .labels import CHANNEL as CHANNEL_LABEL, MODE as MODE_LABEL, STATUS as STATUS_LABEL
from .models import Channel, Registration, RegistrationMode, RegistrationStatus

ROSTER_HEADER = ("受付番号", "氏名", "ふりがな", "職種", "所属", "メールアドレス", "電話番号", "参加形態", "状態", "経路", "申込日時")


def list_registrations(
    session: Session,
    *,
    event_id: int,
    status: RegistrationStatus | None = None,
    mode: RegistrationMode | None = None,
    profession: str | None = None,
    channel: Channel | None = None,
) -> list[Registration]:
    """The event's registrations in order of registration, filtered as the organizer asks."""
    query = (
        select(Registration)
        .join(Registration.person)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .where(Registration.event_id == event_id)
        .order_by(Registration.created_at, Registration.id)
    )
    if status is not None:
        query = query.where(Registration.status == status)
    if mode is not None:
        query = query.where(Registration.mode == mode)
    if profession:
        query = query.where(Person.profession == profession)
    if channel is not None:
        query = query.where(Registration.channel == channel)
    return list(session.scalars(query))


def profession_text(person: Person) -> str:
    """The 職種 as shown: the free text the person gave when they chose その他."""
    return person.profession_other if person.profession == "その他" and person.profession_other else person.profession


def roster_rows(registrations: list[Registration]) -> list[tuple]:
    rows = []
    for r in registrations:
        person = r.person
        rows.append((
            r.id, person.display_name, person.display_kana, profession_text(person),
            person.organization.name if person.organization else "", person.email, person.phone,
            MODE_LABEL[r.mode], STATUS_LABEL[r.status], str(CHANNEL_LABEL[r.channel]) if r.channel else "",
            to_tokyo(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ))
    return rows
