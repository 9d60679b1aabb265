"""Purchase orders, ASNs and receipts (INV7): incoming on open, partial and damaged
receipts, the over-receipt tolerance, closing short, refused transitions that change
nothing, who may act where, idempotent POSTs, and the CSV import of receipts and ASNs."""

from __future__ import annotations

import io
import uuid

import pytest

from omni.integrations.csv_import import import_csv
from omni.integrations.inventory_specs import ASNS, PO_RECEIPTS
from omni.inventory.document_rules import receipt_limit
from omni.kernel.actor import SYSTEM
from tests.inventory.documents_support import (
    audit_actions,
    events,
    levels,
    make_items,
    make_location,
    movements_of,
    post,
)
from tests.inventory.helpers import assert_ledger_balanced

URL = "/api/v1/inventory/purchase-orders"


@pytest.fixture
async def planner(staff_headers):
    return await staff_headers("planner")


def number() -> str:
    return f"PO-{uuid.uuid4().hex[:10].upper()}"


async def order(client, headers, location, *lines, **fields):
    body = {
        "supplier_code": "NORTHWIND",
        "supplier_name": "Northwind Textiles",
        "location_id": location,
        "lines": [{"variant_id": item.id, "quantity": q} for item, q in lines],
        **fields,
    }
    response = await post(client, URL, headers, body)
    assert response.status_code == 201, response.text
    return response.json()


