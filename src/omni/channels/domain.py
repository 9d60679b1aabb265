"""Pure rules of channels: kinds, fulfillment methods, markets and stock buffers."""

from __future__ import annotations

import math
import re

import pycountry
from babel import Locale, UnknownLocaleError

from omni.kernel.money import check_currency

KINDS = ("web", "app", "pos", "social", "call_center", "marketplace")
METHODS = ("ship", "pickup", "curbside", "same_day", "carry_out", "ship_to_store")
_REMOTE = frozenset({"ship", "pickup", "curbside", "same_day", "ship_to_store"})
# Only a till can hand goods over the counter (carry_out); a till sells to someone in the
# store, so it never books curbside. Marketplaces deliver or offer collection, nothing else.
ALLOWED_METHODS: dict[str, frozenset[str]] = {
    "web": _REMOTE,
    "app": _REMOTE,
    "social": _REMOTE,
    "call_center": _REMOTE,
    "pos": frozenset({"carry_out", "ship", "pickup", "same_day", "ship_to_store"}),
    "marketplace": frozenset({"ship", "same_day", "pickup"}),
}
# Lockers and pickup points hold parcels, not sellable stock.
POOL_LOCATION_KINDS = frozenset({"store", "warehouse"})
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def normalize_code(code: str) -> str:
    """Channel codes are lower-case slugs (``web``, ``pos-nyc-soho``)."""
    normalized = code.strip().lower()
    if not CODE_PATTERN.match(normalized):
        raise ValueError(
            "1 to 60 lower-case letters, digits or '-', starting with one of the first two"
        )
    return normalized


def check_methods(kind: str, methods: list[str]) -> list[str]:
    """The methods sorted and de-duplicated; ValueError if the kind cannot offer one."""
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise ValueError(f"unknown fulfillment methods: {', '.join(unknown)}")
    if not methods:
        raise ValueError("offer at least one fulfillment method")
    refused = sorted(set(methods) - ALLOWED_METHODS[kind])
    if refused:
        raise ValueError(f"a {kind.replace('_', ' ')} channel cannot offer {', '.join(refused)}")
    return sorted(set(methods))


def normalize_currency(code: str) -> str:
    return check_currency(code.strip().upper())


def normalize_locale(tag: str) -> str:
    """A BCP 47 tag babel knows (``en-US``, ``zh-Hant-TW``), in canonical case."""
    wanted = tag.strip().replace("_", "-")
    try:
        locale = Locale.parse(wanted, sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(f"{tag!r} is not a known locale") from error
    canonical = "-".join(p for p in (locale.language, locale.script, locale.territory) if p)
    # babel quietly swaps unknown territories for a likely one (en-ZZ → en-US); refuse.
    if canonical.lower() != wanted.lower():
        raise ValueError(f"{tag!r} is not a known locale")
    return canonical


def normalize_tax_region(code: str) -> str:
    """A country (``US``) or a subdivision (``US-NY``, ISO 3166-2)."""
    upper = code.strip().upper()
    if "-" in upper:
        found = pycountry.subdivisions.get(code=upper)
    else:
        found = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
    if found is None:
        raise ValueError(f"{code!r} is not an ISO 3166 country or subdivision code")
    return upper


def held_back_units(on_hand: int, buffer_units: int, buffer_percent: int) -> int:
    """Units a channel must leave at a location: the larger of the absolute buffer and
    the percentage of what is on hand (rounded up, so 10 % of 3 keeps one back)."""
    if on_hand <= 0:
        return 0
    return min(on_hand, max(buffer_units, math.ceil(on_hand * buffer_percent / 100)))
