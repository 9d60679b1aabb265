"""HTTP endpoints under /loyalty: gift cards (LOY4), store credit, a shopper's own
balances, an account's ledger history.

Staff and API clients issue and top up with ``loyalty.manage`` and read with
``loyalty.read``; a shopper reads only their own balances (``/loyalty/me``). Anyone may
check a gift card's balance by its code — in the body, never in a URL (URLs are logged)
— rate-limited per client. A code is answered in full once, when the card is issued.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED, IDEMPOTENCY_UNSUPPORTED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.kernel.money import Money
from omni.loyalty import gift_cards, queries, service
from omni.loyalty.domain import AccountKind, grouped, mask
from omni.loyalty.errors import IdempotencyKeyMissing
from omni.loyalty.models import LedgerAccount
from omni.loyalty.schemas import (
    AccountOut,
    AmountIn,
    BalanceCheckIn,
    CustomerBalancesOut,
    GiftCardBalanceOut,
    GiftCardIssuedOut,
    GiftCardIssueIn,
    GiftCardOut,
    PostingOut,
    StoreCreditIn,
)

router = new_router("/loyalty", ["loyalty"])
PageDep = Annotated[PageParams, Depends(page_params)]
KeyHeader = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=255)]
OptionalKeyHeader = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255)
]


@router.post(
    "/gift-cards",
    summary="Issue a gift card (the full code is in this answer only)",
    status_code=201,
    response_model=GiftCardIssuedOut,
    # The answer carries the code, so it is never stored for replay: the required key
    # names the ledger entry instead, and a retry answers the card, masked.
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def issue_gift_card(
    body: GiftCardIssueIn,
    db: DbDep,
    response: Response,
    idempotency_key: OptionalKeyHeader = None,
    actor: Actor = Access("loyalty.manage"),
) -> GiftCardIssuedOut:
    if not idempotency_key:  # the same answer as where the shared route class checks
        raise IdempotencyKeyMissing("Send an Idempotency-Key header with this request.")
    issued = await service.issue_gift_card(
        db,
        actor,
        Money(body.amount, body.currency),
        form=body.form,
        idempotency_key=idempotency_key,
        number=body.number,
        customer_id=body.customer_id,
    )
    if issued.code is None:
        response.status_code = 200  # a retry: the card exists, its code was shown once
    response.headers["Location"] = f"/api/v1/loyalty/gift-cards/{issued.card.id}"
    response.headers["Cache-Control"] = "no-store"
    out = GiftCardOut.of(issued.card).model_dump()
    return GiftCardIssuedOut(**out, code=grouped(issued.code) if issued.code else None)


@router.post(
    "/gift-cards/balance",
    summary="A gift card's balance by its code (rate-limited per client)",
    response_model=GiftCardBalanceOut,
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def gift_card_balance(
    body: BalanceCheckIn, db: DbDep, request: Request, actor: Actor = Access(public=True)
) -> GiftCardBalanceOut:
    card = await service.check_balance(db, _client_key(request, actor), body.code)
    return GiftCardBalanceOut(
        shown=mask(card.code_last or ""), currency=card.unit, balance=card.balance
    )


def _client_key(request: Request, actor: Actor) -> str:
    """Who is asking: the signed-in principal, else the client address (behind a proxy,
    run the server with --proxy-headers so this is the real client's)."""
    if actor.id is not None:
        return f"{actor.kind.value}:{actor.id}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


@router.get("/gift-cards/{card_id}", summary="A gift card (masked)", response_model=GiftCardOut)
async def get_gift_card(
    card_id: str, session: ReaderDep, actor: Actor = Access("loyalty.read", customers=True)
) -> GiftCardOut:
    card = await gift_cards.card_by_id(session, card_id)
    _check_own(actor, card.customer_id)
    return GiftCardOut.of(card)


def _check_own(actor: Actor, customer_id: str | None) -> None:
    """A shopper sees their own balances only; anything else does not exist for them."""
    if actor.is_customer and (customer_id is None or actor.id != customer_id):
        raise NotFound("Not found.")


@router.post(
    "/gift-cards/{card_id}/top-ups",
    summary="Add value to a gift card",
    response_model=GiftCardOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def top_up_gift_card(
    card_id: str,
    body: AmountIn,
    db: DbDep,
    idempotency_key: KeyHeader,
    actor: Actor = Access("loyalty.manage"),
) -> GiftCardOut:
    card = await service.top_up_gift_card(
        db, actor, card_id, body.amount, idempotency_key=idempotency_key
    )
    return GiftCardOut.of(card)


@router.post("/gift-cards/{card_id}/block", summary="Block a card", response_model=GiftCardOut)
async def block_gift_card(
    card_id: str, db: DbDep, actor: Actor = Access("loyalty.manage")
) -> GiftCardOut:
    return GiftCardOut.of(await service.set_gift_card_status(db, actor, card_id, "blocked"))


@router.post("/gift-cards/{card_id}/unblock", summary="Unblock a card", response_model=GiftCardOut)
async def unblock_gift_card(
    card_id: str, db: DbDep, actor: Actor = Access("loyalty.manage")
) -> GiftCardOut:
    return GiftCardOut.of(await service.set_gift_card_status(db, actor, card_id, "active"))


@router.get(
    "/store-credit/{customer_id}",
    summary="A customer's store credit, points and gift cards",
    response_model=CustomerBalancesOut,
)
async def customer_balances(
    customer_id: str, session: ReaderDep, actor: Actor = Access("loyalty.read", customers=True)
) -> CustomerBalancesOut:
    _check_own(actor, customer_id)
    return await _balances(session, customer_id)


@router.post(
    "/store-credit/{customer_id}",
    summary="Grant store credit to a customer",
    response_model=CustomerBalancesOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def grant_store_credit(
    customer_id: str,
    body: StoreCreditIn,
    db: DbDep,
    idempotency_key: KeyHeader,
    actor: Actor = Access("loyalty.manage"),
) -> CustomerBalancesOut:
    await service.issue_store_credit(
        db,
        actor,
        customer_id,
        Money(body.amount, body.currency),
        reason=body.reason,
        idempotency_key=idempotency_key,
    )
    async with db.reader() as session:
        return await _balances(session, customer_id)


@router.get(
    "/me", summary="My store credit, points and gift cards", response_model=CustomerBalancesOut
)
async def my_balances(
    session: ReaderDep, actor: Actor = Access(customers=True)
) -> CustomerBalancesOut:
    if actor.id is None:
        raise NotFound("No balances.")
    return await _balances(session, actor.id)


@router.get(
    "/accounts/{account_id}/postings",
    summary="The ledger history of an account, newest first",
    response_model=Page[PostingOut],
)
async def account_history(
    account_id: str,
    session: ReaderDep,
    page: PageDep,
    actor: Actor = Access("loyalty.read", customers=True),
) -> Page[PostingOut]:
    account = await session.get(LedgerAccount, account_id)
    if account is None:
        raise NotFound("No such account.")
    _check_own(actor, account.customer_id)
    rows = await queries.history(session, account_id, page)
    return make_page([PostingOut(**row) for row in rows], page, key=lambda p: p.id)


async def _balances(session: AsyncSession, customer_id: str) -> CustomerBalancesOut:
    kinds = (AccountKind.STORE_CREDIT, AccountKind.POINTS, AccountKind.GIFT_CARD)
    accounts = await queries.accounts_of_customer(session, customer_id, kinds)

    def of(kind: AccountKind) -> list[LedgerAccount]:
        return [a for a in accounts if a.kind == kind.value]

    return CustomerBalancesOut(
        customer_id=customer_id,
        store_credit=[AccountOut.of(a) for a in of(AccountKind.STORE_CREDIT)],
        points=[AccountOut.of(a) for a in of(AccountKind.POINTS)],
        gift_cards=[GiftCardOut.of(a) for a in of(AccountKind.GIFT_CARD)],
    )
