"""Coupon codes through HTTP: one chosen code, generated batches, listing, deactivation."""

from __future__ import annotations

import time

from omni.promotions.events import CouponBatchCreated, CouponCreated
from tests.catalog.helpers import audit_actions, events_named
from tests.promotions.helpers import (
    PROMOTIONS,
    add_coupon,
    coupon,
    coupon_count,
    coupon_promotion,
    create_promotion,
    unique_code,
)


async def test_a_code_is_stored_normalised_with_its_limits(client, merch, database):
    promotion = await coupon_promotion(client, merch, conditions={"customer_required": True})
    code = unique_code("spring")
    created = await add_coupon(
        client,
        merch,
        promotion["id"],
        code=f"  {code.lower()} ",
        max_uses=100,
        max_uses_per_customer=1,
    )
    assert created["code"] == code.upper()
    assert (created["max_uses"], created["uses"], created["max_uses_per_customer"]) == (100, 0, 1)
    assert await events_named(database, CouponCreated.name, code=code.upper())
    assert "coupon.created" in await audit_actions(database, promotion["id"])


async def test_codes_are_refused_when_taken_or_not_allowed_and_nothing_is_stored(
    client, merch, database
):
    promotion = await coupon_promotion(client, merch)
    taken = await add_coupon(client, merch, promotion["id"])
    other = await coupon_promotion(client, merch)
    automatic = await create_promotion(client, merch)
    url = f"{PROMOTIONS}/{promotion['id']}/coupons"
    cases = [
        (url, {"code": taken["code"].lower()}, 409, "code"),
        (f"{PROMOTIONS}/{other['id']}/coupons", {"code": taken["code"]}, 409, "code"),
        (
            f"{PROMOTIONS}/{automatic['id']}/coupons",
            {"code": unique_code()},
            409,
            "requires_coupon",
        ),
        # A per-customer limit needs customer_required on the promotion.
        (url, {"code": unique_code(), "max_uses_per_customer": 1}, 422, "max_uses_per_customer"),
        (url, {"code": "no spaces allowed"}, 422, None),
        (url, {"code": "OK-CODE-1", "max_uses": 0}, 422, None),
        (url, {"code": "OK-CODE-2", "uses": 5}, 422, None),
        (f"{PROMOTIONS}/prm_missing/coupons", {"code": unique_code()}, 404, None),
    ]
    for path, body, status, field in cases:
        response = await client.post(path, json=body, headers=merch)
        assert response.status_code == status, (body, response.text)
        if field:
            assert response.json()["field"] == field
    assert await coupon_count(database, promotion["id"]) == 1
    assert await coupon_count(database, other["id"]) == 0
    assert await coupon_count(database, automatic["id"]) == 0


async def test_ten_thousand_single_use_codes_are_generated_in_one_request(client, merch, database):
    promotion = await coupon_promotion(client, merch)
    url = f"{PROMOTIONS}/{promotion['id']}/coupons/batch"
    body = {"count": 10_000, "prefix": "mail-", "max_uses": 1}
    headers = {**merch, "Idempotency-Key": unique_code("batch")}
    started = time.perf_counter()
    response = await client.post(url, json=body, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.text
    batch = response.json()
    codes = batch["codes"]
    assert batch["created"] == len(codes) == len(set(codes)) == 10_000
    assert all(code.startswith("MAIL-") and len(code) == 15 for code in codes)
    assert not set("".join(code[5:] for code in codes)) & set("01IOL")  # unambiguous
    assert await coupon_count(database, promotion["id"]) == 10_000
    stored = await coupon(database, codes[0])
    assert stored is not None and (stored.max_uses, stored.uses) == (1, 0)
    events = await events_named(database, CouponBatchCreated.name, promotion_id=promotion["id"])
    assert events[0]["count"] == 10_000
    assert elapsed < 20, f"generating 10,000 codes took {elapsed:.1f}s"
    retried = await client.post(url, json=body, headers=headers)  # e.g. after a timeout
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.json()["codes"] == codes
    assert await coupon_count(database, promotion["id"]) == 10_000
    unkeyed = await client.post(url, json=body, headers=merch)
    assert unkeyed.status_code == 400
    assert await coupon_count(database, promotion["id"]) == 10_000


async def test_a_batch_is_refused_whole(client, merch, database):
    promotion = await coupon_promotion(client, merch)
    url = f"{PROMOTIONS}/{promotion['id']}/coupons/batch"
    cases = [
        ({"count": 0}, 422),
        ({"count": 50_001}, 422),
        ({"count": 10, "prefix": "has space"}, 422),
        ({"count": 10, "length": 5}, 422),
        ({"count": 50_000, "length": 6}, 422),  # too guessable
        ({"count": 10, "max_uses_per_customer": 1}, 422),  # promotion allows guests
    ]
    for body, status in cases:
        headers = {**merch, "Idempotency-Key": unique_code("batch")}
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
    assert await coupon_count(database, promotion["id"]) == 0


async def test_codes_are_listed_by_writers_and_can_be_deactivated(client, merch, analyst, database):
    promotion = await coupon_promotion(client, merch)
    generated = await client.post(
        f"{PROMOTIONS}/{promotion['id']}/coupons/batch",
        json={"count": 5},
        headers={**merch, "Idempotency-Key": unique_code("batch")},
    )
    codes = generated.json()["codes"]
    url = f"{PROMOTIONS}/{promotion['id']}/coupons"
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(url, params=params, headers=merch)).json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(codes)
    # Codes are worth money: readers of promotions do not list them.
    assert (await client.get(url, headers=analyst)).status_code == 403

    off = await client.post(f"{url}/{codes[0].lower()}/deactivate", headers=merch)
    assert off.status_code == 200 and off.json()["active"] is False
    active = (await client.get(url, params={"active": True}, headers=merch)).json()["items"]
    assert codes[0] not in [item["code"] for item in active]
    stored = await coupon(database, codes[0])
    assert stored is not None and stored.active is False
    missing = await client.post(f"{url}/NOPE/deactivate", headers=merch)
    assert missing.status_code == 404
