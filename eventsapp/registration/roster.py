"""The words of registration's codes on the organizers' list and in its files, and the 職種 as
shown (the list itself, which also shows check-ins, is roster/ one floor up)."""
from ..people.models import Person
from .labels import CHANNEL as CHANNEL_LABEL, MODE as MODE_LABEL, STATUS as STATUS_LABEL

__all__ = ["CHANNEL_LABEL", "MODE_LABEL", "STATUS_LABEL", "profession_text"]


def profession_text(person: Person) -> str:
    """The 職種 as shown: the free text the person gave when they chose その他."""
    return person.profession_other if person.profession == "その他" and person.profession_other else person.profession
