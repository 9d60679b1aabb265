"""Changing an order before release (ORD6): cancel lines or units, change quantities,
change the delivery address — re-priced, with its stock and payments following.

In three steps, like checkout:

1. Read and compute (no transaction): the order as it is now (its version noted), the
   quantities asked for, the order re-priced (``change_pricing``), what its payments must
   do (``change_payments.plan``); a tender for an increase is authorized now, outside
   any transaction (key derived from the request's Idempotency-Key).
2. One short unit of work (``change_writes``): the order row is locked and must still be
   at the version read — two concurrent changes cannot both apply to the same state, the
   second gets 409 and retries on fresh state — then stock, lines, totals, payments and
   the change's history row, ``order.changed`` and the audit entry, committed together.
   If it fails, the new authorization is voided and nothing of the change exists.
3. After the commit: refunds and voids through the provider, keyed by the change id.

Cancelling every remaining unit cancels the order through the usual cancel path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omni.db.database import Database
from omni.http.etag import check_version
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, InvalidInput
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.orders import access, change_payments, change_writes
from omni.orders.change_pricing import active_quantity, method_of, reprice
from omni.orders.checkout import PaymentDeclined, TenderRequest, tenders_for
from omni.orders.domain import DELIVERED, EDITABLE, FulfilmentMethod
from omni.orders.queries import OrderView, get_order
from omni.orders.shipping import Address
from omni.payments import api as payments_api


class OrderNotEditable(Conflict):
    code = "order_not_editable"
    title = "The order can no longer be changed"


class PaymentRequired(Conflict):
    code = "payment_required"
    title = "The change costs more: bring a tender for the difference"


@dataclass(frozen=True)
class LineChange:
    line_id: str
    quantity: int  # the units wanted from now on (0: cancel the line)


@dataclass(frozen=True)
class ChangeRequest:
    order_id: str
    lines: tuple[LineChange, ...] = ()
    shipping_address: Address | None = None
    reason: str | None = None
    tenders: tuple[TenderRequest, ...] = ()
    if_match: int | None = None


@dataclass(frozen=True)
class ChangeResult:
    change_id: str
    order_id: str
    payments: dict[str, str]  # payment id → outcome of its refund or void


async def change_order(
    db: Database,
    provider: payments_api.PaymentProvider,
    actor: Actor,
    request: ChangeRequest,
    idempotency_key: str,
) -> ChangeResult:
    async with db.reader() as session:
        view = access.visible(await get_order(session, request.order_id), actor, access.WRITE)
        check_version(request.if_match, view.order.version, "order")
        _check_editable(view)
        quantities = _quantities(view, request.lines)
        address = _address(view, request.shipping_address)
        cancelling = not any(quantities.values())
        priced = None if cancelling else await reprice(session, view, quantities, address)
        payments = await payments_api.payments_of_order(session, view.order.id)
    if not cancelling and address is None and _unchanged(view, quantities):
        raise InvalidInput("Nothing to change.", field="lines")
    new_total = 0 if priced is None else priced.total
    money = change_payments.plan(payments, new_total)
    if cancelling:  # the cancel path voids and cancels what is held; only refunds remain
        money = change_payments.PaymentPlan(refunds=money.refunds)
    outcomes = await _authorize(provider, view, money.due, request.tenders, idempotency_key)
    change = change_writes.Change(
        id=new_id("och"),
        view=view,
        quantities=quantities,
        address=address,
        priced=priced,
        money=money,
        outcomes=outcomes,
        reason=request.reason,
    )
    try:
        await change_writes.write(db.uow(actor), change)
    except BaseException:
        await payments_api.void_outcomes(provider, outcomes)
        raise
    settled = await change_payments.settle(db, provider, change.id, view.order.currency, money)
    if settled:
        await change_writes.record_settlement(db, change.id, settled)
    return ChangeResult(change.id, view.order.id, settled)


def _check_editable(view: OrderView) -> None:
    status = view.order.status
    if status not in EDITABLE:
        raise OrderNotEditable(
            f"An order that is {status} can no longer be changed: it is with the store. "
            "Ask the store to cancel what you no longer want.",
            current_status=status,
            editable_statuses=sorted(EDITABLE),
        )
    if method_of(view) is FulfilmentMethod.CARRY_OUT:
        raise OrderNotEditable("A till sale left with the shopper; return it instead.")


def _quantities(view: OrderView, changes: Sequence[LineChange]) -> dict[str, int]:
    """Units per line after the change (every line of the order)."""
    wanted = {line.id: active_quantity(line) for line in view.lines}
    seen: set[str] = set()
    for change in changes:
        if change.line_id not in wanted:
            raise InvalidInput("No such line in this order.", field="lines", line_id=change.line_id)
        if change.line_id in seen:
            raise InvalidInput("Each line once.", field="lines", line_id=change.line_id)
        seen.add(change.line_id)
        wanted[change.line_id] = change.quantity
    return wanted


def _address(view: OrderView, address: Address | None) -> Address | None:
    if address is None or address.as_dict() == (view.order.shipping_address or {}):
        return None
    if method_of(view) not in DELIVERED:
        raise InvalidInput(
            "Only a delivered order has a shipping address to change.", field="shipping_address"
        )
    return address


def _unchanged(view: OrderView, quantities: dict[str, int]) -> bool:
    return all(quantities[line.id] == active_quantity(line) for line in view.lines)


async def _authorize(
    provider: payments_api.PaymentProvider,
    view: OrderView,
    due: int,
    tenders: tuple[TenderRequest, ...],
    idempotency_key: str,
) -> list[payments_api.AuthorizationOutcome]:
    currency = view.order.currency
    if due <= 0:
        if tenders:
            raise InvalidInput(
                "This change costs nothing more: no payment is needed.", field="payment"
            )
        return []
    if not tenders:
        raise PaymentRequired(
            f"The change costs {Money(due, currency)} more: add a tender for it.",
            amount_due=due,
            currency=currency,
        )
    owed = Money(due, currency)
    plan = payments_api.plan_split_tender(owed, tenders_for(tenders, owed))
    outcomes = await payments_api.authorize_plan(
        provider, plan, idempotency_key=f"{idempotency_key}:pay", metadata={"order": view.order.id}
    )
    if any(o.declined or not o.fully_approved or o.next_action_url for o in outcomes):
        await payments_api.void_outcomes(provider, outcomes)
        raise PaymentDeclined("The payment for the change was not approved; try another card.")
    return outcomes
