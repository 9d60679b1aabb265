"""Who placed the demo's orders: demo customers, guests, or nobody known (a till ticket).

Each channel draws its shoppers from the customers who came to the retailer that way
(``customers.ARCHETYPES``): web orders from web shoppers, till tickets identified by a
loyalty card or phone from store shoppers at their home store, and so on. Only the
"omni" shoppers are in the pools of both the stores and the web and app, so a minority
of customers shop in several channels and most in one. Some shoppers buy often and
most now and then (a lognormal appetite). Nobody orders before their profile existed.
Guests are made-up people without a profile; most till tickets name nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from omni.customers.models import Customer, CustomerAddress
from omni.demo.context import BuildContext
from omni.demo.data.places import TAX_REGIONS
from omni.demo.steps.order_baskets import STREAMS
from omni.demo.steps.people import PeopleFactory

Ints = NDArray[np.int64]
GUESTS_AT_SCALE_1 = 1_000
# Which profiles (by how they first came) shop in each channel; "pos" is a store's tills.
ARCHETYPES_OF = {
    "pos": ("pos", "omni"),
    "web": ("web", "omni"),
    "app": ("app", "omni"),
    "call-center": ("call_center",),
    "instagram": ("social",),  # who keep no address: they check out as guests
    "marketplace-goodsmart": (),
}
# Share of orders that name a customer: most till tickets are anonymous, app orders
# need a sign-in, marketplaces never tell who bought, Instagram shoppers check out as guests.
IDENTIFIED = {
    "pos": 0.22,
    "web": 0.8,
    "app": 0.97,
    "call-center": 0.9,
    "instagram": 0.0,
    "marketplace-goodsmart": 0.0,
}
OMNI_APPETITE = 1.5
APPETITE_RANGE = (0.3, 3.0)


@dataclass
class Population:
    """Customers (or guests) as parallel arrays, with their contact and address as the
    orders snapshot them (JSON text)."""

    ids: list[str | None]
    archetype: NDArray[np.str_]
    metro: NDArray[np.str_]
    home: Ints  # location index of their home store
    dc: Ints  # location index of the DC that serves their home store
    has_address: NDArray[np.bool_]
    created: Ints  # microseconds since the epoch
    appetite: NDArray[np.float64]
    contact: list[str]
    address: list[str | None]
    tax_region: list[str | None]


@dataclass(frozen=True)
class Shoppers:
    customer: Ints  # per order: index into customers, or -1
    guest: Ints  # per order: index into guests, or -1


def assign(
    customers: Population,
    guests: Population,
    orders: dict[str, Ints],
    locations: list[dict[str, Any]],
    rng: np.random.Generator,
) -> Shoppers:
    """``orders``: ``stream``, ``location`` (index) and ``placed`` (microseconds)."""
    stream, location, placed = orders["stream"], orders["location"], orders["placed"]
    channel = np.array([s.channel for s in STREAMS])[stream]
    odds = np.array([IDENTIFIED[s.channel] for s in STREAMS])[stream]
    identified = rng.random(len(stream)) < odds
    customer = _draw(customers, identified, stream, location, locations, rng)
    customer[(customer >= 0) & (placed < customers.created[np.maximum(customer, 0)])] = -1
    wants_guest = (customer < 0) & (channel != "pos")
    guest = _draw(guests, wants_guest, stream, location, locations, rng, anyone=True)
    return Shoppers(customer, guest)


def _draw(
    people: Population,
    wanted: NDArray[np.bool_],
    stream: Ints,
    location: Ints,
    locations: list[dict[str, Any]],
    rng: np.random.Generator,
    anyone: bool = False,
) -> Ints:
    chosen = np.full(len(stream), -1, dtype=np.int64)
    keys = stream * len(locations) + location
    for key in np.unique(keys[wanted]).tolist():
        which = np.flatnonzero(wanted & (keys == key))
        pool = _pool(people, STREAMS[key // len(locations)], key % len(locations), locations)
        if not anyone:
            pool &= np.isin(people.archetype, ARCHETYPES_OF[STREAMS[key // len(locations)].channel])
        candidates = np.flatnonzero(pool)
        if candidates.size == 0:
            continue
        weights = people.appetite[candidates] / people.appetite[candidates].sum()
        chosen[which] = rng.choice(candidates, size=len(which), p=weights)
    return chosen


def _pool(
    people: Population, stream: Any, location: int, locations: list[dict[str, Any]]
) -> NDArray[np.bool_]:
    """Who could have placed an order of ``stream`` served by ``location``: at a till,
    the store's own regulars; online, people of the store's metro or of the DC's region;
    with an address if it is delivered."""
    place = locations[location]
    if stream.channel == "pos":
        pool = people.home == location
    elif stream.at_store:
        pool = people.metro == place["metro_key"]
    else:
        pool = people.dc == location
    if stream.method in ("ship", "same_day"):
        pool &= people.has_address
    return pool


async def load_customers(ctx: BuildContext, place_of: dict[str, int], dc_of: Ints) -> Population:
    """The demo's customers (registry facts, and their names and first address)."""
    found = {
        row.id: row
        for row in await ctx.conn.execute(
            select(
                Customer.id,
                Customer.first_name,
                Customer.last_name,
                Customer.email,
                Customer.phone,
                Customer.created_at,
            )
        )
    }
    addresses: dict[str, Any] = {}
    for row in await ctx.conn.execute(
        select(CustomerAddress).order_by(CustomerAddress.customer_id, CustomerAddress.created_at)
    ):
        addresses.setdefault(row.customer_id, row)
    summaries = ctx.registry.customers
    rows = [found[s["id"]] for s in summaries]
    address_rows = [addresses.get(s["id"]) for s in summaries]
    store_codes = {loc["code"]: i for loc, i in _stores(ctx, place_of)}
    homes = np.array([store_codes[s["store_code"]] for s in summaries], dtype=np.int64)
    archetypes = np.array([s["archetype"] for s in summaries])
    rng = np.random.default_rng(ctx.rng("order-appetite").getrandbits(64))
    # Bounded: in a small pool (one store's regulars) an unbounded tail would make one
    # shopper buy daily.
    appetite = np.clip(rng.lognormal(0.0, 0.8, len(summaries)), *APPETITE_RANGE) * np.where(
        archetypes == "omni", OMNI_APPETITE, 1.0
    )
    return Population(
        ids=[s["id"] for s in summaries],
        archetype=archetypes,
        metro=np.array([s["metro"] for s in summaries]),
        home=homes,
        dc=dc_of[homes],
        has_address=np.array([a is not None for a in address_rows], dtype=bool),
        created=np.array([ctx.micros(r.created_at) for r in rows], dtype=np.int64),
        appetite=appetite,
        contact=[_contact(r.first_name, r.last_name, r.email, r.phone) for r in rows],
        address=[_address_json(a) for a in address_rows],
        tax_region=[TAX_REGIONS.get(a.region) if a is not None else None for a in address_rows],
    )


