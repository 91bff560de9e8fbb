"""An event's registrations as organizers see and export them (the attendance list)."""
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..dates import to_tokyo
from ..people.models import Person
from .labels import CHANNEL
from .models import Channel, Registration, RegistrationMode, RegistrationStatus

ROSTER_HEADER = ("受付番号", "氏名", "ふりがな", "職種", "所属", "メールアドレス", "電話番号", "参加形態", "状態", "経路", "申込日時")
MODE_LABEL = {RegistrationMode.IN_PERSON: "参集", RegistrationMode.ON_DEMAND: "オンデマンド"}
STATUS_LABEL = {RegistrationStatus.REGISTERED: "申込", RegistrationStatus.WAITLISTED: "キャンセル待ち",
                RegistrationStatus.CANCELLED: "キャンセル"}
CHANNEL_LABEL = CHANNEL  # the answers of the form's question, one home: labels.py


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


def roster_rows(registrations: list[Registration]) -> list[tuple]:
    rows = []
    for r in registrations:
        person = r.person
        profession = person.profession_other if person.profession == "その他" and person.profession_other else person.profession
        rows.append((
            r.id, person.display_name, person.display_kana, profession,
            person.organization.name if person.organization else "", person.email, person.phone,
            MODE_LABEL[r.mode], STATUS_LABEL[r.status], str(CHANNEL_LABEL[r.channel]) if r.channel else "",
            to_tokyo(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ))
    return rows
