"""Small helpers shared by the catalog's use cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omni.catalog import domain
from omni.catalog.models import Category, Product
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput, NotFound

T = TypeVar("T")


def checked(rule: Callable[..., T], *args: object) -> T:
    """Apply a pure rule; a broken rule becomes a 422 naming the offending field."""
    try:
        return rule(*args)
    except domain.CatalogRuleBroken as error:
        raise InvalidInput(str(error), field=error.field) from error


@contextmanager
def unique_race(message: str) -> Iterator[None]:
    """A unique index that caught a concurrent writer becomes a 409.

    Our own checks run first and give precise answers; this only covers the race
    between check and commit. It must wrap every query after the first change, since
    autoflush may send the clashing row with any of them, not just the final flush.
    """
    try:
        yield
    except IntegrityError as error:
        raise Conflict(message) from error


async def flush_or_conflict(uow: UnitOfWork, message: str) -> None:
    with unique_race(message):
        await uow.flush()


async def product_for_update(uow: UnitOfWork, product_id: str) -> Product:
    product = await uow.session.get(Product, product_id)
    if product is None:
        raise NotFound("No such product.")
    return product


def touch(uow: UnitOfWork, product: Product) -> None:
    """Mark the product (the aggregate) changed: new ETag, found by updated_since."""
    product.version += 1
    product.updated_at = uow.clock.now()


async def check_categories_exist(uow: UnitOfWork, category_ids: Sequence[str]) -> list[str]:
    wanted = sorted(set(category_ids))
    if not wanted:
        return []
    known = set(await uow.session.scalars(select(Category.id).where(Category.id.in_(wanted))))
    missing = [c for c in wanted if c not in known]
    if missing:
        raise InvalidInput(f"Unknown categories: {', '.join(missing)}.", field="category_ids")
    return wanted
