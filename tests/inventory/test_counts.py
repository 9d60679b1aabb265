"""Cycle counts and scan/RFID uploads (INV8): submissions add up, posting corrects on
hand against on hand at posting, accuracy per count and per location, refused
transitions change nothing, who may count where, idempotent POSTs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from omni.inventory import counts
from omni.inventory.count_queries import get_count
from omni.inventory.document_rules import accuracy_of
from omni.kernel.ids import new_id
from tests.catalog.helpers import unique_gtin
from tests.inventory.documents_support import (
    audit_actions,
    encode_sgtin96,
    events,
    levels,
    make_items,
    make_location,
    movements_of,
    post,
    stock,
)
from tests.inventory.helpers import assert_ledger_balanced, receive

URL = "/api/v1/inventory/counts"


@pytest.fixture
async def planner(staff_headers):
    return await staff_headers("planner")


async def open_count(client, headers, location, skus=None):
    body = {"location_id": location} | ({"skus": skus} if skus is not None else {})
    response = await post(client, URL, headers, body)
    assert response.status_code == 201, response.text
    return response.json()


async def read(client, headers, count_id):
    response = await client.get(f"{URL}/{count_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def submit_lines(client, headers, count_id, *lines):
    body = {"lines": [{"sku": item.sku, "quantity": q} for item, q in lines]}
    return await post(client, f"{URL}/{count_id}/lines", headers, body)


async def stocked_store(client, database, admin, *quantities):
    store = await make_location(client, admin)
    items = await make_items(client, admin, len(quantities))
    for item, quantity in zip(items, quantities, strict=True):
        if quantity:
            await stock(database, item, store, quantity)
    return store, items


async def test_submissions_add_up_and_posting_corrects_on_hand_with_the_figures(
    client, database, admin_headers, planner
):
    store, (tee, cap, sock) = await stocked_store(client, database, admin_headers, 10, 5, 3)
    count = await open_count(client, planner, store, [tee.sku.lower(), cap.sku])
    assert {line["variant_id"] for line in count["lines"]} == {tee.id, cap.id}

    assert (await submit_lines(client, planner, count["id"], (tee, 4))).status_code == 200
    assert (await submit_lines(client, planner, count["id"], (tee, 5), (cap, 5))).status_code == 200
    submitted = await post(client, f"{URL}/{count['id']}/submit", planner)
    preview = {line["variant_id"]: line for line in submitted.json()["lines"]}
    assert (preview[tee.id]["counted"], preview[tee.id]["difference"]) == (9, -1)

    posted = await post(client, f"{URL}/{count['id']}/post", planner)

    assert posted.status_code == 200, posted.text
    body = posted.json()
    assert body["status"] == "posted"
    lines = {line["variant_id"]: line for line in body["lines"]}
    assert (lines[tee.id]["system_quantity"], lines[tee.id]["difference"]) == (10, -1)
    assert (lines[cap.id]["system_quantity"], lines[cap.id]["difference"]) == (5, 0)
    assert body["accuracy"] == {
        "counts": 1,
        "lines_counted": 2,
        "lines_with_difference": 1,
        "units_difference": 1,
        "system_units": 15,
        "accuracy": 0.5,
        "units_accuracy": 0.9333,
    }
    assert await levels(database, store) == {
        tee.id: (9, 0, 0, 0),
        cap.id: (5, 0, 0, 0),
        sock.id: (3, 0, 0, 0),  # not in this count's scope
    }
    assert await movements_of(database, count["id"]) == [("count_correction", store, -1, 0, 0)]
    [fact] = await events(database, "inventory.count_posted", "count_id", count["id"])
    assert fact["corrections"] == [
        {"variant_id": tee.id, "system": 10, "counted": 9, "difference": -1}
    ]
    assert await audit_actions(database, count["id"]) == [
        "inventory.count_created",
        "inventory.count_lines_added",
        "inventory.count_lines_added",
        "inventory.count_submitted",
        "inventory.count_posted",
    ]
    await assert_ledger_balanced(database)


async def test_a_full_count_posts_uncounted_stock_as_zero_and_adds_what_was_found(
    client, database, admin_headers, planner
):
    store, (tee, cap, sock) = await stocked_store(client, database, admin_headers, 4, 2, 0)
    count = await open_count(client, planner, store)
    await submit_lines(client, planner, count["id"], (tee, 4), (sock, 2))
    await post(client, f"{URL}/{count['id']}/submit", planner)
    body = (await post(client, f"{URL}/{count['id']}/post", planner)).json()
    lines = {line["variant_id"]: line for line in body["lines"]}
    assert {v: (line["system_quantity"], line["counted"]) for v, line in lines.items()} == {
        tee.id: (4, 4),
        cap.id: (2, 0),
        sock.id: (0, 2),
    }
    assert await levels(database, store) == {
        tee.id: (4, 0, 0, 0),
        cap.id: (0, 0, 0, 0),
        sock.id: (2, 0, 0, 0),
    }
    assert body["accuracy"]["units_accuracy"] == 0.3333  # 1 - 4 / 6
    await assert_ledger_balanced(database)


async def test_the_difference_is_taken_against_on_hand_at_posting(
    client, database, admin_headers, planner
):
    store, (tee,) = await stocked_store(client, database, admin_headers, 10)
    count = await open_count(client, planner, store, [tee.sku])
    await submit_lines(client, planner, count["id"], (tee, 8))
    await post(client, f"{URL}/{count['id']}/submit", planner)
    await receive(database, tee.id, store, 5)  # a delivery booked between count and post

    body = (await post(client, f"{URL}/{count['id']}/post", planner)).json()

    assert (body["lines"][0]["system_quantity"], body["lines"][0]["difference"]) == (15, -7)
    assert (await levels(database, store))[tee.id] == (8, 0, 0, 0)
    await assert_ledger_balanced(database)


async def test_posting_racing_a_delivery_never_loses_either(client, database, admin_headers):
    store, (tee,) = await stocked_store(client, database, admin_headers, 10)
    count_id = await counts.create_count(database.uow(), counts.NewCount(store, [tee.id]))
    await counts.add_counted(database.uow(), count_id, {tee.id: 8})
    await counts.submit_count(database.uow(), count_id)

    await asyncio.gather(
        counts.post_count(database.uow(), count_id), receive(database, tee.id, store, 5)
    )

    async with database.reader() as session:
        view = await get_count(session, count_id)
    assert view is not None
    system = view.lines[0].system_quantity
    assert system in (10, 15)
    expected = 8 + 5 if system == 10 else 8  # posted first: the delivery lands on top
    assert (await levels(database, store))[tee.id] == (expected, 0, 0, 0)
    await assert_ledger_balanced(database)


async def test_every_refused_transition_answers_409_and_changes_nothing(
    client, database, admin_headers, planner
):
    store, (tee,) = await stocked_store(client, database, admin_headers, 6)
    in_status = {}
    for status in ("open", "submitted", "posted", "cancelled"):
        count = await open_count(client, planner, store, [tee.sku])
        await submit_lines(client, planner, count["id"], (tee, 6))
        if status in ("submitted", "posted"):
            await post(client, f"{URL}/{count['id']}/submit", planner)
        if status == "posted":
            await post(client, f"{URL}/{count['id']}/post", planner)
        if status == "cancelled":
            await post(client, f"{URL}/{count['id']}/cancel", planner)
        assert (await read(client, planner, count["id"]))["status"] == status
        in_status[status] = count["id"]
    allowed = {
        "lines": {"open"},
        "scans": {"open"},
        "submit": {"open"},
        "reopen": {"submitted"},
        "post": {"submitted"},
        "cancel": {"open", "submitted"},
    }
    bodies = {
        "lines": {"lines": [{"sku": tee.sku, "quantity": 1}]},
        "scans": {"items": [{"gtin": tee.gtin}]},
    }
    for action, statuses in allowed.items():
        for status, count_id in in_status.items():
            if status in statuses:
                continue
            before = (await read(client, planner, count_id), await levels(database, store))
            response = await post(client, f"{URL}/{count_id}/{action}", planner, bodies.get(action))
            assert response.status_code == 409, (action, status, response.text)
            assert response.json()["code"] == "invalid_transition"
            assert (await read(client, planner, count_id), await levels(database, store)) == before


async def test_reopening_lets_counting_go_on(client, database, admin_headers, planner):
    store, (tee,) = await stocked_store(client, database, admin_headers, 6)
    count = await open_count(client, planner, store, [tee.sku])
    await post(client, f"{URL}/{count['id']}/submit", planner)
    assert (await post(client, f"{URL}/{count['id']}/reopen", planner)).json()["status"] == "open"
    assert (await submit_lines(client, planner, count["id"], (tee, 6))).status_code == 200


async def test_counting_outside_the_scope_or_an_unknown_sku_is_refused(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await stocked_store(client, database, admin_headers, 6, 1)
    count = await open_count(client, planner, store, [tee.sku])
    before = await read(client, planner, count["id"])
    assert (await submit_lines(client, planner, count["id"], (cap, 1))).status_code == 422
    unknown = {"lines": [{"sku": "NO-SUCH-SKU", "quantity": 1}]}
    assert (await post(client, f"{URL}/{count['id']}/lines", planner, unknown)).status_code == 422
    assert await read(client, planner, count["id"]) == before
    bad_scope = {"location_id": store, "skus": ["NO-SUCH-SKU"]}
    assert (await post(client, URL, planner, bad_scope)).status_code == 422
    assert (await post(client, URL, planner, {"location_id": new_id("loc")})).status_code == 422


async def test_scans_and_rfid_reads_count_known_codes_once_and_list_the_rest(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await stocked_store(client, database, admin_headers, 3, 9)
    count = await open_count(client, planner, store)
    tag = encode_sgtin96(tee.gtin, 1001)
    items = [
        {"gtin": tee.gtin[1:], "quantity": 2},  # GTIN-13 as printed
        {"gtin": tee.gtin},  # the same item as GTIN-14
        {"epc": tag},
        {"epc": tag.lower()},  # read again by a second antenna
        {"epc": encode_sgtin96(tee.gtin, 1002)},
        {"epc": encode_sgtin96(cap.gtin, 7, partition=3)},
        {"gtin": unique_gtin()},  # valid, but not in the catalog
        {"gtin": "4006381333932"},  # wrong check digit
        {"epc": "3174257BF7194E4000001A85"},  # an SSCC pallet tag
        {"epc": tag, "quantity": 3},
    ]
    response = await post(client, f"{URL}/{count['id']}/scans", planner, {"items": items})

    assert response.status_code == 200, response.text
    report = response.json()
    assert {line["sku"]: line["quantity"] for line in report["counted"]} == {tee.sku: 5, cap.sku: 1}
    assert report["units_counted"] == 6 and report["duplicate_tags"] == 1
    assert [(p["row"], p["reason"][:20]) for p in report["problems"]] == [
        (6, "Unknown GTIN."),
        (7, "Not a GTIN-8/12/13/1"),
        (8, "Not an SGTIN-96 tag "),
        (9, "An RFID tag is one u"),
    ]
    again = await post(client, f"{URL}/{count['id']}/scans", planner, {"items": [{"epc": tag}]})
    assert again.json()["duplicate_tags"] == 1 and again.json()["units_counted"] == 0

    await post(client, f"{URL}/{count['id']}/submit", planner)
    await post(client, f"{URL}/{count['id']}/post", planner)
    assert await levels(database, store) == {tee.id: (5, 0, 0, 0), cap.id: (1, 0, 0, 0)}
    await assert_ledger_balanced(database)


async def test_a_large_rfid_sweep_counts_every_tag_once(client, database, admin_headers, planner):
    store, (tee,) = await stocked_store(client, database, admin_headers, 0)
    count = await open_count(client, planner, store)
    tags = [{"epc": encode_sgtin96(tee.gtin, serial)} for serial in range(2500)]
    sweep = {"items": tags + tags[:100]}  # the last aisle read twice
    report = (await post(client, f"{URL}/{count['id']}/scans", planner, sweep)).json()
    assert (report["units_counted"], report["duplicate_tags"], report["problems"]) == (
        2500,
        100,
        [],
    )


async def test_a_scan_outside_a_listed_count_is_reported_not_counted(
    client, database, admin_headers, planner
):
    store, (tee, cap) = await stocked_store(client, database, admin_headers, 1, 1)
    count = await open_count(client, planner, store, [tee.sku])
    items = [{"gtin": tee.gtin}, {"gtin": cap.gtin}]
    report = (await post(client, f"{URL}/{count['id']}/scans", planner, {"items": items})).json()
    assert report["units_counted"] == 1
    assert report["problems"] == [{"row": 1, "code": cap.gtin, "reason": "Not in this count."}]


async def test_location_accuracy_pools_recent_counts(client, database, admin_headers, planner):
    store, (tee, cap) = await stocked_store(client, database, admin_headers, 10, 10)
    first = await open_count(client, planner, store, [tee.sku, cap.sku])
    await submit_lines(client, planner, first["id"], (tee, 10), (cap, 8))
    await post(client, f"{URL}/{first['id']}/submit", planner)
    await post(client, f"{URL}/{first['id']}/post", planner)
    second = await open_count(client, planner, store, [tee.sku])
    await submit_lines(client, planner, second["id"], (tee, 10))
    await post(client, f"{URL}/{second['id']}/submit", planner)
    posted = (await post(client, f"{URL}/{second['id']}/post", planner)).json()

    url = f"/api/v1/inventory/locations/{store}/accuracy"
    pooled = (await client.get(url, headers=planner)).json()
    assert (pooled["counts"], pooled["lines_counted"], pooled["lines_with_difference"]) == (2, 3, 1)
    assert (pooled["accuracy"], pooled["units_accuracy"]) == (0.6667, 0.9333)  # 2/3, 1 - 2/30
    last = (await client.get(url, params={"last": 1}, headers=planner)).json()
    assert (last["counts"], last["accuracy"], last["units_accuracy"]) == (1, 1.0, 1.0)
    since = (await client.get(url, params={"since": posted["posted_at"]}, headers=planner)).json()
    assert since["counts"] == 1
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    empty = (await client.get(url, params={"since": future}, headers=planner)).json()
    assert (empty["counts"], empty["accuracy"], empty["units_accuracy"]) == (0, None, None)
    missing = await client.get(
        f"/api/v1/inventory/locations/{new_id('loc')}/accuracy", headers=planner
    )
    assert missing.status_code == 404


async def test_who_may_count_where(client, database, admin_headers, staff_headers):
    store, (tee,) = await stocked_store(client, database, admin_headers, 2)
    other = await make_location(client, admin_headers)
    count = await open_count(client, admin_headers, store, [tee.sku])
    lines_url = f"{URL}/{count['id']}/lines"
    body = {"lines": [{"sku": tee.sku, "quantity": 2}]}

    assert (await post(client, URL, {}, {"location_id": store})).status_code == 401
    associate = await staff_headers("associate", stores=[store])
    assert (await post(client, lines_url, associate, body)).status_code == 403
    assert (await client.get(f"{URL}/{count['id']}", headers=associate)).status_code == 200
    outsider = await staff_headers("store_manager", stores=[other])
    assert (await post(client, lines_url, outsider, body)).status_code == 404
    assert (await post(client, f"{URL}/{count['id']}/submit", outsider)).status_code == 404
    assert (await post(client, URL, outsider, {"location_id": store})).status_code == 404
    assert (await read(client, admin_headers, count["id"]))["lines"][0]["counted"] == 0

    manager = await staff_headers("store_manager", stores=[store])
    assert (await post(client, lines_url, manager, body)).status_code == 200
    assert (await post(client, f"{URL}/{count['id']}/submit", manager)).status_code == 200
    assert (await post(client, f"{URL}/{count['id']}/post", manager)).status_code == 200
    analyst = await staff_headers("analyst")
    accuracy = f"/api/v1/inventory/locations/{store}/accuracy"
    assert (await client.get(accuracy, headers=analyst)).status_code == 200


async def test_a_submission_needs_an_idempotency_key_and_a_retry_counts_once(
    client, database, admin_headers, planner
):
    store, (tee,) = await stocked_store(client, database, admin_headers, 2)
    count = await open_count(client, planner, store, [tee.sku])
    url = f"{URL}/{count['id']}/lines"
    body = {"lines": [{"sku": tee.sku, "quantity": 3}]}
    assert (await client.post(url, json=body, headers=planner)).status_code == 400
    headers = planner | {"Idempotency-Key": f"shelf-a-{count['id']}"}
    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert (await read(client, planner, count["id"]))["lines"][0]["counted"] == 3


@pytest.mark.parametrize(
    ("lines", "accuracy", "units_accuracy"),
    [
        ([], None, None),
        ([(0, 0)], 1.0, 1.0),  # nothing on the books, nothing found
        ([(0, 3)], 0.0, 0.0),  # nothing on the books, some found
        ([(10, 30)], 0.0, 0.0),  # floored at 0, not -200 %
        ([(4, 4), (6, 3)], 0.5, 0.7),
    ],
)
def test_accuracy_of_one_count(lines, accuracy, units_accuracy):
    figures = accuracy_of(lines)
    assert (figures.accuracy, figures.units_accuracy) == (accuracy, units_accuracy)
