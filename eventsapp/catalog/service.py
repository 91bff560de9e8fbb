"""The catalogue's rules: creating, tagging, publishing and cancelling series and events.

Views (HTML and API) parse input into an EventInput or keyword values and call one of
these functions; every rule about what makes an event valid lives here.
"""
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..dates import YEAR_OUT_OF_RANGE, fiscal_year_bounds, fiscal_year_of, format_schedule, in_supported_years, now
from ..domain import UNKNOWN_EVENT, DomainError
from .models import (
    JOINT_LABELS,
    Audience,
    Event,
    EventFormat,
    EventStatus,
    Goal,
    Initiative,
    OutreachRequest,
    OutreachStatus,
    Scene,
    Series,
    event_joint_series,
)
from .signals import event_created, join_url_changed, series_created

MAX_TITLE_LENGTH = 200
MAX_VENUE_ADDRESS_LENGTH = 200
MAX_JOIN_URL_LENGTH = 500

class CatalogError(DomainError):
    """A refused catalogue change: a stable code, the field at fault, a message and a status."""

    MESSAGES = {
        "unknown_event": UNKNOWN_EVENT,
        "title_required": (_l("タイトルを入力してください。"), 422),
        "title_too_long": (_l("タイトルは%(limit)d文字以内で入力してください。"), 422),
        "name_required": (_l("名称を入力してください。"), 422),
        "name_taken": (_l("同じ名称のシリーズがすでにあります。"), 409),
        "ends_before_start": (_l("終了日時は開始日時より後にしてください。"), 422),
        "negative_capacity": (_l("定員は0以上の整数で入力してください（空欄なら定員なし）。"), 422),
        "registration_window_reversed": (_l("申込締切は申込開始より後にしてください。"), 422),
        "registration_window_after_event": (_l("申込受付は開催日時より前に始まるようにしてください。"), 422),
        "unknown_series": (_l("指定されたシリーズがありません。"), 404),
        "unknown_goal": (_l("不明な中期目標のコードです。"), 422),
        "unknown_scene": (_l("不明な場面のコードです。"), 422),
        "unknown_initiative": (_l("指定された取組がありません。"), 404),
        "unknown_scene_required": (_l("場面を選んでください。"), 422),
        "plan_required": (_l("計画の内容を入力してください。"), 422),
        "event_cancelled": (_l("中止したイベントは変更できません。"), 409),
        "outreach_handled": (_l("この依頼はすでに対応済みです。"), 422),
        "label_invalid": (_l("名称は1〜100文字で入力してください。"), 422),
        "year_out_of_range": (YEAR_OUT_OF_RANGE, 422),
        "invalid_choice": (_l("選択肢にない値です。"), 422),
        "venue_address_too_long": (_l("所在地は%(limit)d文字以内で入力してください。"), 422),
        "join_url_invalid": (_l("参加用URLは https:// で始まるURLを%(limit)d文字以内で入力してください。"), 422),
        "on_demand_url_invalid": (_l("録画のURLは https:// で始まるURLを%(limit)d文字以内で入力してください。"), 422),
        "viewing_opens_required": (_l("録画のURLを入れたときは、視聴開始の日時も入力してください。"), 422),
        "viewing_period_reversed": (_l("視聴終了は視聴開始より後にしてください。"), 422),
    }


@dataclass(kw_only=True)
class EventInput:
    title: str
    series_id: int
    starts_at: datetime
    ends_at: datetime
    format: EventFormat
    joint_series_ids: list[int] = field(default_factory=list)
    venue: str = ""
    venue_address: str = ""
    join_url: str = ""
    on_demand_url: str = ""
    viewing_opens_at: datetime | None = None
    viewing_closes_at: datetime | None = None
    area: str | None = None
    capacity: int | None = None
    waitlist: bool = True
    goals: list[str] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    description: str = ""
    initiative_ids: list[int] = field(default_factory=list)
    joint_label: str | None = None  # 合同開催 or 同時開催 (JOINT_LABELS); None keeps the event's


