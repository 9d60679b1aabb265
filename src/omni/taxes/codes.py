"""Region codes: what they look like, and which region an address is taxed in. Pure."""

from __future__ import annotations

import re

import pycountry

from omni.kernel.errors import InvalidInput

_TAX_CLASS = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Countries whose sales taxes differ by subdivision: their addresses map to "CC-SS".
BY_SUBDIVISION = frozenset({"US"})


def normalize_region_code(code: str) -> str:
    """A country (``DE``) or an ISO 3166-2 subdivision (``US-NY``), upper case."""
    upper = code.strip().upper()
    if "-" in upper:
        found = pycountry.subdivisions.get(code=upper)
    else:
        found = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
    if found is None:
        raise ValueError(f"{code!r} is not an ISO 3166 country or subdivision code")
    return upper


def check_tax_class(value: str) -> str:
    if not _TAX_CLASS.match(value):
        raise ValueError("a tax class is a short lower-case code such as 'standard'")
    return value


def region_for_address(country: str, region: str | None = None) -> str:
    """The tax region code of an address: ``US-<state>`` in the United States (``region``
    as ``NY`` or ``US-NY``), the country code elsewhere (``DE``; ``region`` ignored).

    ``InvalidInput`` (422, naming ``country`` or ``region``) for an unknown country, a
    US address without a state, or a state that does not exist."""
    country_code = country.strip().upper()
    if len(country_code) != 2 or pycountry.countries.get(alpha_2=country_code) is None:
        raise InvalidInput(f"{country!r} is not an ISO 3166 country code.", field="country")
    if country_code not in BY_SUBDIVISION:
        return country_code
    subdivision = (region or "").strip().upper()
    if not subdivision:
        raise InvalidInput(f"An address in {country_code} needs its state.", field="region")
    if not subdivision.startswith(f"{country_code}-"):
        subdivision = f"{country_code}-{subdivision}"
    if pycountry.subdivisions.get(code=subdivision) is None:
        raise InvalidInput(f"{region!r} is not a state of {country_code}.", field="region")
    return subdivision
