"""When the demo's orders happened: inside each location's opening hours on the right
local day, as UTC microseconds (vectorised).

A simulated day is a calendar day in the location's own time zone, so a San Francisco
ticket rung up at 19:30 is 02:30 or 03:30 UTC the next day, as in a real ledger. The
weekly hours are the location's own; DCs also ship on their closed days (a weekend
crew, from 09:00 to 15:00).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from omni.demo.steps.locations import WEEKDAYS

Ints = NDArray[np.int64]
MINUTE = 60_000_000  # microseconds
HOUR = 60 * MINUTE
WEEKEND_CREW = (9 * 60, 15 * 60)
# Online orders reach the shelf some hours after the shopper placed them.
LEAD_HOURS = {
    "ship": (3, 30),
    "pickup": (1, 26),
    "curbside": (0.5, 6),
    "same_day": (2, 6),
}


class Calendar:
    """Local midnight (UTC microseconds) and opening minutes per location and day."""

    def __init__(self, locations: list[dict[str, Any]], first_day: date, days: int) -> None:
        shape = (len(locations), days)
        self.midnight = np.zeros(shape, dtype=np.int64)
        self.opens = np.zeros(shape, dtype=np.int64)
        self.closes = np.zeros(shape, dtype=np.int64)
        epoch = datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
        for i, location in enumerate(locations):
            zone = ZoneInfo(location["time_zone"])
            for day in range(days):
                local = first_day + timedelta(days=day)
                start = datetime.combine(local, time(), zone)
                self.midnight[i, day] = (start - epoch) // timedelta(microseconds=1)
                hours = location["opening_hours"].get(WEEKDAYS[local.weekday()], [])
                opens, closes = _window(hours)
                self.opens[i, day], self.closes[i, day] = opens, closes

    def during_hours(
        self, location: Ints, day: Ints, rng: np.random.Generator, peak: float = 0.6
    ) -> Ints:
        """A moment of the location's day while it is open, busiest late in the day."""
        opens, closes = self.opens[location, day], self.closes[location, day]
        share = rng.triangular(0.0, peak, 1.0, len(location))
        minute = opens + share * (closes - opens - 1)
        return self.midnight[location, day] + (minute * MINUTE).astype(np.int64)


def _window(hours: list[list[str]]) -> tuple[int, int]:
    """First opening and last closing minute of a day ("24:00" is midnight at its end)."""
    if not hours:
        return WEEKEND_CREW
    return _minutes(hours[0][0]), _minutes(hours[-1][1])


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def lead_times(methods: list[str], rng: np.random.Generator) -> Ints:
    """How long before its fulfilment each online order was placed (microseconds)."""
    low = np.array([LEAD_HOURS[m][0] for m in methods])
    high = np.array([LEAD_HOURS[m][1] for m in methods])
    return (rng.uniform(low, high) * HOUR).astype(np.int64)