def check_event_input(data: EventInput) -> None:
    """The rules of a valid event that need no database. Raises CatalogError."""
    title = data.title.strip()
    if not title:
        raise CatalogError("title_required", "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise CatalogError("title_too_long", "title", limit=MAX_TITLE_LENGTH)
    if data.joint_label is not None and data.joint_label not in JOINT_LABELS:
        raise CatalogError("invalid_choice", "joint_label")
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                 "viewing_opens_at", "viewing_closes_at"):
        value = getattr(data, name)
        if value is not None and not in_supported_years(value):
            raise CatalogError("year_out_of_range", name)
    if data.ends_at < data.starts_at:
        raise CatalogError("ends_before_start", "ends_at")
    if data.capacity is not None and data.capacity < 0:
        raise CatalogError("negative_capacity", "capacity")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes < opens:
        raise CatalogError("registration_window_reversed", "registration_closes_at")
    if opens and opens > data.starts_at:
        raise CatalogError("registration_window_after_event", "registration_opens_at")
    if len(data.venue_address.strip()) > MAX_VENUE_ADDRESS_LENGTH:
        raise CatalogError("venue_address_too_long", "venue_address", limit=MAX_VENUE_ADDRESS_LENGTH)
    if data.join_url.strip() and not is_join_url(data.join_url.strip()):
        raise CatalogError("join_url_invalid", "join_url", limit=MAX_JOIN_URL_LENGTH)
    check_viewing(data)


def check_viewing(data: EventInput) -> None:
    """The recording and its viewing period (viewing/ shows and counts it): a link that can
    be clicked, mailed once the period opens, so a link without an opening moment would
    never reach anyone. The period may begin before the event (a pre-recorded talk)."""
    url = data.on_demand_url.strip()
    if url and not is_join_url(url):
        raise CatalogError("on_demand_url_invalid", "on_demand_url", limit=MAX_JOIN_URL_LENGTH)
    if url and data.viewing_opens_at is None:
        raise CatalogError("viewing_opens_required", "viewing_opens_at")
    opens, closes = data.viewing_opens_at, data.viewing_closes_at
    if opens and closes and closes < opens:
        raise CatalogError("viewing_period_reversed", "viewing_closes_at")


def is_join_url(text: str) -> bool:
    """An absolute https link of a sane length without spaces: it is mailed to people as
    the link to click, so a typo such as "zoom.us/j/1" or "javascript:" never goes out."""
    parts = urlsplit(text)
    return (len(text) <= MAX_JOIN_URL_LENGTH and parts.scheme == "https" and bool(parts.hostname)
            and not any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text))


def by_codes(session: Session, model: type[Goal] | type[Scene], codes: list[str], error_code: str, field_name: str):
    """The tag rows for codes, in the city's order; unknown codes are refused, not dropped."""
    wanted = list(dict.fromkeys(codes))
    rows = session.scalars(select(model).where(model.code.in_(wanted)).order_by(model.position)).all()
    missing = set(wanted) - {row.code for row in rows}
    if missing:
        raise CatalogError(error_code, field_name, ", ".join(sorted(missing)))
    return list(rows)


def by_ids(session: Session, model, ids: list[int], error_code: str, field_name: str):
    wanted = list(dict.fromkeys(ids))
    rows = session.scalars(select(model).where(model.id.in_(wanted))).all() if wanted else []
    if len(rows) != len(wanted):
        raise CatalogError(error_code, field_name)
    return list(rows)


def save_event(session: Session, data: EventInput, *, event: Event | None = None) -> Event:
    """Create an event (as a draft) or update one; commits. Raises CatalogError."""
    event = _apply_event(session, data, event)
    session.commit()
    return event


