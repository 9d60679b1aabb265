"""Store registers (PAY4): a till's session from its opening float to its cash count.

What the drawer should hold is ``opening float + cash sales - cash refunds + pay-ins -
pay-outs - drops``; at close the counted cash is compared with it (over > 0, short < 0).
Totals are changed by conditional SQL updates on the session row (``cash_sales =
cash_sales + :x WHERE status = 'open'``), so two tills' worth of concurrent sales and a
close racing a sale cannot lose or add money; pay-outs, drops and cash refunds never take
the drawer below zero. One open session per till is a partial unique index: two
associates opening the same till at once get one session and one 409.

Store staff act only at their stores; other stores' sessions answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.locations import api as locations_api
from omni.payments.errors import money_fields
from omni.payments.events import RegisterSessionClosed, RegisterSessionOpened
from omni.payments.models import CashMovement, RegisterSession
from omni.payments.tenders import cash_change
from omni.permissions import can_act_in_store

NOT_FOUND = "No such register session."
RS = RegisterSession
DRAWER = RS.opening_float + RS.cash_sales - RS.cash_refunds + RS.pay_ins - RS.pay_outs - RS.drops


class MovementKind(StrEnum):
    PAY_IN = "pay_in"  # cash added (change from the bank)
    PAY_OUT = "pay_out"  # cash paid out of the till (a delivery tip, petty cash)
    DROP = "drop"  # cash moved to the safe during the day


_COLUMN = {
    MovementKind.PAY_IN: RS.pay_ins,
    MovementKind.PAY_OUT: RS.pay_outs,
    MovementKind.DROP: RS.drops,
}


class RegisterAlreadyOpen(Conflict):
    code = "register_already_open"
    title = "The register already has an open session"


class RegisterSessionClosedError(Conflict):
    code = "register_session_closed"
    title = "The register session is closed"


class InsufficientCashInDrawer(Conflict):
    code = "insufficient_cash_in_drawer"
    title = "Not that much cash in the drawer"


@dataclass(frozen=True)
class ClosedSession:
    session_id: str
    expected: Money
    counted: Money

    @property
    def over_short(self) -> Money:
        return self.counted - self.expected


async def open_session(
    uow: UnitOfWork,
    location_id: str,
    register_id: str,
    opening_float: Money,
    *,
    note: str | None = None,
) -> str:
    """Open the till ``register_id`` at a store with ``opening_float`` in the drawer."""
    if opening_float.amount < 0:
        raise InvalidInput("The opening float cannot be negative.", field="opening_float")
    async with uow:
        if not can_act_in_store(uow.actor, location_id):
            raise NotFound("No such location.")
        found = await locations_api.get_locations(uow.session, [location_id])
        if location_id not in found:
            raise NotFound("No such location.")
        await _refuse_if_open(uow, location_id, register_id)
        now = uow.clock.now()
        session_id = new_id("rgs")
        uow.session.add(
            RegisterSession(
                id=session_id,
                location_id=location_id,
                register_id=register_id,
                business_date=now.astimezone(ZoneInfo(found[location_id].time_zone)).date(),
                currency=opening_float.currency,
                status="open",
                opening_float=opening_float.amount,
                cash_sales=0,
                cash_refunds=0,
                pay_ins=0,
                pay_outs=0,
                drops=0,
                sales_count=0,
                refunds_count=0,
                opened_by=uow.actor.id,
                opened_at=now,
                note=note,
                version=1,
            )
        )
        try:
            await uow.flush()
        except IntegrityError:
            # Lost the race with another opening of the same till (partial unique index).
            await uow.rollback()
            await _refuse_if_open(uow, location_id, register_id)
            raise
        uow.record(
            RegisterSessionOpened(
                session_id=session_id,
                location_id=location_id,
                register_id=register_id,
                opening_float=opening_float.amount,
                currency=opening_float.currency,
            )
        )
        uow.audit("registers.session_opened", "register_session", session_id)
        await uow.commit()
    return session_id


@dataclass(frozen=True)
class TillSession:
    """An open till session a sale can be rung on."""

    id: str
    location_id: str
    register_id: str
    currency: str


async def till_session(session: AsyncSession, actor: Actor, session_id: str) -> TillSession:
    """The open session ``session_id`` if ``actor`` may sell at its store: 404 for
    another store's (or no) session, 409 once it is closed. A read: the sale's own
    conditional update on the session row settles a close racing the sale."""
    found = await session.get(RS, session_id)
    if found is None or not can_act_in_store(actor, found.location_id):
        raise NotFound(NOT_FOUND)
    if found.status != "open":
        raise RegisterSessionClosedError("The register session is closed.", session_id=found.id)
    return TillSession(found.id, found.location_id, found.register_id, found.currency)


async def _refuse_if_open(uow: UnitOfWork, location_id: str, register_id: str) -> None:
    open_id = await uow.session.scalar(
        select(RS.id).where(
            RS.location_id == location_id, RS.register_id == register_id, RS.status == "open"
        )
    )
    if open_id is not None:
        raise RegisterAlreadyOpen(
            "This register is already open: close its session first.", session_id=open_id
        )


async def _scoped(uow: UnitOfWork, session_id: str) -> RegisterSession:
    found = await uow.session.get(RS, session_id)
    if found is None or not can_act_in_store(uow.actor, found.location_id):
        raise NotFound(NOT_FOUND)
    return found


def _check_currency(found: RegisterSession, amount: Money, field: str) -> None:
    if amount.currency != found.currency:
        raise InvalidInput(
            f"The register counts {found.currency}, not {amount.currency}.", field=field
        )
    if amount.amount <= 0 and field != "counted":
        raise InvalidInput("Amounts must be positive.", field=field)


async def _change_totals(
    uow: UnitOfWork,
    found: RegisterSession,
    values: dict[str, Any],
    *,
    takes_out: int = 0,
) -> None:
    """Add to the session's totals if it is open (and, for cash leaving the drawer, if
    the drawer holds that much); explain the refusal otherwise."""
    conditions = [RS.id == found.id, RS.status == "open"]
    if takes_out:
        conditions.append(takes_out <= DRAWER)
    changed = await uow.session.execute(
        update(RS).where(*conditions).values(version=RS.version + 1, **values).returning(RS.id)
    )
    if changed.first() is not None:
        return
    status, drawer = (
        await uow.session.execute(select(RS.status, DRAWER).where(RS.id == found.id))
    ).one()
    if status != "open":
        raise RegisterSessionClosedError("The register session is closed.", session_id=found.id)
    raise InsufficientCashInDrawer(
        "The drawer does not hold that much cash.",
        **money_fields("drawer", Money(int(drawer), found.currency)),
        **money_fields("requested", Money(takes_out, found.currency)),
    )


def _movement(
    uow: UnitOfWork, session_id: str, kind: str, amount: Money, **fields: Any
) -> CashMovement:
    movement = CashMovement(
        id=new_id("cmv"),
        session_id=session_id,
        kind=kind,
        amount=amount.amount,
        actor_id=uow.actor.id,
        at=uow.clock.now(),
        **fields,
    )
    uow.session.add(movement)
    return movement


async def record_movement(
    uow: UnitOfWork, session_id: str, kind: MovementKind, amount: Money, reason: str
) -> str:
    """A pay-in, pay-out or drop to the safe, with its reason; the movement id."""
    if not reason.strip():
        raise InvalidInput("Say why cash moves.", field="reason")
    async with uow:
        found = await _scoped(uow, session_id)
        _check_currency(found, amount, "amount")
        column = _COLUMN[kind]
        takes_out = amount.amount if kind is not MovementKind.PAY_IN else 0
        await _change_totals(uow, found, {column.key: column + amount.amount}, takes_out=takes_out)
        movement = _movement(uow, session_id, kind.value, amount, reason=reason)
        uow.audit(
            f"registers.{kind.value}",
            "register_session",
            session_id,
            {"amount": amount.amount, "reason": reason},
        )
        await uow.commit()
    return movement.id


async def record_cash_tender(
    uow: UnitOfWork,
    session_id: str,
    amount: Money,
    tendered: Money,
    change: Money,
    *,
    payment_id: str | None = None,
    order_id: str | None = None,
) -> str:
    """A cash sale at the till, INSIDE the caller's unit of work (the POS order's): the
    drawer gains ``amount`` (``tendered`` in, ``change`` out). The movement id."""
    if cash_change(amount, tendered) != change:
        raise InvalidInput("Change must be what was tendered minus the amount.", field="change")
    found = await _scoped(uow, session_id)
    _check_currency(found, amount, "amount")
    await _change_totals(
        uow,
        found,
        {"cash_sales": RS.cash_sales + amount.amount, "sales_count": RS.sales_count + 1},
    )
    movement = _movement(
        uow,
        session_id,
        "sale",
        amount,
        tendered=tendered.amount,
        change=change.amount,
        payment_id=payment_id,
        order_id=order_id,
    )
    return movement.id


async def record_cash_refund(
    uow: UnitOfWork,
    session_id: str,
    amount: Money,
    *,
    payment_id: str | None = None,
    order_id: str | None = None,
) -> str:
    """Cash handed back at the till, INSIDE the caller's unit of work (a refund)."""
    found = await _scoped(uow, session_id)
    _check_currency(found, amount, "amount")
    await _change_totals(
        uow,
        found,
        {"cash_refunds": RS.cash_refunds + amount.amount, "refunds_count": RS.refunds_count + 1},
        takes_out=amount.amount,
    )
    movement = _movement(
        uow, session_id, "refund", amount, payment_id=payment_id, order_id=order_id
    )
    return movement.id


