"""A customer profile as the demo plans it, and its rows in the customers tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omni.customers import domain
from omni.demo.context import BuildContext
from omni.demo.steps.people import Address, Person
from omni.kernel.ids import new_id

# The channel a profile was first recorded in, by archetype ({store} = home store code).
SOURCE_CHANNELS = {
    "web": "web",
    "app": "app",
    "pos": "pos-{store}",
    "omni": "pos-{store}",
    "call_center": "call-center",
    "social": "instagram",
}


@dataclass
class Profile:
    person: Person
    archetype: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    card: str | None = None
    devices: list[str] = field(default_factory=list)
    social: str | None = None
    addresses: list[Address] = field(default_factory=list)
    verified: set[str] = field(default_factory=set)
    store: str | None = None  # preferred store code
    pattern: str = ""
    communication: dict[str, bool] = field(default_factory=dict)
    age_days: float = 365.0
    note: str | None = None
    account: bool = False

    def __post_init__(self) -> None:
        self.pattern = self.pattern or self.archetype

    def identities(self) -> list[tuple[str, str]]:
        pairs = [("email", self.email), ("phone", self.phone), ("loyalty_card", self.card)]
        pairs += [("app_device", device) for device in self.devices]
        pairs.append(("social", self.social))
        return [(kind, value) for kind, value in pairs if value]


class ProfileRows:
    """Turns profiles into rows, checked by the customers module's own rules."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.store_ids = {row["code"]: row["id"] for row in ctx.registry.stores()}
        self.channel_ids = {row["code"]: row["id"] for row in ctx.registry.channels}
        self.customers: list[dict[str, Any]] = []
        self.identities: list[dict[str, Any]] = []
        self.addresses: list[dict[str, Any]] = []
        self.truth: list[dict[str, Any]] = []
        self.accounts: list[dict[str, Any]] = []
        self.summaries: list[dict[str, Any]] = []
        self._verified: set[tuple[str, str]] = set()
        self._persons_seen: set[str] = set()

    def source_channel(self, profile: Profile) -> str | None:
        store = profile.person.store_code.lower()
        code = SOURCE_CHANNELS[profile.archetype].format(store=store)
        return self.channel_ids.get(code)

    def add(self, p: Profile) -> None:
        customer_id = new_id("cus")
        created = self.ctx.days_ago(p.age_days)
        channel_id = self.source_channel(p)
        first = domain.normalize_name("first_name", p.first_name)
        last = domain.normalize_name("last_name", p.last_name)
        # Only the first profile of a person knows the birthday (the sign-up form asked).
        first_seen = p.person.key not in self._persons_seen
        self._persons_seen.add(p.person.key)
        self.customers.append(
            {
                "id": customer_id,
                "first_name": first,
                "last_name": last,
                "first_name_key": domain.name_key(first),
                "last_name_key": domain.name_key(last),
                # Already normalized (and so validated) when the people factory made them.
                "email": p.email,
                "phone": p.phone,
                "birth_date": p.person.birth_date if first_seen else None,
                "locale": domain.normalize_locale(p.person.locale),
                "preferred_store_id": self.store_ids[p.store] if p.store else None,
                "communication": domain.communication_preferences(p.communication),
                "source_channel_id": channel_id,
                "note": p.note,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        self._add_identities(customer_id, p, channel_id, created)
        self._add_addresses(customer_id, p, created)
        self.truth.append(
            {"customer_id": customer_id, "person_key": p.person.key, "pattern": p.pattern}
        )
        if p.account and p.email:
            self.accounts.append(
                {
                    "customer_id": customer_id,
                    "email": p.email,
                    "password_hash": self.ctx.password_hash,
                    "active": True,
                    "failed_sign_ins": 0,
                    "locked_until": None,
                    "created_at": created,
                }
            )
        self.summaries.append(
            {
                "id": customer_id,
                "person_key": p.person.key,
                "archetype": p.archetype,
                "email": p.email,
                "store_code": p.store or p.person.store_code,
                "metro": p.person.metro,
                "has_account": p.account,
            }
        )

    def _add_identities(
        self, customer_id: str, p: Profile, channel_id: str | None, at: Any
    ) -> None:
        for kind, raw in p.identities():
            # Emails and phones were normalized when made; the rest is checked here.
            value = raw if kind in ("email", "phone") else domain.normalize_identity(kind, raw)
            verified = kind in p.verified
            if verified:
                # The rule the unique index enforces: a verified identifier has one owner.
                if (kind, value) in self._verified:
                    raise ValueError(f"demo made verified {kind} {value} twice")
                self._verified.add((kind, value))
            self.identities.append(
                {
                    "id": new_id("cid"),
                    "customer_id": customer_id,
                    "kind": kind,
                    "value": value,
                    "verified": verified,
                    "channel_id": channel_id,
                    "created_at": at,
                }
            )

    def _add_addresses(self, customer_id: str, p: Profile, at: Any) -> None:
        for index, address in enumerate(p.addresses):
            self.addresses.append(
                {
                    "id": new_id("adr"),
                    "customer_id": customer_id,
                    "label": "Home" if index == 0 else "Work",
                    "recipient": f"{p.first_name} {p.last_name}",
                    "line1": address.line1,
                    "line2": address.line2,
                    "city": address.city,
                    "region": address.region,
                    "postal_code": address.postal_code,
                    "country": domain.normalize_country("US"),
                    "phone": p.phone,
                    "is_default_shipping": index == 0,
                    "is_default_billing": index == 0,
                    "created_at": at,
                }
            )
