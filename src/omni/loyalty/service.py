"""Use cases behind the HTTP endpoints: one command, one transaction.

Requests that move money are named by ``request_id`` (the caller and its
Idempotency-Key, hashed): the ledger keys their entry by it, so a retry posts nothing
more and answers what the first did.
"""

from __future__ import annotations

import hashlib

from omni.customers import api as customers_api
from omni.db.database import Database
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.loyalty import credit, gift_cards, rate_limit
from omni.loyalty.domain import CodeForm
from omni.loyalty.models import LedgerAccount


def request_id(actor: Actor, idempotency_key: str) -> str:
    """A journal source id for a client's request: scoped to the caller, bounded length."""
    scoped = f"{actor.kind.value}:{actor.id}:{idempotency_key}"
    return "req_" + hashlib.sha256(scoped.encode()).hexdigest()[:40]


async def issue_gift_card(
    db: Database,
    actor: Actor,
    value: Money,
    *,
    form: CodeForm,
    idempotency_key: str,
    number: str | None = None,
    customer_id: str | None = None,
) -> gift_cards.IssuedCard:
    if customer_id is not None:
        await _check_customer(db, customer_id)
    async with db.uow(actor) as uow:
        issued = await gift_cards.issue(
            uow,
            db.settings.loyalty_code_secret,
            value,
            form=form,
            request_id=request_id(actor, idempotency_key),
            number=number,
            customer_id=customer_id,
        )
        await uow.commit()
    return issued


async def top_up_gift_card(
    db: Database, actor: Actor, card_id: str, amount: int, *, idempotency_key: str
) -> LedgerAccount:
    async with db.uow(actor) as uow:
        card = await gift_cards.top_up(
            uow, card_id, amount, request_id=request_id(actor, idempotency_key)
        )
        await uow.commit()
    return card


async def set_gift_card_status(
    db: Database, actor: Actor, card_id: str, status: str
) -> LedgerAccount:
    async with db.uow(actor) as uow:
        card = await gift_cards.set_status(uow, card_id, status)
        await uow.commit()
    return card


async def check_balance(db: Database, client_key: str, code: str) -> LedgerAccount:
    """A gift card's balance by its code, rate-limited per client: each check counts,
    found or not, before the lookup."""
    await rate_limit.take(
        db, f"gift_card_balance:{client_key}", db.settings.loyalty_balance_checks_per_minute
    )
    async with db.reader() as session:
        return await gift_cards.card_by_code(session, db.settings.loyalty_code_secret, code)


async def issue_store_credit(
    db: Database,
    actor: Actor,
    customer_id: str,
    value: Money,
    *,
    reason: str,
    idempotency_key: str,
) -> None:
    await _check_customer(db, customer_id)
    async with db.uow(actor) as uow:
        await credit.issue_store_credit(
            uow, customer_id, value, reason=reason, request_id=request_id(actor, idempotency_key)
        )
        await uow.commit()


async def _check_customer(db: Database, customer_id: str) -> None:
    async with db.reader() as session:
        if not await customers_api.customer_exists(session, customer_id):
            raise InvalidInput("No such customer.", field="customer_id")
