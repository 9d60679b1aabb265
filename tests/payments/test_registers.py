"""Store registers (PAY4): a till from its opening float through cash sales, pay-ins,
pay-outs and drops to the count at close (over/short), the end-of-day report, one open
session per till, and store staff acting at their stores only."""

import pytest

from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.payments import api
from omni.payments.tenders import Tender
from tests.inventory.http_support import make_store
from tests.payments.support import REGISTERS, card_payment, eur, key

SESSIONS = f"{REGISTERS}/sessions"


@pytest.fixture
async def store(client, admin_headers):
    return await make_store(client, admin_headers)


@pytest.fixture
async def associate(staff_headers, store):
    return await staff_headers("associate", stores=[store])


async def open_till(client, headers, store, till="till-1", opening_float=20_000):
    response = await client.post(
        SESSIONS,
        json={
            "location_id": store,
            "register_id": till,
            "currency": "EUR",
            "opening_float": opening_float,
        },
        headers=headers | key(),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def move(client, headers, session_id, kind, amount, reason="float top-up"):
    return await client.post(
        f"{SESSIONS}/{session_id}/movements",
        json={"kind": kind, "amount": amount, "reason": reason},
        headers=headers | key(),
    )


async def cash_sale(database, provider, session_id, store, amount, tendered):
    """What the POS checkout does: record the cash payment and the till's sale together."""
    outcome = await api.authorize(
        provider,
        Tender(api.TenderKind.CASH, eur(amount), tendered=eur(tendered)),
        idempotency_key=new_id("chk"),
    )
    order_id = new_id("ord")
    async with database.uow() as uow:
        [payment_id] = await api.record_payments(uow, order_id, [outcome], location_id=store)
        await api.record_cash_tender(
            uow,
            session_id,
            eur(amount),
            eur(tendered),
            api.cash_change(eur(amount), eur(tendered)),
            payment_id=payment_id,
            order_id=order_id,
        )
        await uow.commit()
    return payment_id


async def read(client, headers, session_id):
    response = await client.get(f"{SESSIONS}/{session_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_till_day_from_float_to_count_with_over_short(
    client, database, provider, associate, store
):
    till = await open_till(client, associate, store)
    assert (till["status"], till["drawer"], till["opening_float"]) == ("open", 20_000, 20_000)

    await cash_sale(database, provider, till["id"], store, 1_250, 2_000)
    await cash_sale(database, provider, till["id"], store, 800, 800)
    assert (await move(client, associate, till["id"], "pay_in", 5_000)).status_code == 201
    assert (
        await move(client, associate, till["id"], "pay_out", 300, "window cleaner")
    ).status_code == 201
    assert (
        await move(client, associate, till["id"], "drop", 10_000, "to the safe")
    ).status_code == 201
    current = await read(client, associate, till["id"])
    assert (current["cash_sales"], current["sales_count"], current["drawer"]) == (
        2_050,
        2,
        20_000 + 2_050 + 5_000 - 300 - 10_000,
    )
    sale = current["movements"][0]
    assert (sale["kind"], sale["amount"], sale["tendered"], sale["change"]) == (
        "sale",
        1_250,
        2_000,
        750,
    )

    closed = await client.post(
        f"{SESSIONS}/{till['id']}/close", json={"counted": 16_700}, headers=associate | key()
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["expected"], body["counted"], body["over_short"]) == (
        "closed",
        16_750,
        16_700,
        -50,
    )


async def test_one_open_session_per_till(client, associate, store):
    first = await open_till(client, associate, store, "till-7")
    again = await client.post(
        SESSIONS,
        json={"location_id": store, "register_id": "till-7", "currency": "EUR", "opening_float": 0},
        headers=associate | key(),
    )
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["session_id"]) == (
        "register_already_open",
        first["id"],
    )
    listed = await client.get(
        SESSIONS, params={"location_id": store, "status": "open"}, headers=associate
    )
    assert [s["id"] for s in listed.json()["items"] if s["register_id"] == "till-7"] == [
        first["id"]
    ]

    await open_till(client, associate, store, "till-8")  # another till opens fine
    closed = await client.post(
        f"{SESSIONS}/{first['id']}/close", json={"counted": 20_000}, headers=associate | key()
    )
    assert closed.json()["over_short"] == 0
    reopened = await open_till(client, associate, store, "till-7")
    assert reopened["id"] != first["id"]


async def test_cash_cannot_leave_a_drawer_that_does_not_hold_it(client, associate, store):
    till = await open_till(client, associate, store, opening_float=1_000)
    response = await move(client, associate, till["id"], "pay_out", 1_001, "too much")
    assert (response.status_code, response.json()["code"]) == (409, "insufficient_cash_in_drawer")
    assert response.json()["drawer_amount"] == 1_000
    current = await read(client, associate, till["id"])
    assert (current["pay_outs"], current["movements"]) == (0, [])


