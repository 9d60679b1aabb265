"""HTTP endpoints under /catalog/categories. Reading the tree is public (navigation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response

from omni.catalog import categories, queries
from omni.catalog.models import Category
from omni.catalog.schemas import CategoryIn, CategoryNode, CategoryOut, CategoryPatch
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/catalog", ["catalog"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get("/categories", summary="List categories", response_model=Page[CategoryOut])
async def list_categories(
    session: ReaderDep,
    page: PageDep,
    parent_id: Annotated[str | None, Query(max_length=32)] = None,
    actor: Actor = Access(public=True),
) -> Page[CategoryOut]:
    rows = await queries.list_categories(session, page, parent_id=parent_id)
    return make_page([CategoryOut.model_validate(c) for c in rows], page, key=lambda c: c.id)


@router.get(
    "/categories/tree", summary="The whole category tree", response_model=list[CategoryNode]
)
async def category_tree(
    session: ReaderDep, actor: Actor = Access(public=True)
) -> list[CategoryNode]:
    return await queries.category_tree(session)


@router.post(
    "/categories", summary="Create a category", status_code=201, response_model=CategoryOut
)
async def create_category(
    body: CategoryIn, db: DbDep, response: Response, actor: Actor = Access("catalog.write")
) -> CategoryOut:
    out = await categories.create_category(db.uow(actor), body)
    set_etag(response, out.version)
    return out


@router.get("/categories/{category_id}", summary="A category", response_model=CategoryOut)
async def get_category(
    category_id: str, session: ReaderDep, response: Response, actor: Actor = Access(public=True)
) -> CategoryOut:
    category = await session.get(Category, category_id)
    if category is None:
        raise NotFound("No such category.")
    set_etag(response, category.version)
    return CategoryOut.model_validate(category)


@router.patch(
    "/categories/{category_id}",
    summary="Rename, move or reorder a category",
    response_model=CategoryOut,
)
async def update_category(
    category_id: str,
    body: CategoryPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access("catalog.write"),
) -> CategoryOut:
    out = await categories.update_category(
        db.uow(actor), category_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, out.version)
    return out


@router.delete("/categories/{category_id}", summary="Delete an empty category", status_code=204)
async def delete_category(
    category_id: str, db: DbDep, actor: Actor = Access("catalog.write")
) -> Response:
    await categories.delete_category(db.uow(actor), category_id)
    return Response(status_code=204)
