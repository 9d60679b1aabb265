"""Benchmark scenarios behind ``omni bench <scenario> --json``.

Each scenario is a function ``run(database_url, options) -> dict`` registered in
``SCENARIOS``; it prints nothing itself and returns one JSON-able object with the
figures, the machine and the date, so results can be pasted into docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Scenario = Callable[[str, dict[str, Any]], dict[str, Any]]


def scenarios() -> dict[str, Scenario]:
    from bench import (
        availability,
        checkout,
        demo_build,
        forecast,
        hot_sku,
        pg_limits,
        sourcing,
    )

    return {
        "demo-build": demo_build.run,
        "pg-limits": pg_limits.run,
        "hot-sku": hot_sku.run,
        "availability": availability.run,
        "forecast": forecast.run,
        "sourcing": sourcing.run,
        "checkout": checkout.run,
    }