def _apply_event(session: Session, data: EventInput, event: Event | None) -> Event:
    if event is not None and event.status == EventStatus.CANCELLED:
        raise CatalogError("event_cancelled")
    check_event_input(data)
    series = session.get(Series, data.series_id)
    if series is None:
        raise CatalogError("unknown_series", "series_id")
    joint = by_ids(session, Series, [i for i in data.joint_series_ids if i != series.id], "unknown_series", "joint_series_ids")
    goals = by_codes(session, Goal, data.goals, "unknown_goal", "goals")
    scenes = by_codes(session, Scene, data.scenes, "unknown_scene", "scenes")
    initiatives = by_ids(session, Initiative, data.initiative_ids, "unknown_initiative", "initiative_ids")
    created = event is None
    if event is None:
        event = Event(status=EventStatus.DRAFT)
        session.add(event)
    event.title = data.title.strip()
    event.description = data.description.strip()
    event.series = series
    event.joint_series = joint
    event.starts_at, event.ends_at = data.starts_at, data.ends_at
    event.venue = data.venue.strip()
    event.venue_address = data.venue_address.strip()
    old_join_url, event.join_url = event.join_url, data.join_url.strip()
    event.on_demand_url = data.on_demand_url.strip()
    event.viewing_opens_at, event.viewing_closes_at = data.viewing_opens_at, data.viewing_closes_at
    event.area = (data.area or "").strip() or None
    event.format = data.format
    event.capacity, event.waitlist = data.capacity, data.waitlist
    event.registration_opens_at = data.registration_opens_at
    event.registration_closes_at = data.registration_closes_at
    event.goals, event.scenes, event.initiatives = goals, scenes, initiatives
    if data.joint_label is not None:
        event.joint_label = data.joint_label
    if created:  # surveys give it a copy of its series' survey template (README: Layout)
        event_created.send(current_app._get_current_object(), session=session, event=event)
    elif event.join_url and event.join_url != old_join_url:  # registration re-sends the new link
        join_url_changed.send(current_app._get_current_object(), session=session, event=event)
    return event


def set_event_status(session: Session, event: Event, status: EventStatus) -> Event:
    """Publish, cancel or return an event to draft; a cancelled event stays cancelled."""
    _apply_status(event, status)
    session.commit()
    return event


def _apply_status(event: Event, status: EventStatus) -> None:
    """Any move between draft and published, and to cancelled; none out of cancelled."""
    if event.status == EventStatus.CANCELLED and status != EventStatus.CANCELLED:
        raise CatalogError("event_cancelled")
    event.status = status


def event_input_of(event: Event) -> EventInput:
    """The event's current values, as a form or the API would send them all."""
    return EventInput(
        title=event.title, series_id=event.series_id, starts_at=event.starts_at, ends_at=event.ends_at,
        format=event.format, joint_series_ids=[s.id for s in event.joint_series], venue=event.venue,
        area=event.area, capacity=event.capacity, waitlist=event.waitlist, goals=[g.code for g in event.goals],
        scenes=[s.code for s in event.scenes], registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at, description=event.description,
        initiative_ids=[i.id for i in event.initiatives], venue_address=event.venue_address,
        join_url=event.join_url, on_demand_url=event.on_demand_url, viewing_opens_at=event.viewing_opens_at,
        viewing_closes_at=event.viewing_closes_at,
    )


EVENT_FIELDS = frozenset(f.name for f in fields(EventInput))


def update_event(session: Session, event: Event, *, changes: dict, status: EventStatus | None = None) -> Event:
    """Change some of an event's values (names of EventInput) and/or its status, all or nothing;
    commits. The changed event is checked as a whole, as save_event checks a new one (an end
    moved before the start is refused); nothing of a cancelled event changes, and it cannot be
    brought back. Raises CatalogError."""
    try:
        if changes:
            _apply_event(session, replace(event_input_of(event), **changes), event)
        if status is not None:
            _apply_status(event, status)
    except CatalogError:
        session.rollback()
        raise
    session.commit()
    return event


