"""Names of indicator keys: a custom key such as sheet_use is written in every
report as the name the organizer gives it (「連携シートを活用している」), never as the key."""
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .defaults import INDICATOR_LABELS
from .models import IndicatorLabel, Question

MAX_NAME_LENGTH = 100


class NamingError(ValueError):
    """A name that cannot be stored; `key` says which."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def named_keys(session: Session) -> list[tuple[str, str]]:
    """Every indicator key some survey carries or a name was given to, with its current name
    ("" for a custom key with none): the city's keys first, then the others by key."""
    used = set(session.scalars(select(Question.indicator).where(Question.indicator.is_not(None)).distinct()))
    stored = dict(session.execute(select(IndicatorLabel.key, IndicatorLabel.label)).all())
    keys = [k for k in INDICATOR_LABELS if k in used or k in stored]
    keys += sorted((used | set(stored)) - set(INDICATOR_LABELS))
    return [(key, stored.get(key, INDICATOR_LABELS.get(key, ""))) for key in keys]


def save_indicator_names(session: Session, names: dict[str, str]) -> None:
    """Store the given names; a blank name removes the organizer's (the city's key gets its
    own name back, a custom key is written as its key). Commits. Raises NamingError for a
    name longer than MAX_NAME_LENGTH."""
    for key, name in names.items():
        if len(name.strip()) > MAX_NAME_LENGTH:
            raise NamingError(key)
    for key, name in names.items():
        session.execute(delete(IndicatorLabel).where(IndicatorLabel.key == key))
        name = name.strip()
        if name and name != INDICATOR_LABELS.get(key):
            session.add(IndicatorLabel(key=key, label=name))
    session.commit()
