"""Use cases: the category tree (create, rename, move, delete)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omni.catalog import domain
from omni.catalog.common import checked, flush_or_conflict, unique_race
from omni.catalog.events import CategoryChanged
from omni.catalog.models import Category, ProductCategory
from omni.catalog.schemas import CategoryIn, CategoryOut, CategoryPatch
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id


async def _ensure_slug_free(uow: UnitOfWork, slug: str, owner: str | None = None) -> None:
    holder = await uow.session.scalar(select(Category.id).where(Category.slug == slug))
    if holder is not None and holder != owner:
        raise Conflict(f"The slug {slug!r} is taken by category {holder}.", field="slug")


async def _ensure_parent_exists(uow: UnitOfWork, parent_id: str) -> None:
    if await uow.session.get(Category, parent_id) is None:
        raise InvalidInput(f"Unknown parent category {parent_id}.", field="parent_id")


def _slug(value: str) -> str:
    try:
        return domain.check_handle(value)
    except domain.CatalogRuleBroken as error:
        raise InvalidInput(str(error).replace("handle", "slug"), field="slug") from error


async def create_category(uow: UnitOfWork, data: CategoryIn) -> CategoryOut:
    slug = _slug(data.slug) if data.slug else checked(domain.slugify, data.name)
    async with uow:
        await _ensure_slug_free(uow, slug)
        if data.parent_id:
            await _ensure_parent_exists(uow, data.parent_id)
        now = uow.clock.now()
        category = Category(
            id=new_id("cat"),
            parent_id=data.parent_id,
            slug=slug,
            name=data.name,
            position=data.position,
            created_at=now,
            updated_at=now,
            version=1,
        )
        uow.session.add(category)
        await flush_or_conflict(uow, "Another category took this slug meanwhile.")
        uow.record(CategoryChanged(category_id=category.id, change="created"))
        uow.audit("catalog.category_created", "category", category.id, {"slug": slug})
        out = CategoryOut.model_validate(category)
        await uow.commit()
    return out


async def update_category(
    uow: UnitOfWork, category_id: str, patch: CategoryPatch, *, if_match: int | None
) -> CategoryOut:
    changes = patch.model_dump(exclude_unset=True)
    for name in ("name", "slug", "position"):
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)
    async with uow:
        category = await uow.session.get(Category, category_id)
        if category is None:
            raise NotFound("No such category.")
        check_version(if_match, category.version, "category")
        with unique_race("Another category took this slug meanwhile."):
            await _apply_category_changes(uow, category, changes)
            category.version += 1
            category.updated_at = uow.clock.now()
            await uow.flush()
        change = "moved" if "parent_id" in changes else "updated"
        uow.record(CategoryChanged(category_id=category.id, change=change))
        uow.audit("catalog.category_updated", "category", category.id, changes)
        out = CategoryOut.model_validate(category)
        await uow.commit()
    return out


async def _apply_category_changes(
    uow: UnitOfWork, category: Category, changes: dict[str, Any]
) -> None:
    if "slug" in changes:
        slug = _slug(changes["slug"])
        await _ensure_slug_free(uow, slug, owner=category.id)  # before assigning: autoflush
        category.slug = slug
    if "parent_id" in changes and changes["parent_id"] != category.parent_id:
        parent_id = changes["parent_id"]
        if parent_id is not None:
            await _ensure_parent_exists(uow, parent_id)
            rows = await uow.session.execute(select(Category.id, Category.parent_id))
            parents = {child: parent for child, parent in rows}
            if domain.would_cycle(parents, category.id, parent_id):
                raise InvalidInput(
                    "A category cannot move under itself or its descendants.", field="parent_id"
                )
        category.parent_id = parent_id
    for name in ("name", "position"):
        if name in changes:
            setattr(category, name, changes[name])


async def delete_category(uow: UnitOfWork, category_id: str) -> None:
    """Delete an empty category; one with subcategories or products is refused."""
    async with uow:
        category = await uow.session.get(Category, category_id)
        if category is None:
            raise NotFound("No such category.")
        child = await uow.session.scalar(
            select(Category.id).where(Category.parent_id == category_id).limit(1)
        )
        if child is not None:
            raise Conflict("Move or delete its subcategories first.")
        product = await uow.session.scalar(
            select(ProductCategory.product_id)
            .where(ProductCategory.category_id == category_id)
            .limit(1)
        )
        if product is not None:
            raise Conflict("Products are still in this category; take them out first.")
        await uow.session.delete(category)
        uow.record(CategoryChanged(category_id=category_id, change="deleted"))
        uow.audit("catalog.category_deleted", "category", category_id, {"slug": category.slug})
        await uow.commit()
