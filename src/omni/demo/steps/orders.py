"""Step: a year of orders in every channel, telling the same story as the stock ledger.

The stock step simulated what sold where each day; here those sales become the orders
they were (``order_baskets``): till tickets in the stores, web and app orders shipped
from the DCs or picked up, collected at the curb or shipped from a store, a few by
phone, on Instagram and on the marketplace. Each order line's units leave the shelf
as one ledger movement naming its order, so per variant, location and day the
ledger's sales and the order lines agree exactly. A handful of today's web orders are
still open (placed or released): their units are reserved, not yet gone.

Orders are priced from the price lists, taxed by region and paid (``order_amounts``),
placed by demo customers, guests or anonymous shoppers (``order_shoppers``), and
written column-wise (``order_rows``, ``order_ledger``): about 180,000 at scale 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from omni.demo.context import BuildContext
from omni.demo.steps import order_amounts, order_baskets, order_shoppers
from omni.demo.steps.order_baskets import STREAMS, Basket
from omni.demo.steps.order_facts import Facts, gather
from omni.demo.steps.order_rows import OrderRows
from omni.demo.steps.order_times import MINUTE, Calendar, lead_times
from omni.demo.steps.stock import SoldYear

Ints = NDArray[np.int64]
OPEN_ORDERS_AT_SCALE_1 = 40
RELEASED_SHARE = 0.4  # of the open orders: handed to the DC, not yet shipped
WELCOME_ODDS = 0.6  # a new customer's first order uses the welcome code
FULFILLED, PLACED, RELEASED = 0, 1, 2
MARKETPLACE = "marketplace-goodsmart"


@dataclass
class Book:
    """The order book as parallel arrays: per order and per line (lines by order)."""

    basket: Basket
    status: Ints  # FULFILLED | PLACED | RELEASED
    placed: Ints  # microseconds since the epoch
    released: Ints
    fulfilled: Ints
    shoppers: order_shoppers.Shoppers
    welcome: Ints  # 1: the order used WELCOME10
    amounts: order_amounts.Amounts


async def build_orders(ctx: BuildContext) -> None:
    sold: SoldYear = ctx.registry.extra["sold_year"]
    rng = np.random.default_rng(ctx.rng("orders").getrandbits(64))
    facts = await gather(ctx, sold)
    year = order_baskets.plan(sold.sold, facts.level_location, facts.allowed, rng)
    today = _open_orders(ctx, facts, sold, rng)
    basket = _concat(year, today)
    status = np.r_[np.zeros(len(year.order_day), dtype=np.int64), _open_status(today, rng)]
    days = sold.sold.shape[1] + 1  # and today
    placed, released, fulfilled = _times(ctx, facts, basket, status, days, sold, rng)
    customers = await order_shoppers.load_customers(ctx, facts.place_of, facts.dc_of)
    guests = order_shoppers.make_guests(ctx, facts.place_of, facts.dc_of)
    orders = {"stream": basket.order_stream, "location": basket.order_location, "placed": placed}
    shoppers = order_shoppers.assign(customers, guests, orders, facts.locations, rng)
    welcome = _welcome(facts, basket, shoppers, placed, rng)
    amounts = _amounts(facts, basket, shoppers, customers, guests, welcome, placed)
    book = Book(basket, status, placed, released, fulfilled, shoppers, welcome, amounts)
    await OrderRows(ctx, facts, sold, book, customers, guests, rng).insert()


def _open_orders(
    ctx: BuildContext, facts: Facts, sold: SoldYear, rng: np.random.Generator
) -> Basket:
    """Today's web and app orders still waiting for the DC: one or two lines of well
    stocked items, one unit each."""
    count = ctx.scaled(OPEN_ORDERS_AT_SCALE_1, minimum=3)
    streams = [i for i, s in enumerate(STREAMS) if not s.at_store and s.channel in ("web", "app")]
    deep = np.flatnonzero(~sold.is_store & (sold.on_hand >= 30) & facts.allowed[:, streams[0]])
    sizes = rng.integers(1, 3, count)
    order = np.repeat(np.arange(count), sizes)
    level = np.empty(len(order), dtype=np.int64)
    for i in range(count):  # two lines of one order are two different items
        level[order == i] = rng.choice(deep, size=int(sizes[i]), replace=False)
    return Basket(
        line_order=order,
        line_level=level,
        line_quantity=np.ones(len(order), dtype=np.int64),
        line_position=np.concatenate([np.arange(1, s + 1) for s in sizes]),
        order_location=facts.level_location[level[np.r_[0, np.cumsum(sizes)[:-1]]]],
        order_day=np.full(count, sold.sold.shape[1], dtype=np.int64),
        order_stream=rng.choice(np.array(streams), size=count, p=[0.65, 0.35]),
    )


def _concat(first: Basket, second: Basket) -> Basket:
    offset = len(first.order_day)
    return Basket(
        *(
            np.concatenate([a, b + offset if name == "line_order" else b])
            for name, a, b in zip(
                Basket.__dataclass_fields__, _fields(first), _fields(second), strict=True
            )
        )
    )


def _fields(basket: Basket) -> list[Ints]:
    return [getattr(basket, name) for name in Basket.__dataclass_fields__]


def _open_status(today: Basket, rng: np.random.Generator) -> Ints:
    return np.where(rng.random(len(today.order_day)) < RELEASED_SHARE, RELEASED, PLACED)


def _times(
    ctx: BuildContext,
    facts: Facts,
    basket: Basket,
    status: Ints,
    days: int,
    sold: SoldYear,
    rng: np.random.Generator,
) -> tuple[Ints, Ints, Ints]:
    """Placed, released and fulfilled instants: tills ring up during opening hours;
    online orders reach their shelf that day some hours after being placed."""
    now = ctx.micros(ctx.now)
    calendar = Calendar(facts.locations, sold.first_day, days)
    done = calendar.during_hours(basket.order_location, np.minimum(basket.order_day, days - 1), rng)
    done = np.minimum(done, now - MINUTE)  # a build just after midnight UTC: not in the future
    methods = [STREAMS[s].method for s in basket.order_stream.tolist()]
    online = basket.order_stream != order_baskets.POS
    lead = np.where(
        online, lead_times([m if m != "carry_out" else "ship" for m in methods], rng), 0
    )
    placed = done - lead
    is_open = status != FULFILLED
    placed[is_open] = now - rng.integers(10 * MINUTE, 480 * MINUTE, int(is_open.sum()))
    released = np.where(online, placed + rng.integers(2 * MINUTE, 20 * MINUTE, len(placed)), placed)
    released = np.where(is_open, np.minimum(released, now - MINUTE), released)
    return placed, released, np.where(is_open, 0, done)


def _welcome(
    facts: Facts,
    basket: Basket,
    shoppers: order_shoppers.Shoppers,
    placed: Ints,
    rng: np.random.Generator,
) -> Ints:
    """A new customer's first order, on the web or the app since the code exists."""
    customer = shoppers.customer
    first = np.zeros(len(customer), dtype=bool)
    known = np.flatnonzero(customer >= 0)
    by_time = known[np.lexsort((placed[known], customer[known]))]
    first[by_time[np.r_[True, customer[by_time][1:] != customer[by_time][:-1]]]] = True
    channel = np.array([s.channel for s in STREAMS])[basket.order_stream]
    since = facts.promotions["welcome"]["since"]
    eligible = first & np.isin(channel, ("web", "app")) & (placed >= since)
    return (eligible & (rng.random(len(customer)) < WELCOME_ODDS)).astype(np.int64)