async def close_session(
    uow: UnitOfWork, session_id: str, counted: Money, *, note: str | None = None
) -> ClosedSession:
    """Close with the cash counted in the drawer; expected and over/short are stored."""
    if counted.amount < 0:
        raise InvalidInput("Counted cash cannot be negative.", field="counted")
    async with uow:
        found = await _scoped(uow, session_id)
        _check_currency(found, counted, "counted")
        closed = await uow.session.execute(
            update(RS)
            .where(RS.id == session_id, RS.status == "open")
            .values(
                status="closed",
                closed_at=uow.clock.now(),
                closed_by=uow.actor.id,
                counted=counted.amount,
                expected=DRAWER,
                over_short=counted.amount - DRAWER,
                note=note if note is not None else found.note,
                version=RS.version + 1,
            )
            .returning(RS.expected)
        )
        expected = closed.scalar_one_or_none()
        if expected is None:
            raise RegisterSessionClosedError(
                "The register session is closed.", session_id=session_id
            )
        result = ClosedSession(session_id, Money(int(expected), found.currency), counted)
        uow.record(
            RegisterSessionClosed(
                session_id=session_id,
                location_id=found.location_id,
                register_id=found.register_id,
                expected=result.expected.amount,
                counted=counted.amount,
                over_short=result.over_short.amount,
                currency=found.currency,
            )
        )
        uow.audit(
            "registers.session_closed",
            "register_session",
            session_id,
            {"expected": result.expected.amount, "counted": counted.amount},
        )
        await uow.commit()
    return result
