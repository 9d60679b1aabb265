"""Pure rules for customer data: normalizing and validating identifiers and addresses."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError
from email_validator import EmailNotValidError, validate_email

IDENTITY_KINDS = ("email", "phone", "loyalty_card", "app_device", "social")
COMMUNICATION_CHANNELS = ("email", "sms", "push", "post")
_LOYALTY_CARD = re.compile(r"^[0-9]{8,19}$")
OLDEST_BIRTH_YEAR = 1900


class InvalidCustomerData(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalize_email(value: str) -> str:
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidCustomerData("email", str(error)) from error
    return result.normalized.lower()


def normalize_phone(value: str, default_region: str = "US") -> str:
    """E.164 form (+15551234567) of a phone number, validated for its country."""
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as error:
        raise InvalidCustomerData("phone", f"not a phone number: {error}") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidCustomerData("phone", "not a valid phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_country(value: str) -> str:
    country = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if country is None:
        raise InvalidCustomerData("country", f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return str(country.alpha_2)


def normalize_identity(kind: str, value: str, default_region: str = "US") -> str:
    if kind not in IDENTITY_KINDS:
        raise InvalidCustomerData("kind", f"unknown identity kind {kind!r}")
    value = value.strip()
    if kind == "email":
        return normalize_email(value)
    if kind == "phone":
        return normalize_phone(value, default_region)
    if kind == "loyalty_card":
        digits = value.replace(" ", "").replace("-", "")
        if not _LOYALTY_CARD.match(digits):
            raise InvalidCustomerData("value", "a loyalty card number is 8 to 19 digits")
        return digits
    if not value or len(value) > 254:
        raise InvalidCustomerData("value", "identifier must be 1 to 254 characters")
    return value


def communication_preferences(given: dict[str, bool] | None) -> dict[str, bool]:
    """Marketing permissions default to off (opt-in), per channel."""
    prefs = dict.fromkeys(COMMUNICATION_CHANNELS, False)
    for channel, allowed in (given or {}).items():
        if channel not in prefs:
            raise InvalidCustomerData("communication", f"unknown channel {channel!r}")
        prefs[channel] = bool(allowed)
    return prefs


def name_key(value: str) -> str:
    """Search key of a name: accents dropped and case folded, so "Müller" ~ "muller"."""
    decomposed = unicodedata.normalize("NFKD", value.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalize_name(field: str, value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > 100:
        raise InvalidCustomerData(field, "a name is 1 to 100 characters")
    return value


def normalize_locale(value: str) -> str:
    """A BCP 47 tag babel knows (``fr-ca`` → ``fr-CA``)."""
    try:
        locale = Locale.parse(value.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError) as error:
        raise InvalidCustomerData("locale", f"{value!r} is not a known locale") from error
    parts = [locale.language, locale.script, locale.territory]
    return "-".join(part for part in parts if part)


def check_birth_date(value: date, today: date) -> date:
    if value > today:
        raise InvalidCustomerData("birth_date", "a birth date cannot be in the future")
    if value.year < OLDEST_BIRTH_YEAR:
        raise InvalidCustomerData("birth_date", f"a birth date is after {OLDEST_BIRTH_YEAR}")
    return value