def _amounts(
    facts: Facts,
    basket: Basket,
    shoppers: order_shoppers.Shoppers,
    customers: order_shoppers.Population,
    guests: order_shoppers.Population,
    welcome: Ints,
    placed: Ints,
) -> order_amounts.Amounts:
    stream = basket.order_stream
    method = [STREAMS[s].method for s in stream.tolist()]
    delivered = np.isin(method, ("ship", "same_day"))
    region = facts.region_of[basket.order_location]
    for i in np.flatnonzero(delivered).tolist():  # delivered: taxed where it goes
        who, guest = shoppers.customer[i], shoppers.guest[i]
        found = customers.tax_region[who] if who >= 0 else None
        if who < 0 and guest >= 0:
            found = guests.tax_region[guest]
        if found is not None:
            region[i] = order_amounts.REGIONS.index(found)
    orders = {
        "marketplace": np.array(
            [STREAMS[s].channel == MARKETPLACE for s in stream.tolist()], dtype=np.int64
        ),
        "welcome": welcome,
        "region": region,
        "shipping": np.array([order_amounts.SHIPPING[m] for m in method], dtype=np.int64),
        "free_shipping_since": placed >= facts.promotions["free_shipping"]["since"],
    }
    lines = {
        "order": basket.line_order,
        "variant": facts.level_variant[basket.line_level],
        "quantity": basket.line_quantity,
    }
    return order_amounts.compute(lines, orders, facts.prices, facts.tax_class)