async def test_a_closed_session_takes_no_more_cash(client, database, provider, associate, store):
    till = await open_till(client, associate, store)
    await client.post(
        f"{SESSIONS}/{till['id']}/close", json={"counted": 20_000}, headers=associate | key()
    )
    before = await read(client, associate, till["id"])

    response = await move(client, associate, till["id"], "pay_in", 100)
    assert (response.status_code, response.json()["code"]) == (409, "register_session_closed")
    again = await client.post(
        f"{SESSIONS}/{till['id']}/close", json={"counted": 1}, headers=associate | key()
    )
    assert again.status_code == 409
    with pytest.raises(DomainError) as refused:
        await cash_sale(database, provider, till["id"], store, 500, 500)
    assert refused.value.code == "register_session_closed"
    assert await read(client, associate, till["id"]) == before


async def test_cash_change_must_add_up(database, associate, client, store):
    till = await open_till(client, associate, store)
    async with database.uow() as uow:
        with pytest.raises(DomainError) as refused:
            await api.record_cash_tender(uow, till["id"], eur(500), eur(1_000), eur(400))
    assert refused.value.status == 422


async def test_bodies_are_checked(client, associate, store):
    till = await open_till(client, associate, store)
    bad = [
        (
            SESSIONS,
            {"location_id": store, "register_id": "x", "currency": "QQQ", "opening_float": 1},
        ),
        (
            SESSIONS,
            {"location_id": store, "register_id": "x", "currency": "EUR", "opening_float": -1},
        ),
        (f"{SESSIONS}/{till['id']}/movements", {"kind": "steal", "amount": 1, "reason": "x"}),
        (f"{SESSIONS}/{till['id']}/movements", {"kind": "drop", "amount": 1, "reason": ""}),
        (f"{SESSIONS}/{till['id']}/close", {"counted": -1}),
    ]
    for url, body in bad:
        response = await client.post(url, json=body, headers=associate | key())
        assert response.status_code == 422, (url, body, response.text)
    assert (await client.post(SESSIONS, json={}, headers=associate)).status_code == 400


async def test_store_staff_act_at_their_stores_only(
    client, admin_headers, staff_headers, associate, store
):
    other = await make_store(client, admin_headers)
    theirs = await open_till(client, admin_headers, other)
    mine = await open_till(client, associate, store)

    refused = await client.post(
        SESSIONS,
        json={"location_id": other, "register_id": "t", "currency": "EUR", "opening_float": 0},
        headers=associate | key(),
    )
    assert refused.status_code == 404
    assert (await client.get(f"{SESSIONS}/{theirs['id']}", headers=associate)).status_code == 404
    assert (await move(client, associate, theirs["id"], "pay_in", 100)).status_code == 404
    closing = await client.post(
        f"{SESSIONS}/{theirs['id']}/close", json={"counted": 0}, headers=associate | key()
    )
    assert closing.status_code == 404
    report = await client.get(
        f"{REGISTERS}/reports/end-of-day",
        params={"location_id": other, "date": theirs["business_date"]},
        headers=associate,
    )
    assert report.status_code == 404
    listed = await client.get(SESSIONS, headers=associate)
    assert {s["location_id"] for s in listed.json()["items"]} == {store}
    assert mine["id"] in {s["id"] for s in listed.json()["items"]}
    assert (await read(client, admin_headers, theirs["id"]))["movements"] == []

    agent = await staff_headers("agent")
    assert (await client.get(SESSIONS, headers=agent)).status_code == 403


async def test_the_end_of_day_report(
    client, database, provider, admin_headers, staff_headers, associate, store
):
    manager = await staff_headers("store_manager", stores=[store])
    till_1 = await open_till(client, associate, store, "till-1", 10_000)
    till_2 = await open_till(client, associate, store, "till-2", 5_000)
    cash_id = await cash_sale(database, provider, till_1["id"], store, 2_000, 2_000)
    await cash_sale(database, provider, till_2["id"], store, 1_500, 2_000)
    _, card_id = await card_payment(database, provider, 4_000, "tok_terminal", location_id=store)
    await api.capture(database, provider, card_id, eur(4_000))
    await api.refund(database, provider, card_id, eur(1_000), "returned")
    await api.refund(
        database, provider, cash_id, eur(500), "returned", register_session_id=till_1["id"]
    )
    await client.post(
        f"{SESSIONS}/{till_1['id']}/close", json={"counted": 11_600}, headers=associate | key()
    )
    await client.post(
        f"{SESSIONS}/{till_2['id']}/close", json={"counted": 6_500}, headers=associate | key()
    )

    response = await client.get(
        f"{REGISTERS}/reports/end-of-day",
        params={"location_id": store, "date": till_1["business_date"]},
        headers=manager,
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert [s["register_id"] for s in report["sessions"]] == ["till-1", "till-2"]
    closed_1 = report["sessions"][0]
    assert (closed_1["refunds_count"], closed_1["expected"], closed_1["over_short"]) == (
        1,
        11_500,
        100,
    )
    tenders = {t["tender"]: t for t in report["tenders"]}
    assert (tenders["cash"]["sales_count"], tenders["cash"]["sales_amount"]) == (2, 3_500)
    assert (tenders["cash"]["refunds_count"], tenders["cash"]["net"]) == (1, 3_000)
    assert (tenders["card_online"]["sales_amount"], tenders["card_online"]["refunds_amount"]) == (
        4_000,
        1_000,
    )
    assert report["cash"] == [
        {"currency": "EUR", "expected": 18_000, "counted": 18_100, "over_short": 100}
    ]
    assert (report["sales_count"], report["refunds_count"], report["open_sessions"]) == (3, 2, 0)
