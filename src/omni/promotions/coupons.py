"""Use cases: coupon codes — one chosen code, a batch of generated codes, deactivation.

Codes are stored normalised (``domain.normalize_code``: trimmed, upper case) and unique
across all promotions. A batch of generated codes (say 10,000 single-use codes for a
mailing) goes in as multi-row inserts that skip codes already taken; the few collisions
are drawn again, so the batch always has exactly the number asked for.
"""

from __future__ import annotations

import secrets
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.promotions.domain import normalize_code
from omni.promotions.events import CouponBatchCreated, CouponCreated, CouponDeactivated
from omni.promotions.models import CouponCode, PromotionRecord
from omni.promotions.schemas import CouponBatchIn, CouponIn, CouponLimits
from omni.promotions.service import promotion_for_update

COUPONS = cast(Table, CouponCode.__table__)
# No 0/O, 1/I/L: codes are read aloud at tills and typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_DRAWS = 5
GUESS_ODDS = 1_000_000


def _check_limits(promotion: PromotionRecord, limits: CouponLimits) -> None:
    if not promotion.requires_coupon:
        raise Conflict(
            "The promotion is automatic: set requires_coupon before giving it codes.",
            field="requires_coupon",
        )
    if limits.max_uses_per_customer is not None and not promotion.conditions.get(
        "customer_required"
    ):
        # Guests cannot be counted: the promotion must refuse them (the engine then
        # answers `customer_required` before checkout ever tries to count the use).
        raise InvalidInput(
            "A per-customer limit needs signed-in customers: set "
            "conditions.customer_required on the promotion first.",
            field="max_uses_per_customer",
        )
    if (
        limits.max_uses is not None
        and limits.max_uses_per_customer is not None
        and limits.max_uses_per_customer > limits.max_uses
    ):
        raise InvalidInput(
            "max_uses_per_customer cannot exceed max_uses.", field="max_uses_per_customer"
        )


def _row(code: str, promotion_id: str, limits: CouponLimits, now: Any) -> dict[str, Any]:
    return {
        "code": code,
        "promotion_id": promotion_id,
        "max_uses": limits.max_uses,
        "uses": 0,
        "max_uses_per_customer": limits.max_uses_per_customer,
        "active": True,
        "created_at": now,
    }


async def create_coupon(uow: UnitOfWork, promotion_id: str, body: CouponIn) -> CouponCode:
    code = normalize_code(body.code)
    async with uow:
        promotion = await promotion_for_update(uow, promotion_id)
        _check_limits(promotion, body)
        holder = await uow.session.scalar(
            select(CouponCode.promotion_id).where(CouponCode.code == code)
        )
        if holder is not None:
            raise Conflict(f"The code {code} is taken (promotion {holder}).", field="code")
        coupon = CouponCode(**_row(code, promotion.id, body, uow.clock.now()))
        uow.session.add(coupon)
        try:
            await uow.flush()
        except IntegrityError as error:  # lost a race for the same code
            raise Conflict(f"The code {code} was taken meanwhile.", field="code") from error
        uow.record(CouponCreated(promotion_id=promotion.id, code=code))
        uow.audit("coupon.created", "promotion", promotion.id, body.model_dump(mode="json"))
        await uow.commit()
    return coupon


def draw_codes(prefix: str, length: int, count: int) -> set[str]:
    """``count`` distinct random codes ``PREFIX`` + ``length`` characters (cryptographic
    randomness: codes are bearer tokens worth money)."""
    prefix = normalize_code(prefix)
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(prefix + "".join(secrets.choice(ALPHABET) for _ in range(length)))
    return codes


async def _insert_new(uow: UnitOfWork, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose code is free, skipping the others; the codes inserted.
    SQLAlchemy sends them as multi-row INSERTs (1,000 rows per statement)."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(COUPONS).on_conflict_do_nothing(index_elements=["code"])
    result = await uow.session.execute(statement.returning(COUPONS.c.code), rows)
    return set(result.scalars())


async def generate_coupons(uow: UnitOfWork, promotion_id: str, body: CouponBatchIn) -> list[str]:
    """Create ``body.count`` new random codes for the promotion, all or none; the codes."""
    space = len(ALPHABET) ** body.length
    if body.count * GUESS_ODDS > space:
        # Keep guessing hopeless (and collisions rare): at most 1 string in a million of
        # this shape is a valid code.
        raise InvalidInput(
            f"{body.count} codes of {body.length} characters are too easy to guess: "
            "make them longer.",
            field="length",
        )
    async with uow:
        promotion = await promotion_for_update(uow, promotion_id)
        _check_limits(promotion, body)
        now = uow.clock.now()
        created: set[str] = set()
        for _ in range(_DRAWS):
            wanted = draw_codes(body.prefix, body.length, body.count - len(created))
            rows = [_row(code, promotion.id, body, now) for code in sorted(wanted - created)]
            created |= await _insert_new(uow, rows)
            if len(created) == body.count:
                break
        else:  # pragma: no cover - needs astronomically bad luck
            raise Conflict("Could not draw enough free codes; try a longer length.")
        uow.record(
            CouponBatchCreated(
                promotion_id=promotion.id, count=body.count, prefix=normalize_code(body.prefix)
            )
        )
        uow.audit(
            "coupon.batch_created",
            "promotion",
            promotion.id,
            body.model_dump(mode="json"),
        )
        await uow.commit()
    return sorted(created)


async def deactivate_coupon(uow: UnitOfWork, promotion_id: str, code: str) -> CouponCode:
    """The code unlocks nothing any more (e.g. it leaked); its uses stay counted."""
    code = normalize_code(code)
    async with uow:
        coupon = await uow.session.scalar(
            select(CouponCode)
            .where(CouponCode.code == code, CouponCode.promotion_id == promotion_id)
            .with_for_update()
        )
        if coupon is None:
            raise NotFound("No such coupon code for this promotion.")
        if coupon.active:
            coupon.active = False
            uow.record(CouponDeactivated(promotion_id=promotion_id, code=code))
            uow.audit("coupon.deactivated", "promotion", promotion_id, {"code": code})
        await uow.commit()
    return coupon
