"""What the demo's orders did to money and stock: their payments, their ledger
movements (a sale per fulfilled line, a reservation per open one, each naming its
order), the open orders' reservations, and the welcome code's uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import text

from omni.demo.context import BuildContext, ColumnWrite
from omni.demo.identifiers import bulk_ids
from omni.demo.steps.commerce import WELCOME_CODE
from omni.demo.steps.order_facts import Facts, choose
from omni.demo.steps.stock import SoldYear
from omni.inventory.models import Reservation, StockMovement
from omni.payments.models import PaymentRow
from omni.promotions.models import CouponCustomerUse, CouponRedemption

if TYPE_CHECKING:
    from omni.demo.steps.order_rows import OrderRows
    from omni.demo.steps.orders import Book

CASH_SHARE = 0.2  # of till tickets; the rest is paid by card at the terminal
PROVIDER = "test"  # the payment provider the demo is configured with
# Why units left the shelf, by fulfilment method.
SALE_REASONS = {
    "carry_out": "carry-out sale",
    "ship": "shipped",
    "same_day": "delivered",
    "pickup": "picked up",
    "curbside": "handed over at the curb",
}


class LedgerRows:
    def __init__(
        self, ctx: BuildContext, facts: Facts, sold: SoldYear, book: Book, orders: OrderRows
    ) -> None:
        self.ctx, self.facts, self.sold, self.book, self.orders = ctx, facts, sold, book, orders
        line_order = book.basket.line_order
        self.open_lines = np.flatnonzero(book.status[line_order] != 0)

    def reservation_ids(self) -> list[str | None]:
        """Per line: its reservation's id if its order is still open."""
        found: list[str | None] = [None] * len(self.book.basket.line_order)
        placed = self.book.placed[self.book.basket.line_order[self.open_lines]]
        for line, made in zip(self.open_lines.tolist(), bulk_ids("res", placed // 1000),
                              strict=True):  # fmt: skip
            found[line] = made
        return found

    def writes(self, reservation_ids: list[str | None]) -> list[ColumnWrite]:
        """The tables to write after the orders' own (``BuildContext.insert_pipelined``)."""
        return [
            (PaymentRow, self._payments, False),
            (StockMovement, lambda: self._movements(reservation_ids), True),
            (Reservation, lambda: self._reservations(reservation_ids), False),
        ]

    async def finish(self) -> None:
        await self._reserve_levels()
        await self._coupon_uses()

    # ------------------------------------------------------------------ payments

    def _payments(self) -> dict[str, Any]:
        """One payment per order, for its total: captured once fulfilled, authorized
        while open. Marketplace orders were paid to the marketplace: a ``marketplace``
        payment, captured, as an import records it."""
        orders, book = self.orders, self.book
        paid = np.arange(len(orders.channel))
        market = orders.channel == "marketplace-goodsmart"
        till = orders.is_pos[paid]
        cash = till & (orders.rng.random(len(paid)) < CASH_SHARE)
        online = np.where(market, "marketplace", "card_online")
        tender = np.where(cash, "cash", np.where(till, "card_terminal", online))
        collected = cash | market
        total = book.amounts.order_total[paid]
        done = book.status[paid] == 0
        codes = [loc["code"] for loc in self.facts.locations]
        location = book.basket.order_location[paid].tolist()
        registers = orders.register[paid].tolist()
        reference = [
            None
            if t == "cash"
            else f"terminal {codes[loc]}-{reg:02d}"
            if t == "card_terminal"
            else None
            if t == "marketplace"
            else "tok_demo_card"
            for t, loc, reg in zip(tender.tolist(), location, registers, strict=True)
        ]
        order_ids = orders.order_ids[paid]
        count = len(paid)
        none = [None] * count
        return {
            "id": bulk_ids("pay", book.placed[paid] // 1000),
            "order_id": order_ids,
            "location_id": choose(
                till, orders.location_ids[book.basket.order_location[paid]], None
            ),
            "tender": tender,
            "status": np.where(done | market, "captured", "authorized"),
            "currency": ["USD"] * count,
            "amount": total,
            "authorized": total,
            "captured": np.where(done | market, total, 0),
            "refunded": np.zeros(count, dtype=np.int64),
            "failure_code": none,
            "provider": choose(collected, None, PROVIDER),
            "provider_authorization_id": [
                None if c else f"auth_{o[-16:].lower()}"
                for c, o in zip(collected.tolist(), order_ids.tolist(), strict=True)
            ],
            "provider_action_id": none,
            "next_action_url": none,
            "payment_link_id": none,
            "payment_link_url": none,
            "reference": reference,
            "pending_operation_id": none,
            "created_at": self.ctx.db_times(book.placed[paid]),
            "updated_at": self.ctx.db_times(orders.last_change()[paid]),
            "version": np.where(done & ~till, 2, 1),
        }

    # ------------------------------------------------------------------ stock

    def _movements(self, reservation_ids: list[str | None]) -> dict[str, Any]:
        """A sale per fulfilled line when it left the shelf; a reservation per open one.

        Rows go in by variant, stock level and time, with ids ascending in that order (ids
        say when a row was written, which is now): the ledger's indexes by level and by
        variant are then appended to instead of split all over — seconds on SQLite."""
        book, orders, sold = self.book, self.orders, self.sold
        line_order, level = book.basket.line_order, book.basket.line_level
        at = np.where(
            book.status[line_order] != 0, book.placed[line_order], book.fulfilled[line_order]
        )
        lines = np.lexsort((at, level, self.facts.level_variant[level]))
        line_order, level, at = line_order[lines], level[lines], at[lines]
        is_open = book.status[line_order] != 0
        quantity = book.basket.line_quantity[lines]
        level_ids = np.array(sold.level_ids, dtype=object)
        variant_ids = np.array([v for v, _loc in sold.pairs], dtype=object)
        location_ids = np.array([loc for _v, loc in sold.pairs], dtype=object)
        reasons = np.array([SALE_REASONS[m] for m in orders.method.tolist()], dtype=object)
        staff = orders.associate[line_order]
        count = len(line_order)
        zeros = np.zeros(count, dtype=np.int64)
        written = np.full(count, self.ctx.micros(self.ctx.now) // 1000)
        return {
            "id": bulk_ids("mov", written, ascending=True),
            "stock_level_id": level_ids[level],
            "variant_id": variant_ids[level],
            "location_id": location_ids[level],
            "kind": np.where(is_open, "reservation", "sale"),
            "on_hand_delta": np.where(is_open, 0, -quantity),
            "reserved_delta": np.where(is_open, quantity, 0),
            "incoming_delta": zeros,
            "unsellable_delta": zeros,
            "reason": np.where(is_open, "order placed", reasons[line_order]),
            "channel_id": orders.channel_ids[line_order],
            "actor_kind": np.where(staff != None, "staff", "system"),  # noqa: E711
            "actor_id": np.where(staff != None, staff, "demo"),  # noqa: E711
            "source_type": ["order"] * count,
            "source_id": orders.order_ids[line_order],
            "reservation_id": [reservation_ids[i] for i in lines.tolist()],
            "occurred_at": self.ctx.db_times(at),
        }

    def _reservations(self, reservation_ids: list[str | None]) -> dict[str, Any]:
        lines = self.open_lines
        book, sold = self.book, self.sold
        order, level = book.basket.line_order[lines], book.basket.line_level[lines]
        placed = self.ctx.db_times(book.placed[order])
        count = len(lines)
        return {
            "id": [reservation_ids[i] for i in lines.tolist()],
            "stock_level_id": [sold.level_ids[i] for i in level.tolist()],
            "variant_id": [sold.pairs[i][0] for i in level.tolist()],
            "location_id": [sold.pairs[i][1] for i in level.tolist()],
            "quantity": book.basket.line_quantity[lines],
            "kind": ["order"] * count,
            "status": ["active"] * count,
            "channel_id": self.orders.channel_ids[order],
            "reference": self.orders.order_ids[order],
            "expires_at": [None] * count,
            "created_at": placed,
            "updated_at": placed,
        }

    async def _reserve_levels(self) -> None:
        """The open orders' units are promised: the levels say so, as their ledger does."""
        levels = self.book.basket.line_level[self.open_lines]
        quantity = self.book.basket.line_quantity[self.open_lines]
        totals: dict[str, int] = {}
        for level, units in zip(levels.tolist(), quantity.tolist(), strict=True):
            key = self.sold.level_ids[level]
            totals[key] = totals.get(key, 0) + units
        if totals:
            await self.ctx.conn.execute(
                text("UPDATE stock_levels SET reserved = reserved + :units WHERE id = :id"),
                [{"id": key, "units": units} for key, units in sorted(totals.items())],
            )

    # ------------------------------------------------------------------ coupons

    async def _coupon_uses(self) -> None:
        """WELCOME10 is single-use per customer: each use is redeemed and counted."""
        used = np.flatnonzero(self.book.welcome == 1)
        customers = self.orders.customer_ids()
        promotion = self.facts.promotions["welcome"]["id"]
        rows = [
            {
                "id": made,
                "code": WELCOME_CODE,
                "promotion_id": promotion,
                "customer_id": customers[i],
                "order_id": self.orders.order_ids[i],
                "redeemed_at": at,
                "released_at": None,
            }
            for i, made, at in zip(
                used.tolist(),
                bulk_ids("cpr", self.book.placed[used] // 1000),
                self.ctx.db_times(self.book.placed[used]),
                strict=True,
            )
        ]
        if not rows:
            return
        await self.ctx.insert_columns(
            CouponRedemption, {key: [row[key] for row in rows] for key in rows[0]}
        )
        uses = sorted({str(row["customer_id"]) for row in rows})
        await self.ctx.insert_columns(
            CouponCustomerUse,
            {"code": [WELCOME_CODE] * len(uses), "customer_id": uses, "uses": [1] * len(uses)},
        )
        await self.ctx.conn.execute(
            text("UPDATE coupon_codes SET uses = uses + :uses WHERE code = :code"),
            {"uses": len(rows), "code": WELCOME_CODE},
        )
