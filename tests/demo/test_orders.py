"""The demo's order book tells the same story as its stock ledger, on SQLite and on
PostgreSQL: every sale is an order line, every order adds up and is paid, and a
minority of customers shop in several channels."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from omni.demo.builder import build_demo
from omni.orders.domain import receipt_number
from tests import support
from tests.demo.conftest import SMALL, Stored

Query = Callable[[str], list[tuple[Any, ...]]]

# {day} is the UTC calendar day of a timestamp column, spelt per database.
SALES_BY_DAY = """
    SELECT variant_id, location_id, {day}, sum(-on_hand_delta) FROM stock_movements
    WHERE kind = 'sale' GROUP BY variant_id, location_id, {day}
"""
LINES_BY_DAY = """
    SELECT l.variant_id, g.location_id, {day}, sum(l.quantity)
    FROM order_lines l JOIN order_fulfilment_groups g ON g.id = l.group_id
    JOIN order_status_history h ON h.order_id = l.order_id AND h.to_status = 'fulfilled'
    GROUP BY l.variant_id, g.location_id, {day}
"""


def on_sqlite(stored: Stored) -> Query:
    def query(sql: str) -> list[tuple[Any, ...]]:
        sql = sql.replace("{day}", "substr({at}, 1, 10)")
        sql = sql.replace("{at}", "occurred_at" if "stock_movements" in sql else "h.at")
        return [tuple(row) for row in stored.db.execute(sql)]

    return query


def on_postgres(dsn: str) -> Query:
    async def fetch(sql: str) -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(dsn)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    def query(sql: str) -> list[tuple[Any, ...]]:
        day = "(({at}) AT TIME ZONE 'UTC')::date::text"
        sql = sql.replace("{day}", day)
        sql = sql.replace("{at}", "occurred_at" if "stock_movements" in sql else "h.at")
        return asyncio.run(fetch(sql))

    return query


@pytest.fixture(scope="module")
def pg_demo() -> Iterator[Query]:
    admin_url = os.environ["OMNI_TEST_POSTGRES_URL"]
    name = f"omni_demo_orders_{uuid.uuid4().hex[:10]}"
    support.create_postgres_database(admin_url, name)
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    try:
        build_demo(url.render_as_string(hide_password=False), seed=42, scale=SMALL)
        dsn = make_url(admin_url).set(drivername="postgresql", database=name)
        yield on_postgres(dsn.render_as_string(hide_password=False))
    finally:
        asyncio.run(support.drop_postgres_database(admin_url, name))


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def query(request: pytest.FixtureRequest, small_demo: Stored) -> Query:
    if request.param == "sqlite":
        return on_sqlite(small_demo)
    found: Query = request.getfixturevalue("pg_demo")
    return found


def test_every_channel_has_orders(query: Query) -> None:
    missing = query(
        "SELECT c.code FROM channels c LEFT JOIN orders o ON o.channel_id = c.id "
        "GROUP BY c.code HAVING count(o.id) = 0"
    )
    assert query("SELECT count(*) FROM orders")[0][0] > 1000
    assert missing == []


def test_the_ledger_sales_are_the_order_lines_per_variant_location_and_day(query: Query) -> None:
    sales = {row[:3]: row[3] for row in query(SALES_BY_DAY)}
    lines = {row[:3]: row[3] for row in query(LINES_BY_DAY)}
    assert len(sales) > 1000
    assert sales == lines


def test_every_sale_movement_names_its_order_and_line(query: Query) -> None:
    orphans = query(
        "SELECT count(*) FROM stock_movements m WHERE m.kind = 'sale' AND NOT EXISTS ("
        " SELECT 1 FROM order_lines l JOIN order_fulfilment_groups g ON g.id = l.group_id"
        " WHERE l.order_id = m.source_id AND l.variant_id = m.variant_id"
        " AND g.location_id = m.location_id AND l.quantity = -m.on_hand_delta)"
    )
    sources = query("SELECT DISTINCT source_type FROM stock_movements WHERE kind = 'sale'")
    assert sources == [("order",)]
    assert orphans == [(0,)]


def test_lines_and_orders_add_up(query: Query) -> None:
    bad_lines = query(
        "SELECT count(*) FROM order_lines WHERE subtotal != unit_price * quantity "
        "OR total != subtotal - discount + tax"
    )
    bad_orders = query(
        "SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(subtotal) AS subtotal, "
        "sum(discount) AS discount, sum(tax) AS tax, sum(total) AS total FROM order_lines "
        "GROUP BY order_id) l ON l.order_id = o.id WHERE o.subtotal != l.subtotal "
        "OR o.discount_total != l.discount OR o.tax_total < l.tax "
        "OR o.total != l.total + o.shipping_total + (o.tax_total - l.tax)"
    )
    assert bad_lines == [(0,)] and bad_orders == [(0,)]


def test_payments_cover_the_totals(query: Query) -> None:
    unpaid = query(
        "SELECT count(*) FROM orders o LEFT JOIN (SELECT order_id, sum(amount) AS amount, "
        "sum(captured) AS captured FROM payments GROUP BY order_id) p ON p.order_id = o.id "
        "WHERE (p.amount IS NULL OR p.amount != o.total "
        "OR (o.status = 'fulfilled' AND p.captured != o.total))"
    )
    tenders = {row[0] for row in query("SELECT DISTINCT tender FROM payments")}
    assert unpaid == [(0,)]
    assert tenders == {"card_terminal", "cash", "card_online", "marketplace"}


def test_a_minority_of_customers_shop_in_several_channels(query: Query) -> None:
    per_customer = Counter(
        count
        for (count,) in query(
            "SELECT count(DISTINCT channel_id) FROM orders WHERE customer_id IS NOT NULL "
            "GROUP BY customer_id"
        )
    )
    several = sum(n for channels, n in per_customer.items() if channels >= 2)
    assert 0.05 < several / sum(per_customer.values()) < 0.5


def test_till_tickets_are_mostly_anonymous_small_baskets_with_unique_receipts(
    query: Query,
) -> None:
    (tickets, anonymous, numbers), *_ = query(
        "SELECT count(*), sum(CASE WHEN customer_id IS NULL THEN 1 ELSE 0 END), "
        "count(DISTINCT number) FROM orders WHERE channel_kind = 'pos'"
    )
    sizes = {row[0] for row in query(
        "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id "
        "WHERE o.channel_kind = 'pos' GROUP BY l.order_id"
    )}  # fmt: skip
    assert numbers == tickets and anonymous / tickets > 0.6
    assert sizes == {1, 2, 3, 4, 5}


def test_each_tills_counter_continues_from_its_last_demo_receipt(query: Query) -> None:
    """A live sale on a demo till numbers on from the year's tickets, never reusing one."""
    counters = {
        (location, register): last
        for location, register, last in query(
            "SELECT location_id, register_id, last_receipt FROM order_till_counters"
        )
    }
    last_tickets: dict[tuple[str, str], int] = {}
    for location, number in query(
        "SELECT selling_location_id, number FROM orders WHERE channel_kind = 'pos'"
    ):
        *_, register, sequence = number.split("-")
        key = (location, register)
        last_tickets[key] = max(last_tickets.get(key, 0), int(sequence))
    assert counters == last_tickets


