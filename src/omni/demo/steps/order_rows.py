"""The order book's rows, column-wise: orders, fulfilment groups, lines and status
history here; payments, ledger movements, reservations and coupon uses in
``order_ledger``. Everything per order is an array indexed by order, so ~200,000 orders
take a couple of seconds rather than a minute of per-row Python."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from omni.demo.context import BuildContext
from omni.demo.identifiers import bulk_ids
from omni.demo.steps.commerce import WELCOME_CODE
from omni.demo.steps.order_amounts import RATE_TEXT, SHIPPING
from omni.demo.steps.order_baskets import POS, STREAMS
from omni.demo.steps.order_facts import Facts, as_json, choose
from omni.demo.steps.order_ledger import LedgerRows
from omni.demo.steps.order_shoppers import Population
from omni.demo.steps.stock import SoldYear
from omni.orders.domain import receipt_number, web_order_number
from omni.orders.models import FulfilmentGroup, Order, OrderLine, OrderStatusChange
from omni.orders.receipts import TillCounter

if TYPE_CHECKING:
    from omni.demo.steps.orders import Book

Ints = NDArray[np.int64]
STATUS_TEXT = np.array(["fulfilled", "placed", "released"])
GROUP_STATUS = np.array(["fulfilled", "open", "released"])
FIRST_RECEIPT = (1_000, 20_000)  # the tills were numbering tickets before the year began


class OrderRows:
    def __init__(
        self,
        ctx: BuildContext,
        facts: Facts,
        sold: SoldYear,
        book: Book,
        customers: Population,
        guests: Population,
        rng: np.random.Generator,
    ) -> None:
        self.ctx, self.facts, self.book, self.rng = ctx, facts, book, rng
        self.customers, self.guests = customers, guests
        basket = book.basket
        self.stream = basket.order_stream
        self.count = len(self.stream)
        self.channel = np.array([s.channel for s in STREAMS])[self.stream]
        self.method = np.array([s.method for s in STREAMS])[self.stream]
        self.is_pos = self.stream == POS
        self.online = ~self.is_pos
        self.order_ids = np.array(bulk_ids("ord", book.placed // 1000), dtype=object)
        self.group_ids = np.array(bulk_ids("ofg", book.placed // 1000), dtype=object)
        self.location_ids = np.array([loc["id"] for loc in facts.locations], dtype=object)
        self.till_counters: list[dict[str, Any]] = []  # filled as receipts are numbered
        self.channel_ids = self._channel_ids()
        self.associate = self._associates()
        self.register = self._registers()
        self.ledger = LedgerRows(ctx, facts, sold, book, self)

    async def insert(self) -> None:
        reservation_ids = self.ledger.reservation_ids()
        await self.ctx.insert_pipelined(
            [
                (Order, self._orders, False),
                (FulfilmentGroup, self._groups, False),
                (OrderLine, lambda: self._lines(reservation_ids), False),
                (OrderStatusChange, self._history, False),
                *self.ledger.writes(reservation_ids),
            ]
        )
        await self.ctx.insert_plain(TillCounter, self.till_counters)
        await self.ledger.finish()

    # ------------------------------------------------------------------ per order

    def _channel_ids(self) -> NDArray[Any]:
        tills, ids = self.facts.till_channel, self.facts.channel_ids
        locations = self.book.basket.order_location.tolist()
        return np.array(
            [
                tills[loc] if code == "pos" else ids[code]
                for code, loc in zip(self.channel.tolist(), locations, strict=True)
            ],
            dtype=object,
        )

    def _associates(self) -> NDArray[Any]:
        """Who rang up each till ticket (None online): one of the store's associates."""
        found = np.full(self.count, None, dtype=object)
        location = self.book.basket.order_location
        for store, staff in sorted(self.facts.associates.items()):
            which = np.flatnonzero(self.is_pos & (location == store))
            found[which] = np.array(staff, dtype=object)[
                self.rng.integers(0, len(staff), len(which))
            ]
        return found

    def _registers(self) -> Ints:
        location = self.book.basket.order_location
        tills = self.facts.registers[location]
        return np.where(self.is_pos, (self.rng.random(self.count) * tills).astype(np.int64) + 1, 0)

    def _numbers(self) -> list[str]:
        """Receipts per store and till, numbered in time order; web numbers from the id."""
        location, placed = self.book.basket.order_location, self.book.placed
        pos = np.flatnonzero(self.is_pos)
        ordered = pos[np.lexsort((placed[pos], self.register[pos], location[pos]))]
        till = location[ordered] * 10 + self.register[ordered]
        starts = np.flatnonzero(np.r_[True, till[1:] != till[:-1]])
        first = self.rng.integers(*FIRST_RECEIPT, len(starts))
        run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(till)]))
        sequence = first[run] + np.arange(len(till)) - starts[run]
        numbers = [web_order_number(i) for i in self.order_ids.tolist()]
        codes = [loc["code"] for loc in self.facts.locations]
        for i, seq in zip(ordered.tolist(), sequence.tolist(), strict=True):
            numbers[i] = receipt_number(codes[location[i]], int(self.register[i]), seq)
        # Each till's counter where its last ticket left it: live sales number on.
        last = np.r_[starts[1:] - 1, len(till) - 1]
        self.till_counters = [
            {
                "location_id": self.location_ids[location[ordered[end]]],
                "register_id": f"{int(self.register[ordered[end]]):02d}",
                "last_receipt": int(sequence[end]),
            }
            for end in last.tolist()
        ]
        return numbers

    def customer_ids(self) -> list[str | None]:
        ids = self.customers.ids
        return [ids[c] if c >= 0 else None for c in self.book.shoppers.customer.tolist()]

    def _contacts(self) -> tuple[list[str], list[str | None]]:
        customers, guests = self.customers, self.guests
        delivered = np.isin(self.method, ("ship", "same_day")).tolist()
        contact: list[str] = []
        address: list[str | None] = []
        shoppers = self.book.shoppers
        for c, g, ships in zip(
            shoppers.customer.tolist(), shoppers.guest.tolist(), delivered, strict=True
        ):
            people, who = (customers, c) if c >= 0 else (guests, g)
            contact.append(people.contact[who] if who >= 0 else "{}")
            address.append(people.address[who] if ships and who >= 0 else None)
        return contact, address

    def _promotions(self) -> tuple[list[str], list[str]]:
        """The applied promotions as the order snapshots them, and the codes used."""
        facts, amounts = self.facts.promotions, self.book.amounts
        welcome, free = self.book.welcome.tolist(), amounts.free_shipping.tolist()
        applied, codes = ["[]"] * self.count, ["[]"] * self.count
        for i in np.flatnonzero(self.book.welcome | amounts.free_shipping).tolist():
            entries = []
            if welcome[i]:
                entries.append(
                    _applied(facts["welcome"], "order", amounts.order_discount[i], WELCOME_CODE)
                )
                codes[i] = as_json([WELCOME_CODE])
            if free[i]:
                entries.append(_applied(facts["free_shipping"], "shipping", SHIPPING["ship"], None))
            applied[i] = as_json(entries)
        return applied, codes

    def last_change(self) -> Ints:
        book = self.book
        return np.where(
            book.status == 0, book.fulfilled, np.where(book.status == 2, book.released, book.placed)
        )

    def _orders(self) -> dict[str, Any]:
        book, amounts, ctx = self.book, self.book.amounts, self.ctx
        contact, address = self._contacts()
        promotions, codes = self._promotions()
        marketplace = self.channel == "marketplace-goodsmart"
        external = [
            f"GM-{70_000_000 + i}" if m else None for i, m in enumerate(marketplace.tolist())
        ]
        none = [None] * self.count
        return {
            "id": self.order_ids,
            "number": self._numbers(),
            "channel_id": self.channel_ids,
            "channel_kind": [self.facts.channel_kinds.get(c, "pos") for c in self.channel.tolist()],
            "external_id": external,
            "customer_id": self.customer_ids(),
            "cart_id": none,
            "status": STATUS_TEXT[book.status],
            "currency": ["USD"] * self.count,
            "prices_include_tax": [False] * self.count,
            "subtotal": amounts.order_subtotal,
            "discount_total": amounts.order_discount,
            "shipping_total": amounts.shipping,
            "tax_total": amounts.order_tax,
            "total": amounts.order_total,
            "selling_location_id": choose(
                self.is_pos, self.location_ids[book.basket.order_location], None
            ),
            "associate_id": self.associate,
            "register_session_id": none,
            "contact": contact,
            "shipping_address": address,
            "promotions": promotions,
            "coupon_codes": codes,
            "note": none,
            "placed_at": ctx.db_times(book.placed),
            "updated_at": ctx.db_times(self.last_change()),
            "version": np.where(self.is_pos, 2, 1 + (book.status != 1) + (book.status == 0)),
        }

    def _groups(self) -> dict[str, Any]:
        book = self.book
        return {
            "id": self.group_ids,
            "order_id": self.order_ids,
            "method": self.method,
            "location_id": self.location_ids[book.basket.order_location],
            "status": GROUP_STATUS[book.status],
            "shipping_amount": book.amounts.shipping,
            "promised_by": [None] * self.count,
            "sourcing": [None] * self.count,
        }

    # ------------------------------------------------------------------ per line

    def _lines(self, reservation_ids: list[str | None]) -> dict[str, Any]:
        basket, amounts, facts = self.book.basket, self.book.amounts, self.facts
        order = basket.line_order
        variant = facts.level_variant[basket.line_level]
        region = amounts.region[order].tolist()
        tax_class = facts.tax_class[variant].tolist()
        welcome = self.book.welcome[order].tolist()
        promotion = facts.promotions["welcome"]
        return {
            "id": bulk_ids("oln", self.book.placed[order] // 1000),
            "order_id": self.order_ids[order],
            "group_id": self.group_ids[order],
            "position": basket.line_position,
            "variant_id": [facts.variant_ids[v] for v in variant.tolist()],
            "sku": [facts.sku[v] for v in variant.tolist()],
            "title": [facts.title[v] for v in variant.tolist()],
            "quantity": basket.line_quantity,
            "cancelled_quantity": np.zeros(len(order), dtype=np.int64),
            "unit_price": amounts.unit_price,
            "subtotal": amounts.subtotal,
            "discount": amounts.discount,
            "tax": amounts.tax,
            "total": amounts.total,
            "tax_rate": [RATE_TEXT[r][c] for r, c in zip(region, tax_class, strict=True)],
            "promotions": [
                _line_promotions(promotion, d) if w else "[]"
                for w, d in zip(welcome, amounts.discount.tolist(), strict=True)
            ],
            "reservation_ids": [as_json([r]) if r else "[]" for r in reservation_ids],
        }

    # ------------------------------------------------------------------ history

    def _history(self) -> dict[str, Any]:
        """placed (→ released) (→ fulfilled); a till sale is placed and fulfilled at once."""
        book, status = self.book, self.book.status
        everyone = np.arange(self.count)
        till = np.flatnonzero(self.is_pos)
        released = np.flatnonzero(self.online & (status != 1))
        shipped = np.flatnonzero(self.online & (status == 0))
        steps = (
            (everyone, None, "placed", book.placed),
            (till, "placed", "fulfilled", book.placed),
            (released, "placed", "released", book.released),
            (shipped, "released", "fulfilled", book.fulfilled),
        )
        order = np.concatenate([which for which, *_ in steps])
        kinds, actors = self._placers()
        staff = np.where(self.is_pos, "staff", "system")
        actor_kind = np.concatenate(
            [kinds[steps[0][0]], staff[till], staff[released], staff[shipped]]
        )
        actor_id = np.concatenate(
            [
                actors[steps[0][0]],
                self.associate[till],
                self.associate[released],
                self.associate[shipped],
            ]
        )
        return {
            "id": bulk_ids("osc", np.concatenate([at[which] for which, _, _, at in steps]) // 1000),
            "order_id": self.order_ids[order],
            "from_status": [before for which, before, *_ in steps for _ in range(len(which))],
            "to_status": [after for which, _, after, _ in steps for _ in range(len(which))],
            "at": self.ctx.db_times(np.concatenate([at[which] for which, _, _, at in steps])),
            "actor_kind": actor_kind,
            "actor_id": actor_id,
            "reason": [None] * len(order),
        }

    def _placers(self) -> tuple[NDArray[Any], NDArray[Any]]:
        """Who placed each order: the associate at a till, the customer signed in, an
        anonymous guest, or the marketplace's integration."""
        customer = np.array(self.customer_ids(), dtype=object)
        kind = np.where(customer != None, "customer", "anonymous")  # noqa: E711
        kind = np.where(self.is_pos, "staff", kind)
        kind = np.where(self.channel == "marketplace-goodsmart", "api_client", kind)
        actor = np.where(self.is_pos, self.associate, customer)
        return kind, actor


def _applied(promotion: dict[str, Any], level: str, amount: Any, code: str | None) -> Any:
    return {
        "promotion_id": promotion["id"],
        "name": promotion["name"],
        "kind": promotion["kind"],
        "level": level,
        "amount": int(amount),
        "coupon_code": code,
    }


def _line_promotions(promotion: dict[str, Any], discount: int) -> str:
    """A line's share of the welcome discount, as the line snapshots it."""
    applied = _applied(promotion, "order", discount, None)
    del applied["coupon_code"]
    return as_json([applied])
