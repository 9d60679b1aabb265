"""Helpers for loyalty tests: gift cards issued and checked through the API, and the
ledger read back (balances, postings, the invariant check)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.loyalty import api
from omni.loyalty.models import LedgerAccount, LedgerPosting

LOYALTY = "/api/v1/loyalty"
GIFT_CARDS = f"{LOYALTY}/gift-cards"


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def issue_card(
    client: httpx.AsyncClient,
    staff: dict[str, str],
    amount: int,
    currency: str = "USD",
    **fields: Any,
) -> dict[str, Any]:
    """A new card, as issued (its ``code`` is in this answer only)."""
    body = {"amount": amount, "currency": currency, **fields}
    response = await client.post(GIFT_CARDS, json=body, headers=staff | key())
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


async def check_balance(
    client: httpx.AsyncClient, code: str, headers: dict[str, str]
) -> httpx.Response:
    return await client.post(f"{GIFT_CARDS}/balance", json={"code": code}, headers=headers)


async def balance_of(database: Database, account_id: str) -> int:
    async with database.reader() as session:
        account = await session.get(LedgerAccount, account_id, populate_existing=True)
        assert account is not None
        return account.balance


async def postings_of(database: Database, account_id: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(LedgerPosting)
            .where(LedgerPosting.account_id == account_id)
        )
        return int(count or 0)


async def assert_ledger_sound(database: Database) -> None:
    async with database.reader() as session:
        check = await api.verify_ledger(session)
    assert check.sound, check
