"""A sale rung up at a store's till (ORD2 POS carry-out, PAY4, ORD3 receipt numbers):
scanned items priced by the store's POS channel, paid in cash or on the terminal, taken
off the shelf, counted in the drawer, numbered per till — and refused whole when
anything is wrong."""

import asyncio
import uuid

import pytest
from sqlalchemy import select

from omni.db.platform_models import OutboxEvent
from tests.inventory.http_support import level, stock_state
from tests.orders.pos_support import (
    PRICES,
    SESSIONS,
    STOCK,
    open_session,
    open_store_with_till,
    ring,
    sale_body,
)
from tests.orders.support import ORDERS

NY = 0.08875


@pytest.fixture
async def till(client, admin_headers, staff_headers):
    return await open_store_with_till(client, admin_headers, staff_headers)


def taxed(amount: int) -> int:
    return amount + round(amount * NY)


async def drawer(client, till):
    response = await client.get(f"{SESSIONS}/{till.session_id}", headers=till.associate)
    assert response.status_code == 200, response.text
    return response.json()


async def order(client, headers, order_id):
    response = await client.get(f"{ORDERS}/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_cash_sale_is_carried_out_counted_in_the_drawer_and_numbered(
    client, database, till, admin_headers
):
    before = await level(database, till.variants[0], till.store_id)
    body = sale_body(
        till,
        [{"sku": till.skus[0], "quantity": 2}],
        payment=[{"kind": "cash", "tendered": 5_000}],
    )

    response = await ring(client, till.associate, body)

    assert response.status_code == 201, response.text
    receipt = response.json()
    total = taxed(2 * PRICES[0])
    assert receipt["total"] == total
    assert receipt["change"] == 5_000 - total
    assert receipt["number"].endswith("-T1-000001")
    sold = await order(client, admin_headers, receipt["order_id"])
    assert sold["status"] == "fulfilled"
    assert sold["channel_kind"] == "pos"
    assert sold["number"] == receipt["number"]
    assert sold["selling_location_id"] == till.store_id
    assert sold["register_session_id"] == till.session_id
    assert sold["associate_id"] is not None
    on_hand, reserved, *_ = await level(database, till.variants[0], till.store_id)
    assert (on_hand, reserved) == (before[0] - 2, before[1])
    session = await drawer(client, till)
    assert session["cash_sales"] == total
    assert session["drawer"] == 10_000 + total


async def test_a_terminal_card_is_captured_at_once_and_split_with_cash(client, till, admin_headers):
    total = taxed(PRICES[1])
    body = sale_body(
        till,
        [{"gtin": till.gtins[1]}],
        payment=[
            {"kind": "cash", "amount": 1_000},
            {"kind": "card_terminal", "reference": "tok_terminal"},
        ],
    )

    response = await ring(client, till.associate, body)

    assert response.status_code == 201, response.text
    payments = await client.get(
        "/api/v1/payments", params={"order_id": response.json()["order_id"]}, headers=admin_headers
    )
    by_tender = {p["tender"]: p for p in payments.json()["items"]}
    assert by_tender["cash"]["captured"] == 1_000
    assert by_tender["card_terminal"]["status"] == "captured"
    assert by_tender["card_terminal"]["captured"] == total - 1_000
    assert (await drawer(client, till))["cash_sales"] == 1_000


async def test_receipts_count_per_till_so_tills_never_share_a_counter(client, till, staff_headers):
    other = await open_session(client, till.associate, till.store_id, "t2")
    numbers = []
    for session_id in (till.session_id, till.session_id, other):
        body = sale_body(till, [{"variant_id": till.variants[2]}], register_session_id=session_id)
        response = await ring(client, till.associate, body)
        assert response.status_code == 201, response.text
        numbers.append(response.json()["number"])
    assert [n[-9:] for n in numbers] == ["T1-000001", "T1-000002", "T2-000001"]


async def test_two_scans_of_one_item_are_one_line_and_a_retry_is_the_same_sale(
    client, database, till, admin_headers
):
    before = await level(database, till.variants[0], till.store_id)
    body = sale_body(till, [{"sku": till.skus[0]}, {"gtin": till.gtins[0]}])
    key = uuid.uuid4().hex

    first = await ring(client, till.associate, body, key)
    again = await ring(client, till.associate, body, key)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    sold = await order(client, admin_headers, first.json()["order_id"])
    assert [line["quantity"] for line in sold["lines"]] == [2]
    assert (await level(database, till.variants[0], till.store_id))[0] == before[0] - 2
    assert (await drawer(client, till))["sales_count"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"sku": "NO-SUCH-SKU"}]}, "items[0]"),
        ({"items": [{"sku": "X", "gtin": "4006381333931"}]}, "items[0]"),
        ({"payment": [{"kind": "pay_at_pickup"}]}, "payment"),
        ({"items": []}, "items"),
    ],
)
async def test_a_sale_that_cannot_be_rung_up_is_refused_whole(
    client, database, till, change, field
):
    before = await stock_state(database, till.variants[0])
    body = sale_body(till, [{"variant_id": till.variants[0]}]) | change

    response = await ring(client, till.associate, body)

    assert response.status_code == 422, response.text
    assert field in response.text
    assert await stock_state(database, till.variants[0]) == before
    assert (await drawer(client, till))["sales_count"] == 0


