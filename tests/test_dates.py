"""Fiscal years and 和暦: boundaries in Tokyo time, era changes, the city's formats."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from eventsapp.dates import (
    TOKYO,
    era_of,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    format_date,
    format_schedule,
    in_supported_years,
    is_fiscal_year,
    parse_day,
    parse_fiscal_year,
    tokyo_datetime,
)


def test_fiscal_year_boundary_in_tokyo_time():
    last_minute = datetime(2026, 3, 31, 23, 59, tzinfo=TOKYO)
    first_minute = datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)
    assert fiscal_year_of(last_minute) == 2025
    assert fiscal_year_of(first_minute) == 2026
    # The same instants written in UTC, as they are stored, keep their fiscal years.
    assert fiscal_year_of(last_minute.astimezone(timezone.utc)) == 2025
    assert fiscal_year_of(first_minute.astimezone(timezone.utc)) == 2026
    assert first_minute.astimezone(timezone.utc) == datetime(2026, 3, 31, 15, 0, tzinfo=timezone.utc)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        fiscal_year_of(datetime(2025, 7, 11, 18, 30))


def test_fiscal_year_labels():
    assert fiscal_year_label(2025) == "令和7年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度"
    assert fiscal_year_label(1989) == "平成元年度"
    assert fiscal_year_label(1988) == "昭和63年度"


def test_era_change_days():
    assert era_of(date(2019, 4, 30)) == ("平成", 31)
    assert era_of(date(2019, 5, 1)) == ("令和", 1)
    assert format_date(date(2019, 5, 1)) == "令和元年5月1日(水)"


def test_dates_as_the_city_writes_them():
    start = tokyo_datetime(date(2025, 7, 11), time(18, 30))
    end = tokyo_datetime(date(2025, 7, 11), time(20, 20))
    assert format_date(start) == "令和7年7月11日(金)"
    assert format_schedule(start, end) == "令和7年7月11日(金)18:30～20:20"
    assert format_date(tokyo_datetime(date(2026, 2, 12), time(18, 30))) == "令和8年2月12日(木)"
    assert format_date(tokyo_datetime(date(2025, 10, 4), time(14, 0))) == "令和7年10月4日(土)"


def test_schedule_shown_in_tokyo_even_when_given_in_utc():
    start = datetime(2025, 7, 11, 9, 30, tzinfo=timezone.utc)  # 18:30 JST
    assert format_schedule(start, start + timedelta(hours=1, minutes=50)) == "令和7年7月11日(金)18:30～20:20"


def test_fiscal_year_bounds():
    start, end = fiscal_year_bounds(2025)
    assert start == datetime(2025, 4, 1, tzinfo=TOKYO)
    assert end == datetime(2026, 4, 1, tzinfo=TOKYO)


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)))
def test_every_moment_lies_within_its_fiscal_year(moment):
    start, end = fiscal_year_bounds(fiscal_year_of(moment))
    assert start <= moment < end


def test_days_are_parsed_within_the_supported_years():
    assert parse_day(" 2000-01-01 ") == date(2000, 1, 1)
    assert parse_day("2100-12-31") == date(2100, 12, 31)
    for text in ("1999-12-31", "2101-01-01", "1376-07-11"):
        with pytest.raises(ValueError, match="2000年から2100年までの日付を指定してください。"):
            parse_day(text)
    with pytest.raises(ValueError):
        parse_day("2025-02-30")
    # the year as written, in the value's own offset
    assert in_supported_years(datetime(2000, 1, 1, 0, 30, tzinfo=TOKYO))
    assert not in_supported_years(datetime(1999, 12, 31, 23, 30, tzinfo=timezone.utc))


def test_the_fy_query_is_parsed_within_the_supported_years():
    assert parse_fiscal_year("2000") == 2000 and parse_fiscal_year(" 2100 ") == 2100
    for text in (None, "", "1999", "2101", "99999", "0", "x", "２０２５", "-2025", "2025.0"):
        assert parse_fiscal_year(text) is None, text
    assert is_fiscal_year(2000) and is_fiscal_year(2100)
    assert not is_fiscal_year(1999) and not is_fiscal_year(2101)


def test_the_api_year_pattern_states_the_same_range():
    import re

    from eventsapp.dates import FIRST_YEAR, LAST_YEAR, YEAR_PATTERN

    for year, inside in ((FIRST_YEAR - 1, False), (FIRST_YEAR, True), (LAST_YEAR, True), (LAST_YEAR + 1, False)):
        assert bool(re.match(YEAR_PATTERN, f"{year}-01-01")) is inside, year
