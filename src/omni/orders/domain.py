"""Pure order rules: the status machine, fulfilment methods, order numbers.

An order's status says where it is in its life; each transition is explicit, and anything
else is refused (409) without changing the order:

    pending_payment ──paid──▶ placed ──release──▶ released ──fulfil (part)──▶ partially_fulfilled
          │                    │  ▲                  │                              │
          └──cancel──▶ cancelled ◀──────cancel───────┘                       fulfil (rest)
                               │  │                                                 ▼
                         hold ▼  │ resume                                        fulfilled
                            on_hold

A carry-out sale at a till is placed and fulfilled in the same moment (both steps are
in its history). Orders can be edited (lines, quantities, address) only before release:
once a location is picking, changes go through cancellation of lines.
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"  # waiting for a payment link or 3-D Secure
    PLACED = "placed"  # accepted and paid (or authorised): stock reserved
    ON_HOLD = "on_hold"  # kept back (payment review, customer request)
    RELEASED = "released"  # handed to the fulfilling location(s)
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PLACED: frozenset(
        {OrderStatus.RELEASED, OrderStatus.ON_HOLD, OrderStatus.CANCELLED, OrderStatus.FULFILLED}
    ),
    OrderStatus.ON_HOLD: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.RELEASED: frozenset(
        {OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PARTIALLY_FULFILLED: frozenset({OrderStatus.FULFILLED}),
    OrderStatus.FULFILLED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

EDITABLE = frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED, OrderStatus.ON_HOLD})


def can_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def allowed_from(target: OrderStatus) -> frozenset[OrderStatus]:
    """The statuses an order may be in to move to ``target`` (for conditional updates)."""
    return frozenset(status for status, nexts in TRANSITIONS.items() if target in nexts)


class FulfilmentMethod(StrEnum):
    SHIP = "ship"
    PICKUP = "pickup"
    CURBSIDE = "curbside"
    SAME_DAY = "same_day"
    SHIP_TO_STORE = "ship_to_store"
    CARRY_OUT = "carry_out"  # the shopper walks out with it (POS)


AT_A_STORE = frozenset({FulfilmentMethod.PICKUP, FulfilmentMethod.CURBSIDE})
DELIVERED = frozenset({FulfilmentMethod.SHIP, FulfilmentMethod.SAME_DAY})


def web_order_number(order_id: str) -> str:
    """A readable number derived from the (unique) order id: no counter row that every
    web order would queue on. ``ord_01JD5Z6Q6X9K2V3M4N5P6R7S8T`` → ``W-3M4N-5P6R-7S8T``:
    the id's last 12 characters (its random part, which also tells apart ids made in the
    same millisecond), grouped for reading aloud on the phone."""
    tail = order_id.split("_", 1)[1][-12:]
    return "W-" + "-".join(tail[i : i + 4] for i in range(0, 12, 4))


def receipt_number(location_code: str, register: str | int, sequence: int) -> str:
    """A till receipt, numbered per till so stores (and tills) never wait on each other:
    ``SOHO-T1-000042``, or ``SOHO-01-000042`` for a till known by its number."""
    till = f"{register:02d}" if isinstance(register, int) else register.upper()
    return f"{location_code.upper()}-{till}-{sequence:06d}"