def make_guests(ctx: BuildContext, place_of: dict[str, int], dc_of: Ints) -> Population:
    """Made-up people who check out as guests (never a profile of their own)."""
    factory = PeopleFactory(ctx.rng("order-guests"), ctx.registry.stores(), ctx.now.date())
    people = [factory.person(f"g{i:06d}") for i in range(ctx.scaled(GUESTS_AT_SCALE_1, 20))]
    store_codes = {loc["code"]: i for loc, i in _stores(ctx, place_of)}
    count = len(people)
    homes = np.array([store_codes[p.store_code] for p in people], dtype=np.int64)
    return Population(
        ids=[None] * count,
        archetype=np.array(["guest"] * count),
        metro=np.array([p.metro for p in people]),
        home=homes,
        dc=dc_of[homes],
        has_address=np.ones(count, dtype=bool),
        created=np.zeros(count, dtype=np.int64),
        appetite=np.ones(count),
        contact=[_contact(p.first_name, p.last_name, p.email, p.phone) for p in people],
        address=[
            _address_json_of(f"{p.first_name} {p.last_name}", vars(p.address)) for p in people
        ],
        tax_region=[TAX_REGIONS.get(p.address.region) for p in people],
    )


def _stores(ctx: BuildContext, place_of: dict[str, int]) -> list[tuple[dict[str, Any], int]]:
    return [(loc, place_of[loc["id"]]) for loc in ctx.registry.stores()]


def _contact(first: str, last: str, email: str | None, phone: str | None) -> str:
    contact = {"name": f"{first} {last}", "email": email, "phone": phone}
    return json.dumps({key: value for key, value in contact.items() if value})


def _address_json(row: Any) -> str | None:
    if row is None:
        return None
    fields = ("line1", "line2", "city", "region", "postal_code", "country")
    return _address_json_of(row.recipient, {f: getattr(row, f) for f in fields})


def _address_json_of(name: str, fields: dict[str, Any]) -> str:
    address = {"name": name, "country": "US", **fields}
    return json.dumps({key: value for key, value in address.items() if value})
