"""Use cases: publish a product on a channel, or take it off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog.common import product_for_update
from omni.catalog.events import ProductPublished, ProductUnpublished
from omni.catalog.models import Publication
from omni.catalog.schemas import PublicationOut
from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.kernel.errors import InvalidInput, NotFound


async def publish(
    uow: UnitOfWork, product_id: str, channel_id: str, *, published_at: datetime | None
) -> PublicationOut:
    """Offer the product on the channel from ``published_at`` (now if None).

    Shoppers see it there only while the product is also active: publication and
    status are independent, so a product can be prepared on every channel as a draft
    and go live everywhere at once by activating it.
    """
    if published_at is not None and published_at.tzinfo is None:
        raise InvalidInput("published_at needs a time zone.", field="published_at")
    async with uow:
        product = await product_for_update(uow, product_id)
        if not await channels_api.channel_exists(uow.session, channel_id):
            raise NotFound(f"No such channel {channel_id}.")
        now = uow.clock.now()
        row = await uow.session.get(Publication, (product.id, channel_id))
        if row is None:
            row = Publication(product_id=product.id, channel_id=channel_id)
            uow.session.add(row)
        row.published = True
        row.published_at = published_at or now
        row.updated_at = now
        uow.record(
            ProductPublished(
                product_id=product.id,
                channel_id=channel_id,
                published_at=row.published_at.isoformat(),
            )
        )
        uow.audit(
            "catalog.product_published",
            "product",
            product.id,
            {"channel_id": channel_id, "published_at": row.published_at.isoformat()},
        )
        await uow.flush()
        out = PublicationOut.model_validate(row)
        await uow.commit()
    return out


async def unpublish(uow: UnitOfWork, product_id: str, channel_id: str) -> None:
    """Take the product off the channel; repeating it changes nothing."""
    async with uow:
        product = await product_for_update(uow, product_id)
        row = await uow.session.get(Publication, (product.id, channel_id))
        if row is None or not row.published:
            return
        row.published = False
        row.updated_at = uow.clock.now()
        uow.record(ProductUnpublished(product_id=product.id, channel_id=channel_id))
        uow.audit("catalog.product_unpublished", "product", product.id, {"channel_id": channel_id})
        await uow.commit()


async def publications_of(session: AsyncSession, product_id: str) -> list[PublicationOut]:
    rows = await session.scalars(
        select(Publication)
        .where(Publication.product_id == product_id)
        .order_by(Publication.channel_id)
    )
    return [PublicationOut.model_validate(row) for row in rows]
