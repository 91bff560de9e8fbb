"""Fiscal years (年度, April–March) and Japanese era dates (和暦), in one place.

Times are stored timezone-aware in UTC and shown in Asia/Tokyo. The fiscal year of an
event is the one its start falls in, in Tokyo time: 2026-03-31 23:59 JST is fiscal 2025,
2026-04-01 00:00 JST is fiscal 2026.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

TOKYO = ZoneInfo("Asia/Tokyo")

# (first day, name, western year of its first year); newest first.
ERAS = (
    (date(2019, 5, 1), "令和", 2019),
    (date(1989, 1, 8), "平成", 1989),
    (date(1926, 12, 25), "昭和", 1926),
)
WEEKDAYS = "月火水木金土日"

# The years an event, a registration window or a survey's closing day may fall in: the
# programme's records and its planning horizon. Outside them a date is a typing slip
# (1376 for 2025), and 和暦 labels and fiscal years would make no sense.
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_OUT_OF_RANGE = _l("%(first)s年から%(last)s年までの日付を指定してください。", first=FIRST_YEAR, last=LAST_YEAR)
FISCAL_YEAR_OUT_OF_RANGE = _l("年度は%(first)s〜%(last)sの西暦で指定してください。", first=FIRST_YEAR, last=LAST_YEAR)
# An organization may have opened long before the programme, but within the eras known here.
ERA_FIRST_YEAR = 1927  # the first full year of 昭和
# The same bound for a generated API client: an ISO 8601 text starting with such a year.
YEAR_PATTERN = r"^(20[0-9]{2}|2100)-"


def in_supported_years(value: datetime | date, *, first_year: int = FIRST_YEAR) -> bool:
    """Whether the year, as written (in the value's own offset), is first_year–LAST_YEAR."""
    return first_year <= value.year <= LAST_YEAR


def is_fiscal_year(year: int) -> bool:
    """Whether a fiscal year can hold events: FIRST_YEAR–LAST_YEAR, the rule of every report,
    list and API that takes a year."""
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_fiscal_year(text: str | None) -> int | None:
    """The `fy` query of the list pages: a western year FIRST_YEAR–LAST_YEAR, else None, so the
    page falls back to its default year instead of failing on a typing slip."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if is_fiscal_year(year) else None


def parse_day(text: str) -> date:
    """A calendar day typed as YYYY-MM-DD, within the supported years; ValueError otherwise
    (with YEAR_OUT_OF_RANGE as its message when only the year is wrong)."""
    day = date.fromisoformat(text.strip())
    if not in_supported_years(day):
        raise ValueError(YEAR_OUT_OF_RANGE)
    return day


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def to_tokyo(value: datetime) -> datetime:
    """An aware datetime seen in Tokyo; naive values are refused, never guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: a time zone is required")
    return value.astimezone(TOKYO)


def tokyo_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Tokyo as an aware datetime."""
    return datetime.combine(day, at, tzinfo=TOKYO)


def fiscal_year_of(value: datetime | date) -> int:
    """The fiscal year (April–March) that a moment or a Tokyo calendar day falls in."""
    day = to_tokyo(value).date() if isinstance(value, datetime) else value
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[start, end) of a fiscal year as aware datetimes (Tokyo midnight)."""
    return (
        tokyo_datetime(date(fiscal_year, 4, 1), time(0, 0)),
        tokyo_datetime(date(fiscal_year + 1, 4, 1), time(0, 0)),
    )


def era_of(day: date) -> tuple[str, int]:
    """The era name and era year of a calendar day: 2019-05-01 → ('令和', 1)."""
    for first_day, name, first_year in ERAS:
        if day >= first_day:
            return name, day.year - first_year + 1
    raise ValueError(f"{day} is before the eras this system knows")


def era_year_text(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def fiscal_year_label(fiscal_year: int) -> str:
    """令和7年度 for 2025. A fiscal year takes the era in force on May 1, so the year
    of the 2019 change is 令和元年度, as the city writes it."""
    return era_year_text(*era_of(date(fiscal_year, 5, 1))) + "度"


def format_date(value: datetime | date) -> str:
    """令和7年7月11日(金)."""
    day = to_tokyo(value).date() if isinstance(value, datetime) else value
    name, year = era_of(day)
    return f"{era_year_text(name, year)}{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"


def format_time(value: datetime) -> str:
    return to_tokyo(value).strftime("%H:%M")


def format_moment(value: datetime) -> str:
    """令和7年7月11日(金) 13:30: a moment on staff screens, messages and the CLI."""
    return f"{format_date(value)} {format_time(value)}"


def format_schedule(starts_at: datetime, ends_at: datetime) -> str:
    """令和7年7月11日(金)18:30～20:20, the way the city's reports write an event."""
    start, end = to_tokyo(starts_at), to_tokyo(ends_at)
    text = f"{format_date(start)}{format_time(start)}～"
    if end.date() != start.date():
        text += format_date(end)
    return text + format_time(end)
