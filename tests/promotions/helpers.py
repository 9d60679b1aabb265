"""Helpers for the promotions HTTP and facade tests: bodies, creation, DB snapshots."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.promotions.models import CouponCode, CouponRedemption, PromotionRecord

PROMOTIONS = "/api/v1/promotions"
EVALUATE = f"{PROMOTIONS}/evaluate"


def unique_code(stem: str = "SAVE") -> str:
    return f"{stem}{uuid.uuid4().hex[:10].upper()}"


def percent_off(percent: str = "10", **target: list[str]) -> dict[str, Any]:
    return {"kind": "percent_off", "percent": percent, "target": target}


def promotion_body(channel_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """10 % off everything, automatic and stackable, unless told otherwise.

    Tests share one database, and an active automatic promotion for every channel would
    discount every other test's baskets: the default is limited to ``channel_id`` when
    given (the test's own channel), and inactive otherwise."""
    body: dict[str, Any] = {"name": f"Promo {uuid.uuid4().hex[:6]}", "benefit": percent_off()}
    if channel_id is None:
        body["active"] = False
    else:
        body["conditions"] = {"channel_ids": [channel_id]}
    body.update(fields)
    return body


async def create_promotion(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    channel_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body = promotion_body(channel_id, **fields)
    response = await client.post(PROMOTIONS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def coupon_promotion(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """Active, unlocked only by its own (unique) codes: harmless to other tests."""
    return await create_promotion(client, headers, requires_coupon=True, active=True, **fields)


async def add_coupon(
    client: httpx.AsyncClient, headers: dict[str, str], promotion_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"code": unique_code(), **fields}
    response = await client.post(f"{PROMOTIONS}/{promotion_id}/coupons", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def promotion_rows(database: Database, name: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(PromotionRecord).where(PromotionRecord.name == name)
        )
    return int(count or 0)


async def stored_promotion(database: Database, promotion_id: str) -> dict[str, Any]:
    async with database.reader() as session:
        record = await session.get(PromotionRecord, promotion_id)
        assert record is not None
        return {c.name: getattr(record, c.name) for c in PromotionRecord.__table__.columns}


async def coupon(database: Database, code: str) -> CouponCode | None:
    async with database.reader() as session:
        return await session.get(CouponCode, code)


async def coupon_count(database: Database, promotion_id: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(CouponCode)
            .where(CouponCode.promotion_id == promotion_id)
        )
    return int(count or 0)


async def redemptions(database: Database, code: str) -> list[tuple[str, str | None, bool]]:
    """(order id, customer id, released) of each redemption of ``code``."""
    async with database.reader() as session:
        rows = await session.execute(
            select(
                CouponRedemption.order_id,
                CouponRedemption.customer_id,
                CouponRedemption.released_at,
            )
            .where(CouponRedemption.code == code)
            .order_by(CouponRedemption.id)
        )
        return [(order, customer, released is not None) for order, customer, released in rows]