def save_series(
    session: Session,
    *,
    name: str,
    audience: Audience,
    goals: list[str],
    scenes: list[str],
    description: str = "",
    retention_years: int | None = None,
    series: Series | None = None,
) -> Series:
    """Create or update a series with its default tags and retention period (None: the
    global default); commits. Raises CatalogError."""
    name = name.strip()
    if not name:
        raise CatalogError("name_required", "name")
    if len(name) > MAX_TITLE_LENGTH:
        raise CatalogError("title_too_long", "name", limit=MAX_TITLE_LENGTH)
    clash = session.scalar(select(Series).where(Series.name == name))
    if clash is not None and clash is not series:
        raise CatalogError("name_taken", "name")
    goal_rows = by_codes(session, Goal, goals, "unknown_goal", "goals")
    scene_rows = by_codes(session, Scene, scenes, "unknown_scene", "scenes")
    created = series is None
    if series is None:
        series = Series()
        session.add(series)
    series.name, series.audience, series.description = name, audience, description.strip()
    series.retention_years = retention_years
    series.goals, series.scenes = goal_rows, scene_rows
    if created:  # surveys give it its audience's default survey template (see _apply_event)
        series_created.send(current_app._get_current_object(), session=session, series=series)
    session.commit()
    return series


def save_initiative(
    session: Session,
    *,
    fiscal_year: int,
    scene: str,
    goals: list[str],
    target: str,
    plan: str,
    expected_value: str = "",
    result_note: str = "",
    position: int | None = None,
    initiative: Initiative | None = None,
) -> Initiative:
    """Create or update a line of the yearly plan; commits. Raises CatalogError."""
    if not plan.strip():
        raise CatalogError("plan_required", "plan")
    scene_row = session.scalar(select(Scene).where(Scene.code == scene))
    if scene_row is None:
        raise CatalogError("unknown_scene", "scene")
    goal_rows = by_codes(session, Goal, goals, "unknown_goal", "goals")
    if position is None and initiative is None:  # a new line goes to the end of its year
        last = session.scalar(select(func.max(Initiative.position)).where(Initiative.fiscal_year == fiscal_year))
        position = (last or 0) + 1
    if initiative is None:
        initiative = Initiative()
        session.add(initiative)
    initiative.fiscal_year, initiative.scene, initiative.goals = fiscal_year, scene_row, goal_rows
    initiative.target, initiative.plan = target.strip(), plan.strip()
    initiative.expected_value, initiative.result_note = expected_value.strip(), result_note.strip()
    if position is not None:
        initiative.position = position
    session.commit()
    return initiative


def all_series(session: Session, *, with_tags: bool = False) -> list[Series]:
    """Every series in creation order; with_tags loads their goals and scenes too, in two
    more queries instead of two per series."""
    query = select(Series).order_by(Series.id)
    if with_tags:
        query = query.options(selectinload(Series.goals), selectinload(Series.scenes))
    return list(session.scalars(query))


EVENT_LISTING = (
    selectinload(Event.series),
    selectinload(Event.joint_series),
    selectinload(Event.goals),
    selectinload(Event.scenes),
    selectinload(Event.initiatives),
)


def _filtered(
    query,
    *,
    fiscal_year: int | None = None,
    series_id: int | None = None,
    audience: Audience | None = None,
    statuses: tuple[EventStatus, ...] | None = None,
    upcoming: bool | None = None,
):
    """Narrow an event query by fiscal year, series (primary or joint), audience, status
    and time (upcoming: not yet ended)."""
    if fiscal_year is not None:
        query = query.where(Event.fiscal_year == fiscal_year)
    if series_id is not None:
        query = query.where((Event.series_id == series_id) | Event.joint_series.any(Series.id == series_id))
    if audience is not None:
        query = query.where(Event.series.has(Series.audience == audience) | Event.joint_series.any(Series.audience == audience))
    if statuses is not None:
        query = query.where(Event.status.in_(statuses))
    if upcoming is not None:
        query = query.where(Event.ends_at >= now() if upcoming else Event.ends_at < now())
    return query


def shown_until(events: list[Event], moments: list[datetime | None], after: datetime) -> datetime:
    """The first moment after `after` at which the clock alone changes a public page of these
    events: one of them ends (it leaves the upcoming ones of _filtered, and its page says it
    ended), one of `moments` comes (their states' ends, given by registration), or a new fiscal
    year begins (the list's default year when none has past events)."""
    candidates = [e.ends_at for e in events] + [m for m in moments if m is not None]
    candidates.append(fiscal_year_bounds(fiscal_year_of(after))[1])
    return min(m for m in candidates if m > after)