@pytest.mark.parametrize("tampered", [{"total": 1}, {"price": 1}, {"discount": 999}])
async def test_money_fields_from_the_till_are_refused(client, till, tampered):
    body = sale_body(till, [{"variant_id": till.variants[0]}]) | tampered
    response = await ring(client, till.associate, body)
    assert response.status_code == 422, response.text


async def test_a_declined_card_sells_nothing(client, database, till):
    before = await stock_state(database, till.variants[0])
    body = sale_body(
        till,
        [{"variant_id": till.variants[0]}],
        payment=[{"kind": "card_terminal", "reference": "tok_decline"}],
    )
    response = await ring(client, till.associate, body)
    assert response.status_code == 402, response.text
    assert await stock_state(database, till.variants[0]) == before


async def test_a_closed_session_and_another_stores_till_are_refused(
    client, database, till, staff_headers, admin_headers
):
    elsewhere = await staff_headers("associate", stores=["loc_elsewhere"])
    body = sale_body(till, [{"variant_id": till.variants[0]}])
    assert (await ring(client, elsewhere, body)).status_code == 404

    closed = await client.post(
        f"{SESSIONS}/{till.session_id}/close",
        json={"counted": 10_000},
        headers=till.associate | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert closed.status_code == 200, closed.text
    before = await stock_state(database, till.variants[0])
    response = await ring(client, till.associate, body)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "register_session_closed"
    assert await stock_state(database, till.variants[0]) == before


async def test_a_shoppers_cart_is_rung_up_at_the_counter_and_becomes_their_order(
    client, till, admin_headers, shopper_headers
):
    customer_id, shopper = await shopper_headers()
    opened = await client.post(
        "/api/v1/carts", json={"channel_id": till.channel_id}, headers=shopper
    )
    assert opened.status_code == 201, opened.text
    cart_id = opened.json()["id"]
    added = await client.post(
        f"/api/v1/carts/{cart_id}/lines",
        json={"variant_id": till.variants[1], "quantity": 1},
        headers=shopper,
    )
    assert added.status_code == 200, added.text

    body = sale_body(till, [], cart_id=cart_id)
    response = await ring(client, till.associate, body)

    assert response.status_code == 201, response.text
    sold = await order(client, shopper, response.json()["order_id"])
    assert sold["customer_id"] == customer_id
    cart = await client.get(f"/api/v1/carts/{cart_id}", headers=shopper)
    assert cart.json()["status"] == "ordered"


async def test_the_end_of_day_report_counts_the_tills_sales(client, till):
    body = sale_body(
        till, [{"variant_id": till.variants[2]}], payment=[{"kind": "cash", "tendered": 2_000}]
    )
    assert (await ring(client, till.associate, body)).status_code == 201
    session = await drawer(client, till)

    report = await client.get(
        "/api/v1/registers/reports/end-of-day",
        params={"location_id": till.store_id, "date": session["business_date"]},
        headers=till.associate,
    )

    assert report.status_code == 200, report.text
    [cash] = [t for t in report.json()["tenders"] if t["tender"] == "cash"]
    assert (cash["sales_count"], cash["sales_amount"]) == (1, taxed(PRICES[2]))


async def test_what_the_shopper_holds_is_sold_even_when_the_books_say_none_are_left(
    client, database, till
):
    body = sale_body(
        till,
        [{"variant_id": till.variants[2], "quantity": STOCK + 1}],
        payment=[{"kind": "card_terminal", "reference": "tok_terminal"}],
    )

    response = await ring(client, till.associate, body)

    assert response.status_code == 201, response.text
    assert (await level(database, till.variants[2], till.store_id))[0] == -1
    async with database.reader() as session:
        payloads = await session.scalars(
            select(OutboxEvent.payload).where(OutboxEvent.name == "inventory.oversold")
        )
        flagged = [p for p in payloads if till.variants[2] in str(p)]
    assert len(flagged) == 1


async def test_sales_racing_on_one_till_get_consecutive_numbers_and_all_their_cash(client, till):
    body = sale_body(
        till, [{"variant_id": till.variants[2]}], payment=[{"kind": "cash", "tendered": 2_000}]
    )

    answers = await asyncio.gather(*(ring(client, till.associate, body) for _ in range(8)))

    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    numbers = sorted(int(a.json()["number"][-6:]) for a in answers)
    assert numbers == list(range(1, 9))
    session = await drawer(client, till)
    assert (session["sales_count"], session["cash_sales"]) == (8, 8 * taxed(PRICES[2]))
