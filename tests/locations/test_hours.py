"""Opening hours: validation, "open at T?" and "next opening" across DST and midnight."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni.locations.domain import (
    is_open_at,
    next_opening,
    open_state,
    parse_schedule,
    parse_special_days,
    schedule_json,
    special_days_json,
)

NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily(opens: str, closes: str) -> dict[str, list[list[str]]]:
    return {day: [[opens, closes]] for day in EVERY_DAY}


# --- daylight-saving changes (America/New_York: 2024-03-10 and 2024-11-03, both Sundays)


def test_daytime_hours_follow_the_local_clock_across_spring_forward():
    schedule = parse_schedule(daily("09:00", "21:00"))
    # 09:00 is 14:00 UTC on Saturday (EST) but 13:00 UTC on Sunday (EDT).
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 9, 13, 30))
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 9, 14, 0))
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 13, 30))
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 12, 59))


def test_overnight_hours_spanning_spring_forward_close_when_clocks_reach_closing_time():
    # Saturday 18:00 EST to Sunday 02:00, a time that does not exist that night: the
    # clock jumps from 01:59:59 EST to 03:00 EDT, which is past 02:00, so it is closed.
    schedule = parse_schedule({"sat": [["18:00", "02:00"]]})
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 9, 23, 0))  # 18:00 EST
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 6, 59))  # 01:59 EST
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 7, 0))  # 03:00 EDT


def test_overnight_hours_spanning_fall_back_include_the_repeated_hour():
    # Saturday 18:00 EDT to Sunday 02:00 EST: nine real hours, 01:30 happens twice.
    schedule = parse_schedule({"sat": [["18:00", "02:00"]]})
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 2, 21, 59))
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 2, 22, 0))  # 18:00 EDT
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 3, 5, 30))  # first 01:30 (EDT)
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 3, 6, 30))  # second 01:30 (EST)
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 3, 7, 0))  # 02:00 EST


def test_an_opening_time_skipped_by_spring_forward_moves_later_by_the_gap():
    # 02:30 does not exist on 2024-03-10; like java.time and PEP 495 it reads as 03:30 EDT.
    schedule = parse_schedule({"sun": [["02:30", "05:00"]]})
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 7, 15))  # 03:15 EDT
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 3, 10, 7, 30))  # 03:30 EDT


def test_an_opening_time_repeated_by_fall_back_means_its_first_occurrence():
    schedule = parse_schedule({"sun": [["01:30", "03:00"]]})
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 3, 5, 15))  # 01:15 EDT
    assert is_open_at(schedule, {}, NEW_YORK, utc(2024, 11, 3, 5, 30))  # 01:30 EDT


def test_next_opening_after_closing_on_the_eve_of_spring_forward_is_in_daylight_time():
    schedule = parse_schedule(daily("09:00", "21:00"))
    saturday_night = utc(2024, 3, 10, 3, 0)  # Saturday 22:00 EST
    assert next_opening(schedule, {}, NEW_YORK, saturday_night) == utc(2024, 3, 10, 13, 0)


def test_next_opening_after_fall_back_is_in_standard_time():
    schedule = parse_schedule(daily("09:00", "21:00"))
    saturday_night = utc(2024, 11, 3, 2, 0)  # Saturday 22:00 EDT
    assert next_opening(schedule, {}, NEW_YORK, saturday_night) == utc(2024, 11, 3, 14, 0)


# --- overnight hours and midnight


def test_overnight_interval_is_open_after_midnight_on_the_next_day():
    schedule = parse_schedule({"fri": [["18:00", "02:00"]]})
    friday = date(2025, 6, 6)
    assert friday.weekday() == 4
    assert is_open_at(schedule, {}, NEW_YORK, utc(2025, 6, 7, 5, 30))  # Sat 01:30 EDT
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2025, 6, 7, 6, 0))  # Sat 02:00 EDT
    assert not is_open_at(schedule, {}, NEW_YORK, utc(2025, 6, 5, 5, 30))  # Thu 01:30


def test_closing_at_midnight_and_all_day_hours():
    late = parse_schedule({"mon": [["18:00", "00:00"]]})
    assert schedule_json(late)["mon"] == [["18:00", "24:00"]]
    assert is_open_at(late, {}, NEW_YORK, utc(2025, 6, 3, 3, 59))  # Mon 23:59 EDT
    assert not is_open_at(late, {}, NEW_YORK, utc(2025, 6, 3, 4, 0))  # Tue 00:00
    all_day = parse_schedule({"tue": [["00:00", "24:00"]]})
    assert is_open_at(all_day, {}, NEW_YORK, utc(2025, 6, 3, 4, 0))
    assert is_open_at(all_day, {}, NEW_YORK, utc(2025, 6, 4, 3, 59))


def test_back_to_back_intervals_across_midnight_close_only_at_the_end():
    schedule = parse_schedule({"mon": [["18:00", "24:00"]], "tue": [["00:00", "02:00"]]})
    state = open_state(schedule, {}, NEW_YORK, utc(2025, 6, 3, 1, 0))  # Mon 21:00 EDT
    assert state.is_open
    assert state.closes_at == utc(2025, 6, 3, 6, 0)  # Tue 02:00 EDT
    assert state.next_opening == utc(2025, 6, 9, 22, 0)  # next Mon 18:00 EDT


def test_always_open_location_has_no_closing_time_or_next_opening():
    state = open_state(parse_schedule(daily("00:00", "24:00")), {}, NEW_YORK, utc(2025, 1, 1))
    assert state.is_open
    assert state.closes_at is None
    assert state.next_opening is None


def test_location_without_hours_is_never_open():
    state = open_state(parse_schedule({}), {}, NEW_YORK, utc(2025, 1, 1))
    assert not state.is_open
    assert state.next_opening is None


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        is_open_at(parse_schedule({}), {}, NEW_YORK, datetime(2025, 1, 1))


# --- special days


def test_special_closed_day_overrides_the_weekday_and_pushes_the_next_opening():
    schedule = parse_schedule(daily("09:00", "21:00"))
    christmas = parse_special_days({"2024-12-25": []})
    noon = utc(2024, 12, 25, 17, 0)
    assert is_open_at(schedule, {}, NEW_YORK, noon)
    assert not is_open_at(schedule, christmas, NEW_YORK, noon)
    assert next_opening(schedule, christmas, NEW_YORK, noon) == utc(2024, 12, 26, 14, 0)


def test_special_day_with_short_hours():
    schedule = parse_schedule(daily("09:00", "21:00"))
    eve = parse_special_days({"2024-12-24": [["09:00", "15:00"]]})
    assert is_open_at(schedule, eve, NEW_YORK, utc(2024, 12, 24, 19, 59))  # 14:59 EST
    assert not is_open_at(schedule, eve, NEW_YORK, utc(2024, 12, 24, 20, 0))  # 15:00 EST


def test_a_closed_special_day_keeps_the_tail_of_the_night_before():
    schedule = parse_schedule({"tue": [["18:00", "02:00"]]})
    closed_wednesday = parse_special_days({"2025-06-04": []})
    assert is_open_at(schedule, closed_wednesday, NEW_YORK, utc(2025, 6, 4, 5, 0))  # Wed 01:00


# --- validation


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}, "overlap"),
        ({"mon": [["20:00", "03:00"]], "tue": [["02:00", "10:00"]]}, "previous night"),
        ({"sun": [["22:00", "04:00"]], "mon": [["03:00", "10:00"]]}, "previous night"),
        ({"mon": [["25:00", "26:00"]]}, "not a time of day"),
        ({"mon": [["09:00", "24:30"]]}, "not a time of day"),
        ({"mon": [["9:00", "17:00"]]}, "not a time of day"),
        ({"mon": [["24:00", "02:00"]]}, "cannot open at 24:00"),
        ({"mon": [["09:00", "09:00"]]}, "ambiguous"),
        ({"mon": [["09:00"]]}, "[open, close]"),
        ({"mon": [[f"{h:02d}:00", f"{h:02d}:30"] for h in range(7)]}, "at most"),
        ({"monday": [["09:00", "17:00"]]}, "unknown weekdays"),
    ],
)
def test_invalid_schedules_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_schedule(raw)


def test_touching_intervals_are_allowed_and_sorted():
    schedule = parse_schedule({"mon": [["13:00", "18:00"], ["09:00", "13:00"]]})
    assert schedule_json(schedule)["mon"] == [["09:00", "13:00"], ["13:00", "18:00"]]


def test_special_days_need_real_dates_and_round_trip():
    with pytest.raises(ValueError, match="not a date"):
        parse_special_days({"2025-02-30": []})
    raw = {"2025-12-25": [], "2025-12-24": [["09:00", "15:00"]]}
    assert special_days_json(parse_special_days(raw)) == {
        "2025-12-24": [["09:00", "15:00"]],
        "2025-12-25": [],
    }


# --- properties

BAR_HOURS = parse_schedule(
    {
        "mon": [["10:00", "14:00"], ["17:00", "23:00"]],
        "fri": [["17:00", "03:00"]],
        "sat": [["12:00", "01:00"]],
        "sun": [["01:30", "02:45"]],
    }
)
INSTANTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(INSTANTS)
def test_open_state_agrees_with_is_open_and_nothing_opens_before_next_opening(instant):
    state = open_state(BAR_HOURS, {}, NEW_YORK, instant)
    assert state.is_open == is_open_at(BAR_HOURS, {}, NEW_YORK, instant)
    assert state.next_opening is not None and state.next_opening > instant
    assert is_open_at(BAR_HOURS, {}, NEW_YORK, state.next_opening)
    just_before = state.next_opening - timedelta(seconds=1)
    assert not is_open_at(BAR_HOURS, {}, NEW_YORK, just_before)
    if state.is_open:
        assert state.closes_at is not None and state.closes_at > instant
        assert not is_open_at(BAR_HOURS, {}, NEW_YORK, state.closes_at)
