"""Made-up people: names, unique emails and phone numbers, addresses, cards, devices.

A ``Person`` is someone real in the demo's world; the customers step turns a person
into one profile, or into two or three (duplicates across channels).
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from omni.customers import domain
from omni.demo.data.people import FIRST_NAMES, LAST_NAMES, NICKNAMES
from omni.demo.data.places import AREA_CODES, MOVED_IN_AREA_CODES, NEIGHBOURHOODS, Neighbourhood
from omni.demo.identifiers import luhn_complete

# Reserved for documentation (RFC 2606): mail to these domains never reaches anyone.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com",
                 "inbox.example.net")  # fmt: skip
EMAIL_DOMAIN_WEIGHTS = (45, 25, 15, 10, 5)
APARTMENT_CITIES = frozenset({"New York", "Brooklyn", "Astoria", "Hoboken", "Jersey City",
                              "Chicago", "San Francisco"})  # fmt: skip


@dataclass(frozen=True)
class Address:
    line1: str
    line2: str | None
    city: str
    region: str
    postal_code: str


@dataclass
class Person:
    key: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: Address
    birth_date: date | None
    locale: str
    metro: str
    store_code: str


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", domain.name_key(text))


class PeopleFactory:
    """Draws people from one generator; identifiers it hands out are never reused."""

    def __init__(self, rng: random.Random, stores: list[dict[str, Any]], today: date) -> None:
        self.rng = rng
        self.today = today
        self.stores = stores
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.card_serial = 40_000_000 + rng.randrange(1_000_000)
        self.handles: set[str] = set()

    # ---------------------------------------------------------------- people

    def person(self, key: str) -> Person:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        hood = self.neighbourhood()
        age_days = rng.randint(18 * 365, 78 * 365)
        return Person(
            key=key,
            first_name=first,
            last_name=last,
            email=self.email(first, last),
            phone=self.phone(hood.city),
            address=self.address(hood),
            birth_date=self.today - timedelta(days=age_days) if rng.random() < 0.45 else None,
            locale="es-US" if rng.random() < 0.06 else "en-US",
            metro=hood.metro,
            store_code=self.home_store(hood),
        )

    def neighbourhood(self) -> Neighbourhood:
        return self.rng.choices(NEIGHBOURHOODS, weights=[n.weight for n in NEIGHBOURHOODS])[0]

    def home_store(self, hood: Neighbourhood) -> str:
        """Mostly the store in the shopper's own town; otherwise another in the metro."""
        stores = [s for s in self.stores if s["metro_key"] == hood.metro]
        weights = [8 if s["city"] == hood.city else 1 for s in stores]
        return str(self.rng.choices(stores, weights=weights)[0]["code"])

    # ---------------------------------------------------------------- identifiers

    def email(self, first: str, last: str, *, domain_name: str | None = None) -> str:
        rng = self.rng
        f, la = ascii_word(first) or "shopper", ascii_word(last) or "mail"
        styles = (f"{f}.{la}", f"{f}{la}", f"{f[0]}{la}", f"{f}_{la}", f"{f}.{la[0]}", f"{la}.{f}")
        local = rng.choice(styles)
        if rng.random() < 0.3:
            local += str(rng.choice((rng.randint(1, 99), rng.randint(1960, 2006))))
        host = domain_name or rng.choices(EMAIL_DOMAINS, EMAIL_DOMAIN_WEIGHTS)[0]
        email = domain.normalize_email(f"{local}@{host}")
        while email in self.emails:
            email = domain.normalize_email(f"{local}{rng.randint(2, 999)}@{host}")
        self.emails.add(email)
        return email

    def phone(self, city: str) -> str:
        rng = self.rng
        codes = MOVED_IN_AREA_CODES if rng.random() < 0.1 else AREA_CODES[city]
        while True:
            exchange = rng.randint(200, 999)
            # N11 codes are service numbers and 555 is for directory/fiction.
            if exchange % 100 == 11 or exchange == 555:
                continue
            number = domain.normalize_phone(
                f"+1{rng.choice(codes)}{exchange}{rng.randint(0, 9999):04d}"
            )
            if number not in self.phones:
                self.phones.add(number)
                return number

    def loyalty_card(self) -> str:
        self.card_serial += self.rng.randint(1, 40)
        return domain.normalize_identity(
            "loyalty_card", luhn_complete(f"7700{self.card_serial:011d}")
        )

    def device_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def social_handle(self, person: Person) -> str:
        f, la = ascii_word(person.first_name), ascii_word(person.last_name)
        handle = self.rng.choice((f"{f}{la}", f"{f}.{la}", f"{f}_{la[:1]}", f"{la}{f[:1]}"))
        while handle in self.handles:
            handle = f"{handle}{self.rng.randint(1, 99)}"
        self.handles.add(handle)
        return domain.normalize_identity("social", f"@{handle}")

    def address(self, hood: Neighbourhood) -> Address:
        rng = self.rng
        line2 = None
        if hood.city in APARTMENT_CITIES and rng.random() < 0.6:
            line2 = f"Apt {rng.randint(1, 24)}{rng.choice('ABCDEFGH')}"
        return Address(
            line1=f"{rng.randint(1, 2400)} {rng.choice(hood.streets)}",
            line2=line2,
            city=hood.city,
            region=hood.region,
            postal_code=rng.choice(hood.postal_codes),
        )

    # ---------------------------------------------------------------- how people vary

    def nickname(self, first: str) -> str:
        options = NICKNAMES.get(first)
        return self.rng.choice(options) if options else first

    def typo(self, name: str) -> str:
        """One slip of the keyboard: two letters swapped, one dropped or one doubled."""
        letters = [i for i, ch in enumerate(name) if ch.isalpha()]
        if len(letters) < 4:
            return name
        i = self.rng.choice(letters[1:-1])
        kind = self.rng.randrange(3)
        if kind == 0 and name[i + 1].isalpha() and name[i] != name[i + 1]:
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if kind == 1:
            return name[:i] + name[i + 1 :]
        return name[:i] + name[i] + name[i:]

    def strip_accents(self, name: str) -> str:
        """What a till without accented keys makes of "José Muñoz"."""
        key = domain.name_key(name)
        return (
            "".join(k.upper() if orig.isupper() else k for orig, k in zip(name, key, strict=False))
            if len(key) == len(name)
            else name
        )
