"""Checking and normalizing a whole location record — pure, shared by the API and imports.

Both the HTTP layer (after Pydantic has checked shapes) and the CSV importer (raw
strings) end here, so a location is valid by the same rules however it arrives. Every
problem is collected, not just the first, so an import report can list them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import phonenumbers
import pycountry

from omni.locations import domain

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
CAPACITY_LIMITS: dict[str, tuple[int, int]] = {
    "orders_per_day": (0, 100_000),
    "orders_per_hour": (0, 10_000),
    "pickup_slot_minutes": (5, 24 * 60),
    "pickup_slot_capacity": (0, 10_000),
    "pickup_hold_days": (1, 90),
}
CAPACITY_FIELDS = tuple(CAPACITY_LIMITS)
ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postal_code", "country")
TEXT_LIMITS = {
    "name": 200,
    "line1": 200,
    "line2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "metro": 100,
}
REQUIRED_TEXT = frozenset({"name", "line1", "city"})
T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field (dotted path, e.g. ``address.country``)."""

    field: str
    message: str


class InvalidLocation(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class _Errors:
    def __init__(self) -> None:
        self.found: list[FieldError] = []

    def check(self, field: str, rule: Callable[..., T], *args: Any) -> T | None:
        try:
            return rule(*args)
        except ValueError as error:
            self.found.append(FieldError(field, str(error)))
            return None


def normalize_code(code: str) -> str:
    """Location codes are upper case (``NYC-SOHO``): people type them in either case."""
    normalized = code.strip().upper()
    if not CODE_PATTERN.match(normalized):
        raise ValueError("1 to 40 letters, digits, '-' or '_', starting with a letter or digit")
    return normalized


def check_country(value: str) -> str:
    country = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if country is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return str(country.alpha_2)


def normalize_phone(value: str, country: str | None) -> str:
    """E.164 (+12125550123); numbers without a country prefix are read as ``country``'s."""
    try:
        number = phonenumbers.parse(value, country or "US")
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {error}") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}")
    return value


def _text(value: Any, limit: int, required: bool) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("must be text")
    text = (value or "").strip()
    if not text:
        if required:
            raise ValueError("required")
        return None
    if len(text) > limit:
        raise ValueError(f"at most {limit} characters")
    return text


def _degrees(value: Any, limit: int) -> float:
    if value is None:
        raise ValueError("required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not (math.isfinite(value) and -limit <= value <= limit):
        raise ValueError(f"must be between -{limit} and {limit}")
    return float(value)


def _capacity_value(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("must be a whole number")
    low, high = CAPACITY_LIMITS[name]
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return value


def _check_capacity(errors: _Errors, capacity: Mapping[str, Any]) -> dict[str, int | None]:
    unknown = sorted(set(capacity) - set(CAPACITY_FIELDS))
    for name in unknown:
        errors.found.append(FieldError(f"capacity.{name}", "unknown capacity field"))
    values = {
        name: errors.check(f"capacity.{name}", _capacity_value, name, capacity.get(name))
        for name in CAPACITY_FIELDS
    }
    per_hour, per_day = values["orders_per_hour"], values["orders_per_day"]
    if per_hour is not None and per_day is not None and per_hour > per_day:
        errors.found.append(FieldError("capacity.orders_per_hour", "cannot exceed orders_per_day"))
    return values


def _check_texts(errors: _Errors, values: Mapping[str, Any]) -> dict[str, Any]:
    address = values.get("address") or {}
    sources = {"name": values.get("name"), "metro": values.get("metro")}
    sources.update({name: address.get(name) for name in ADDRESS_FIELDS if name != "country"})
    out: dict[str, Any] = {}
    for name, value in sources.items():
        field = name if name in ("name", "metro") else f"address.{name}"
        out[name] = errors.check(field, _text, value, TEXT_LIMITS[name], name in REQUIRED_TEXT)
    out["country"] = errors.check("address.country", check_country, address.get("country") or "")
    return out


def _check_place(errors: _Errors, values: Mapping[str, Any], country: str | None) -> dict[str, Any]:
    phone = values.get("phone")
    tz_name = values.get("time_zone") or ""
    return {
        "latitude": errors.check("latitude", _degrees, values.get("latitude"), 90),
        "longitude": errors.check("longitude", _degrees, values.get("longitude"), 180),
        "time_zone": tz_name
        if errors.check("time_zone", domain.check_time_zone, tz_name)
        else None,
        "phone": errors.check("phone", normalize_phone, phone, country) if phone else None,
    }


def _check_hours(errors: _Errors, values: Mapping[str, Any]) -> dict[str, Any]:
    weekly = errors.check("opening_hours", domain.parse_schedule, values.get("opening_hours") or {})
    special = errors.check(
        "special_days", domain.parse_special_days, values.get("special_days") or {}
    )
    return {
        "opening_hours": domain.schedule_json(weekly) if weekly is not None else None,
        "special_days": domain.special_days_json(special) if special is not None else None,
    }


def normalize_location(values: Mapping[str, Any]) -> dict[str, Any]:
    """The column values of a location described by ``values``; raises ``InvalidLocation``.

    ``values`` has the API's shape: code, name, kind, status, address{…}, phone,
    latitude, longitude, time_zone, metro, opening_hours, special_days, capabilities,
    capacity{…}.
    """
    errors = _Errors()
    kind = errors.check("kind", _one_of, values.get("kind"), domain.KINDS)
    out: dict[str, Any] = {
        "code": errors.check("code", normalize_code, values.get("code") or ""),
        "kind": kind,
        "status": errors.check("status", _one_of, values.get("status", "active"), domain.STATUSES),
    }
    out |= _check_texts(errors, values)
    out |= _check_place(errors, values, out["country"])
    out |= _check_hours(errors, values)
    out |= _check_capacity(errors, values.get("capacity") or {})
    if kind is not None:
        out["capabilities"] = errors.check(
            "capabilities", domain.check_capabilities, kind, list(values.get("capabilities") or [])
        )
    if errors.found:
        raise InvalidLocation(errors.found)
    return out
