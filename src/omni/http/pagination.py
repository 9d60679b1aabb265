"""Cursor pagination shared by every list endpoint.

Lists are ordered by a unique key (usually the time-sortable id); the cursor is the last
key of the page, opaque to clients (base64url JSON), so pages stay stable while rows are
inserted and cost one index range scan however deep the client pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from omni.kernel.errors import InvalidInput
from omni.settings import get_settings

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    # How many match in all, where a list offers it on request (it costs a query).
    total: int | None = None


class PageParams(BaseModel):
    limit: int
    after: Any = None


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("The cursor is not one this API issued.", param="cursor") from error


def page_params(
    limit: Annotated[int | None, Query(ge=1, description="Page size")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> PageParams:
    settings = get_settings()
    size = min(limit or settings.page_size_default, settings.page_size_max)
    return PageParams(limit=size, after=decode_cursor(cursor) if cursor else None)


def make_page(rows: list[T], params: PageParams, key: Any) -> Page[T]:
    """Build a page from ``limit + 1`` fetched rows; ``key(row)`` gives the cursor value."""
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = encode_cursor(key(rows[-1])) if has_more and rows else None
    return Page[Any](items=rows, next_cursor=next_cursor)
