"""Use cases: create, change and deactivate promotions.

Each runs in one unit of work and checks the whole promotion (``validation``) before
writing anything: a refusal lists every problem and leaves the database untouched.
Promotions are never deleted — placed orders keep a snapshot, and reports name them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import NotFound
from omni.kernel.ids import new_id
from omni.promotions.events import PromotionCreated, PromotionDeactivated, PromotionUpdated
from omni.promotions.models import PromotionRecord
from omni.promotions.schemas import PromotionIn, PromotionPatch
from omni.promotions.validation import check_promotion, refuse_nulls

_STORED = (
    "name",
    "description",
    "currency",
    "benefit",
    "conditions",
    "starts_at",
    "ends_at",
    "priority",
    "stacking",
    "stacking_group",
    "requires_coupon",
    "active",
)


async def promotion_for_update(uow: UnitOfWork, promotion_id: str) -> PromotionRecord:
    """The promotion, locked on PostgreSQL so its writers (and coupon writers) queue up."""
    record = await uow.session.scalar(
        select(PromotionRecord).where(PromotionRecord.id == promotion_id).with_for_update()
    )
    if record is None:
        raise NotFound("No such promotion.")
    return record


def _stored_values(record: PromotionRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _STORED}


async def create_promotion(uow: UnitOfWork, body: PromotionIn) -> PromotionRecord:
    promotion_id = new_id("prm")
    async with uow:
        checked = await check_promotion(uow.session, body.model_dump(), promotion_id=promotion_id)
        now = uow.clock.now()
        record = PromotionRecord(
            id=promotion_id, **checked.columns, created_at=now, updated_at=now, version=1
        )
        uow.session.add(record)
        uow.record(
            PromotionCreated(
                promotion_id=record.id, kind=record.kind, requires_coupon=record.requires_coupon
            )
        )
        uow.audit("promotion.created", "promotion", record.id, body.model_dump(mode="json"))
        await uow.commit()
    return record


async def update_promotion(
    uow: UnitOfWork, promotion_id: str, patch: PromotionPatch, *, if_match: int | None
) -> PromotionRecord:
    """Change fields; the result is checked whole, as on creation."""
    changes = patch.model_dump(exclude_unset=True)
    refuse_nulls(changes)
    async with uow:
        record = await promotion_for_update(uow, promotion_id)
        check_version(if_match, record.version, "promotion")
        values = _stored_values(record) | changes
        checked = await check_promotion(uow.session, values, promotion_id=record.id)
        changed = sorted(
            name for name, value in checked.columns.items() if getattr(record, name) != value
        )
        if changed:
            for name in changed:
                setattr(record, name, checked.columns[name])
            record.version += 1
            record.updated_at = uow.clock.now()
            uow.record(PromotionUpdated(promotion_id=record.id, fields=changed))
            uow.audit(
                "promotion.updated",
                "promotion",
                record.id,
                patch.model_dump(mode="json", exclude_unset=True),
            )
        await uow.commit()
    return record


async def deactivate_promotion(
    uow: UnitOfWork, promotion_id: str, *, if_match: int | None = None
) -> PromotionRecord:
    """Stop the promotion applying from now on (orders already placed keep it).
    Deactivating an inactive promotion changes nothing."""
    async with uow:
        record = await promotion_for_update(uow, promotion_id)
        check_version(if_match, record.version, "promotion")
        if record.active:
            record.active = False
            record.version += 1
            record.updated_at = uow.clock.now()
            uow.record(PromotionDeactivated(promotion_id=record.id))
            uow.audit("promotion.deactivated", "promotion", record.id, {"active": False})
        await uow.commit()
    return record