def list_events(session: Session, *, upcoming: bool | None = None, **filters) -> list[Event]:
    """Events matching the filters of _filtered, with their series and tags loaded in a few
    queries rather than a few per event; past events newest first, others by date."""
    order = (Event.starts_at.desc(), Event.id) if upcoming is False else (Event.starts_at, Event.id)
    query = _filtered(select(Event).options(*EVENT_LISTING), upcoming=upcoming, **filters).order_by(*order)
    return list(session.scalars(query))


def number_in_series(session: Session, event: Event) -> int | None:
    """The N of 第N回: the event's place, by start, among the events of its primary series
    (held under it or jointly with it) in the same fiscal year that are neither drafts nor
    cancelled — the events the yearly report numbers (reports/yearly.py `event_line`).
    None when the series holds no other such event that year, or when this one is a draft
    or cancelled."""
    jointly = select(event_joint_series.c.event_id).where(event_joint_series.c.series_id == event.series_id)
    ids = session.scalars(
        select(Event.id)
        .where(Event.fiscal_year == event.fiscal_year, or_(Event.series_id == event.series_id, Event.id.in_(jointly)),
               Event.status.not_in([EventStatus.DRAFT, EventStatus.CANCELLED]))
        .order_by(Event.starts_at, Event.id)
    ).all()
    return ids.index(event.id) + 1 if event.id in ids and len(ids) > 1 else None


def event_block(session: Session, event: Event) -> list[tuple[str, str]]:
    """What an export of one event is about, as (label, value) lines above its table: series
    (joint ones after ・), 第N回 when the series has more than one event that year
    (number_in_series), title, 和暦 date and venue."""
    lines = [("シリーズ", "・".join(series.name for series in event.all_series))]
    number = number_in_series(session, event)
    if number is not None:
        lines.append(("回", f"第{number}回"))
    lines += [("イベント", event.title), ("開催日時", format_schedule(event.starts_at, event.ends_at))]
    if event.venue:
        lines.append(("会場", event.venue))
    return lines


def event_fiscal_years(session: Session, **filters) -> list[int]:
    """The fiscal years that have events matching the filters, newest first."""
    query = _filtered(select(Event.fiscal_year).distinct(), **filters).order_by(Event.fiscal_year.desc())
    return list(session.scalars(query))


def submit_outreach_request(session: Session, **values) -> OutreachRequest:
    """Store a citizens' group's request for an outreach talk; commits."""
    request = OutreachRequest(**values)
    session.add(request)
    session.commit()
    return request


def schedule_outreach(session: Session, request: OutreachRequest, data: EventInput) -> Event:
    """Turn an outreach request into an event of the outreach series; commits."""
    event = _apply_event(session, data, None)
    request.event, request.status = event, OutreachStatus.SCHEDULED
    session.commit()
    return event


def decline_outreach(session: Session, request: OutreachRequest) -> None:
    """Mark a new outreach request as declined; commits. Raises CatalogError if handled."""
    if request.status != OutreachStatus.NEW:
        raise CatalogError("outreach_handled")
    request.status = OutreachStatus.DECLINED
    session.commit()


def rename_tags(session: Session, labels: dict[tuple[str, str], str]) -> None:
    """Give goals and scenes new labels, keyed by ("goal"|"scene", code); all or nothing.
    Codes never change: other systems and the API rely on them. Raises CatalogError."""
    models = {"goal": Goal, "scene": Scene}
    for (kind, code), label in labels.items():
        label = label.strip()
        if not label or len(label) > 100:
            session.rollback()
            raise CatalogError("label_invalid", f"{kind}-{code}", detail=code)
        row = session.scalar(select(models[kind]).where(models[kind].code == code))
        if row is not None:
            row.label = label
    session.commit()
