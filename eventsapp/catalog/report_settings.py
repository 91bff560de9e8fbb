"""The catalogue's settings that say how the yearly report writes its rows:
an initiative's prose and its place, which events an initiative writes in full, and how a
series' events are written. The report (reports/yearly.py) only reads them."""
from sqlalchemy.orm import Session

from .models import JOINT_LABELS, PARTICIPANT_LABELS, Initiative, Series
from .service import CatalogError

INDICATOR_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def save_result_layout(
    session: Session, initiative: Initiative, *, note: str, prose_first: bool, main_event_ids: list[int]
) -> Initiative:
    """Save an initiative's 実績 prose, whether it comes before the computed lines, and the
    linked events whose lines this initiative writes (their main initiative); a linked event
    left out that named this one goes back to the default (the first linked). Commits.
    Raises CatalogError("invalid_choice") for an event not linked to the initiative."""
    linked = {event.id: event for event in initiative.events}
    if any(event_id not in linked for event_id in main_event_ids):
        raise CatalogError("invalid_choice", "main_event_ids")
    initiative.result_note = note.strip()
    initiative.prose_first = prose_first
    for event_id, event in linked.items():
        if event_id in main_event_ids:
            event.main_initiative_id = initiative.id
        elif event.main_initiative_id == initiative.id:
            event.main_initiative_id = None
    session.commit()
    return initiative


def save_series_report_style(
    session: Session, series: Series, *, indicators: list[str] | None, new_share: bool, participant_label: str
) -> Series:
    """How the yearly report writes this series' events: the indicator keys of their lines
    (None: the audience's default), the new share or not, 参加者 or 委員. Commits. Raises
    CatalogError("invalid_choice") for a label or key the report cannot write."""
    if participant_label not in PARTICIPANT_LABELS:
        raise CatalogError("invalid_choice", "participant_label")
    if indicators is not None and any(not key or set(key) - INDICATOR_KEY_CHARS for key in indicators):
        raise CatalogError("invalid_choice", "report_indicators")
    series.report_indicators = None if indicators is None else " ".join(dict.fromkeys(indicators))
    series.report_new_share = new_share
    series.participant_label = participant_label
    session.commit()
    return series


def check_joint_label(label: str) -> str:
    """The wording of a joint event, one of JOINT_LABELS. Raises CatalogError."""
    if label not in JOINT_LABELS:
        raise CatalogError("invalid_choice", "joint_label")
    return label