async def read(client, headers, order_id):
    response = await client.get(f"{URL}/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def receive(client, headers, order_id, *lines, **fields):
    body = {
        "lines": [{"variant_id": item.id, **quantities} for item, quantities in lines],
        **fields,
    }
    return await post(client, f"{URL}/{order_id}/receipts", headers, body)


async def setup(client, admin, items=2):
    return await make_location(client, admin), await make_items(client, admin, items)


async def test_an_order_is_incoming_once_open_and_arrives_in_parts_against_its_asn(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await setup(client, admin_headers)
    draft = await order(client, planner, store, (tee, 10), (cap, 4), number=number())
    assert draft["status"] == "draft" and draft["outstanding"] == 0
    assert await levels(database, store) == {}

    opened = await post(client, f"{URL}/{draft['id']}/open", planner)
    assert opened.json()["status"] == "open" and opened.json()["outstanding"] == 14
    assert await levels(database, store) == {tee.id: (0, 0, 10, 0), cap.id: (0, 0, 4, 0)}

    asn = await post(
        client,
        f"{URL}/{draft['id']}/asns",
        planner,
        {
            "number": "ASN-1",
            "expected_on": "2026-12-03",
            "lines": [{"variant_id": tee.id, "quantity": 6}],
        },
    )
    assert asn.status_code == 201, asn.text
    body = asn.json()
    assert body["expected_on"] == "2026-12-03"
    assert [line["advised"] for line in body["lines"]] == sorted_by(body, {tee.id: 6, cap.id: 0})
    asn_id = body["asns"][0]["id"]

    first = await receive(
        client, planner, draft["id"], (tee, {"quantity": 5, "damaged": 1}), asn_id=asn_id
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["status"] == "partially_received" and body["outstanding"] == 8
    assert body["asns"][0]["status"] == "received"
    assert await levels(database, store) == {tee.id: (6, 0, 4, 1), cap.id: (0, 0, 4, 0)}

    second = await receive(
        client, planner, draft["id"], (tee, {"quantity": 4}), (cap, {"quantity": 4})
    )
    assert second.json()["status"] == "received" and second.json()["outstanding"] == 0
    assert await levels(database, store) == {tee.id: (10, 0, 0, 1), cap.id: (4, 0, 0, 0)}
    assert len(await events(database, "inventory.po_opened", "purchase_order_id", draft["id"])) == 1
    assert (
        len(await events(database, "inventory.asn_recorded", "purchase_order_id", draft["id"])) == 1
    )
    received = await events(database, "inventory.po_received", "purchase_order_id", draft["id"])
    assert [e["status"] for e in received] == ["partially_received", "received"]
    assert await audit_actions(database, draft["id"]) == [
        "inventory.po_created",
        "inventory.po_opened",
        "inventory.asn_recorded",
        "inventory.po_received",
        "inventory.po_received",
    ]
    await assert_ledger_balanced(database)


def sorted_by(body, advised):
    return [advised[line["variant_id"]] for line in body["lines"]]


async def test_over_receipt_within_tolerance_is_booked_and_beyond_it_nothing_is(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await setup(client, admin_headers)
    po = await order(client, planner, store, (tee, 100), (cap, 10), open=True)
    before = (await read(client, planner, po["id"]), await levels(database, store))

    refused = await receive(
        client, planner, po["id"], (tee, {"quantity": 106}), (cap, {"quantity": 1})
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "over_receipt"
    assert problem["lines"] == [
        {
            "variant_id": tee.id,
            "ordered": 100,
            "already_received": 0,
            "receiving": 106,
            "limit": 105,
        }
    ]
    assert (await read(client, planner, po["id"]), await levels(database, store)) == before

    booked = await receive(client, planner, po["id"], (tee, {"quantity": 100}))
    assert booked.status_code == 200
    again = await receive(client, planner, po["id"], (tee, {"quantity": 6}))
    assert again.status_code == 422 and again.json()["lines"][0]["already_received"] == 100
    last = await receive(client, planner, po["id"], (tee, {"quantity": 5}))
    tee_line = next(line for line in last.json()["lines"] if line["variant_id"] == tee.id)
    assert (tee_line["received"], tee_line["over"], tee_line["outstanding"]) == (105, 5, 0)
    assert (await levels(database, store))[tee.id] == (105, 0, 0, 0)
    await assert_ledger_balanced(database)


async def test_tolerance_is_set_per_order(client, database, admin_headers, planner):
    store, (tee,) = await setup(client, admin_headers, items=1)
    strict = await order(client, planner, store, (tee, 10), open=True, tolerance_percent=0)
    assert (
        await receive(client, planner, strict["id"], (tee, {"quantity": 11}))
    ).status_code == 422
    generous = await order(client, planner, store, (tee, 10), open=True, tolerance_percent=20)
    assert (
        await receive(client, planner, generous["id"], (tee, {"quantity": 12}))
    ).status_code == 200


async def test_closing_short_releases_what_will_not_come(client, database, admin_headers, planner):
    store, (tee, cap) = await setup(client, admin_headers)
    po = await order(client, planner, store, (tee, 10), (cap, 3), open=True)
    await receive(client, planner, po["id"], (tee, {"quantity": 6}))

    closed = await post(
        client, f"{URL}/{po['id']}/close", planner, {"note": "supplier out of stock"}
    )

    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "received" and body["outstanding"] == 0
    assert {line["variant_id"]: line["short"] for line in body["lines"]} == {tee.id: 4, cap.id: 3}
    assert await levels(database, store) == {tee.id: (6, 0, 0, 0), cap.id: (0, 0, 0, 0)}
    [closing] = await events(database, "inventory.po_closed", "purchase_order_id", po["id"])
    assert sorted(line["short"] for line in closing["lines"]) == [3, 4]
    await assert_ledger_balanced(database)


async def test_cancelling_releases_incoming_of_an_open_order_and_is_refused_once_goods_arrived(
    client, database, admin_headers, planner
):
    store, (tee,) = await setup(client, admin_headers, items=1)
    draft = await order(client, planner, store, (tee, 5))
    assert (await post(client, f"{URL}/{draft['id']}/cancel", planner)).json()[
        "status"
    ] == "cancelled"
    assert await movements_of(database, draft["id"]) == []

    opened = await order(client, planner, store, (tee, 7), open=True)
    assert (await levels(database, store))[tee.id] == (0, 0, 7, 0)
    assert (await post(client, f"{URL}/{opened['id']}/cancel", planner)).status_code == 200
    assert (await levels(database, store))[tee.id] == (0, 0, 0, 0)
    assert [kind for kind, *_ in await movements_of(database, opened["id"])] == ["incoming"] * 2
    await assert_ledger_balanced(database)


async def test_every_refused_transition_answers_409_and_changes_nothing(
    client, database, admin_headers, planner
):
    store, (tee,) = await setup(client, admin_headers, items=1)
    in_status = {}
    for status in ("draft", "open", "partially_received", "received", "cancelled"):
        po = await order(client, planner, store, (tee, 4), open=status != "draft")
        if status == "cancelled":
            await post(client, f"{URL}/{po['id']}/cancel", planner)
        if status in ("partially_received", "received"):
            quantity = 1 if status == "partially_received" else 4
            await receive(client, planner, po["id"], (tee, {"quantity": quantity}))
        assert (await read(client, planner, po["id"]))["status"] == status
        in_status[status] = po["id"]
    line = {"lines": [{"variant_id": tee.id, "quantity": 1}]}
    allowed = {
        "open": ({"draft"}, None),
        "cancel": ({"draft", "open"}, None),
        "close": ({"open", "partially_received"}, None),
        "receipts": ({"open", "partially_received"}, line),
        "asns": ({"open", "partially_received"}, {"number": "ASN-X", **line}),
    }
    for action, (statuses, body) in allowed.items():
        for status, order_id in in_status.items():
            if status in statuses:
                continue
            before = (await read(client, planner, order_id), await levels(database, store))
            response = await post(client, f"{URL}/{order_id}/{action}", planner, body)
            assert response.status_code == 409, (action, status, response.text)
            assert response.json()["code"] == "invalid_transition"
            assert (await read(client, planner, order_id), await levels(database, store)) == before
    await assert_ledger_balanced(database)


async def test_bad_orders_and_notices_are_refused(client, database, admin_headers, planner):
    store, (tee, cap) = await setup(client, admin_headers)
    taken = number()
    await order(client, planner, store, (tee, 1), number=taken)
    body = {
        "supplier_code": "X",
        "location_id": store,
        "number": taken,
        "lines": [{"variant_id": tee.id, "quantity": 1}],
    }
    assert (await post(client, URL, planner, body)).status_code == 409
    po = await order(client, planner, store, (tee, 10), open=True)
    announce = f"{URL}/{po['id']}/asns"
    too_many = {"number": "A1", "lines": [{"variant_id": tee.id, "quantity": 11}]}
    assert (await post(client, announce, planner, too_many)).status_code == 422
    not_ordered = {"number": "A1", "lines": [{"variant_id": cap.id, "quantity": 1}]}
    assert (await post(client, announce, planner, not_ordered)).status_code == 422
    fine = {"number": "A1", "lines": [{"variant_id": tee.id, "quantity": 5}]}
    assert (await post(client, announce, planner, fine)).status_code == 201
    assert (await post(client, announce, planner, fine)).status_code == 409
    assert len((await read(client, planner, po["id"]))["asns"]) == 1


async def test_who_may_buy_and_who_may_receive(client, database, admin_headers, staff_headers):
    store, (tee,) = await setup(client, admin_headers, items=1)
    other = await make_location(client, admin_headers)
    po = await order(client, admin_headers, store, (tee, 10), open=True)
    body = {
        "supplier_code": "X",
        "location_id": store,
        "lines": [{"variant_id": tee.id, "quantity": 1}],
    }
    assert (await post(client, URL, {}, body)).status_code == 401
    manager = await staff_headers("store_manager", stores=[store])
    assert (await post(client, URL, manager, body)).status_code == 403
    assert (await post(client, f"{URL}/{po['id']}/close", manager)).status_code == 403
    associate = await staff_headers("associate", stores=[store])
    assert (await receive(client, associate, po["id"], (tee, {"quantity": 1}))).status_code == 403
    outsider = await staff_headers("store_manager", stores=[other])
    assert (await receive(client, outsider, po["id"], (tee, {"quantity": 1}))).status_code == 404
    assert (
        await receive(client, manager, po["id"], (tee, {"quantity": 1}), final=True)
    ).status_code == 403
    assert (await levels(database, store))[tee.id] == (0, 0, 10, 0)
    assert (await receive(client, manager, po["id"], (tee, {"quantity": 3}))).status_code == 200
    assert (await levels(database, store))[tee.id] == (3, 0, 7, 0)
    assert (await client.get(f"{URL}/{po['id']}", headers=associate)).status_code == 200


async def test_a_receipt_needs_an_idempotency_key_and_a_retry_books_once(
    client, database, admin_headers, planner
):
    store, (tee,) = await setup(client, admin_headers, items=1)
    po = await order(client, planner, store, (tee, 10), open=True)
    url = f"{URL}/{po['id']}/receipts"
    body = {"lines": [{"variant_id": tee.id, "quantity": 4}]}
    assert (await client.post(url, json=body, headers=planner)).status_code == 400
    headers = planner | {"Idempotency-Key": f"grn-{po['id']}"}
    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert (await levels(database, store))[tee.id] == (4, 0, 6, 0)


async def test_incoming_lists_open_orders_with_their_expected_dates(
    client, database, admin_headers, planner
):
    store, (tee,) = await setup(client, admin_headers, items=1)
    later = await order(client, planner, store, (tee, 5), open=True, expected_on="2027-01-10")
    sooner = await order(client, planner, store, (tee, 2), open=True, expected_on="2026-12-10")
    await order(client, planner, store, (tee, 9))  # a draft is not incoming
    response = await client.get(f"/api/v1/inventory/locations/{store}/incoming", headers=planner)
    assert [(i["document_id"], i["quantity"], i["expected_on"]) for i in response.json()] == [
        (sooner["id"], 2, "2026-12-10"),
        (later["id"], 5, "2027-01-10"),
    ]


# --- CSV: the importer adapter the integrations module registers (see docs) -----------


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


async def test_csv_asns_then_receipts_are_booked_per_delivery(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await setup(client, admin_headers)
    po = await order(client, planner, store, (tee, 10), (cap, 5), open=True, number=number())
    n = po["number"]
    asns = await import_csv(
        database,
        SYSTEM,
        ASNS,
        csv_file(
            "po_number,asn_number,sku,quantity,expected_on,carrier",
            f"{n},ASN-9,{tee.sku},10,2026-12-02,DHL",
            f"{n},ASN-9,{cap.sku.lower()},5,2026-12-02,DHL",
        ),
    )
    assert asns.applied and asns.counts == {"asns": 1, "units": 15}, asns.errors
    receipts = await import_csv(
        database,
        SYSTEM,
        PO_RECEIPTS,
        csv_file(
            "po_number,sku,quantity,damaged,received_at,asn_number",
            f"{n},{tee.sku},8,1,2026-12-02T09:30:00+01:00,ASN-9",
            f"{n},{cap.sku},5,,2026-12-02T09:30:00+01:00,ASN-9",
            f"{n},{tee.sku},1,,2026-12-04,",
        ),
    )
    assert receipts.applied and receipts.counts == {"receipts": 2, "units": 15}, receipts.errors
    body = await read(client, planner, po["id"])
    assert body["status"] == "received" and body["asns"][0]["status"] == "received"
    assert [r["received_at"][:16] for r in body["receipts"]] == [
        "2026-12-02T08:30",
        "2026-12-04T00:00",
    ]
    assert await levels(database, store) == {tee.id: (10, 0, 0, 1), cap.id: (5, 0, 0, 0)}
    await assert_ledger_balanced(database)


async def test_a_csv_with_any_bad_row_books_nothing_and_names_the_rows(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await setup(client, admin_headers)
    po = await order(client, planner, store, (tee, 10), (cap, 5), open=True, number=number())
    n = po["number"]
    before = (await read(client, planner, po["id"]), await levels(database, store))
    bad_rows = await import_csv(
        database,
        SYSTEM,
        PO_RECEIPTS,
        csv_file(
            "po_number,sku,quantity,received_at",
            f"{n},{tee.sku},3,2026-12-02",
            f"{n},NO-SUCH-SKU,1,2026-12-02",
            f"PO-NOPE,{tee.sku},1,2026-12-02",
            f"{n},{cap.sku},two,yesterday",
        ),
    )
    assert not bad_rows.applied
    assert {(e.row, e.field) for e in bad_rows.errors} == {
        (3, "sku"),
        (4, "po_number"),
        (5, "quantity"),
        (5, "received_at"),
    }
    over = await import_csv(
        database,
        SYSTEM,
        PO_RECEIPTS,
        csv_file(
            "po_number,sku,quantity",
            f"{n},{cap.sku},2",
            f"{n},{tee.sku},11",
        ),
    )
    assert not over.applied
    assert [(e.row, e.field) for e in over.errors] == [(3, "quantity")]
    assert (await read(client, planner, po["id"]), await levels(database, store)) == before


@pytest.mark.parametrize(
    ("ordered", "tolerance", "limit"),
    [(100, 5, 105), (20, 5, 21), (10, 5, 10), (7, 0, 7), (3, 100, 6)],
)
def test_the_receipt_limit_rounds_the_tolerance_down(ordered, tolerance, limit):
    assert receipt_limit(ordered, tolerance) == limit