def test_todays_open_orders_hold_reservations_not_sales(query: Query) -> None:
    open_lines = query(
        "SELECT l.quantity, r.status, r.quantity, m.kind FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id "
        "JOIN stock_reservations r ON r.reference = o.id AND r.variant_id = l.variant_id "
        "JOIN stock_movements m ON m.reservation_id = r.id "
        "WHERE o.status IN ('placed', 'released')"
    )
    sold_open = query(
        "SELECT count(*) FROM stock_movements m JOIN orders o ON o.id = m.source_id "
        "WHERE m.kind = 'sale' AND o.status != 'fulfilled'"
    )
    assert open_lines and all(
        row == (row[0], "active", row[0], "reservation") for row in open_lines
    )
    assert sold_open == [(0,)]


def test_the_welcome_code_is_used_once_per_customer(small_demo: Stored) -> None:
    uses = small_demo.rows(
        "SELECT o.customer_id, o.coupon_codes, o.discount_total FROM orders o "
        "JOIN coupon_redemptions r ON r.order_id = o.id"
    )
    counted = small_demo.scalar("SELECT uses FROM coupon_codes WHERE code = 'WELCOME10'")
    assert uses and counted == len(uses) == len({row["customer_id"] for row in uses})
    assert all(row["coupon_codes"] == '["WELCOME10"]' and row["discount_total"] > 0 for row in uses)


def test_till_tickets_are_rung_up_in_opening_hours_by_the_stores_associates(
    small_demo: Stored,
) -> None:
    stores = {
        row["id"]: row
        for row in small_demo.rows("SELECT id, code, time_zone, opening_hours FROM locations")
    }
    staff = {row["id"]: row["store_ids"] for row in small_demo.rows(
        "SELECT id, store_ids FROM staff_users")}  # fmt: skip
    tickets = small_demo.rows(
        "SELECT selling_location_id, associate_id, placed_at, number FROM orders "
        "WHERE channel_kind = 'pos' LIMIT 2000"
    )
    for ticket in tickets:
        store = stores[ticket["selling_location_id"]]
        local = datetime.fromisoformat(ticket["placed_at"] + "+00:00").astimezone(
            ZoneInfo(store["time_zone"])
        )
        hours = Stored.json(store["opening_hours"])[local.strftime("%a").lower()]
        assert hours[0][0] <= local.strftime("%H:%M") < hours[-1][1], ticket
        assert store["id"] in Stored.json(staff[ticket["associate_id"]])
        assert ticket["number"].startswith(receipt_number(store["code"], 1, 0)[:-9])
