"""HTTP endpoints: /inventory/counts (INV8) — cycle counts, scan and RFID uploads,
posting, and inventory accuracy per location.

Reading needs ``inventory.read``. Counting and posting need ``inventory.write``
(anywhere) or ``inventory.write_own`` (a store manager at their own store; other
stores' counts answer 404). Submissions, scan uploads and posting take an
Idempotency-Key: a retried upload must not count the shelf twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Response

from omni.catalog import api as catalog_api
from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.inventory import count_queries, counts, scans
from omni.inventory.count_schemas import (
    AccuracyOut,
    CountedIn,
    CountIn,
    CountOut,
    CountSummaryOut,
    ScanLineOut,
    ScanProblemOut,
    ScanReportOut,
    ScansIn,
    accuracy_out,
    count_out,
    count_summary,
)
from omni.inventory.document_rules import CountStatus
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import api as locations_api

router = new_router("/inventory", ["inventory documents"])
PageDep = Annotated[PageParams, Depends(page_params)]
COUNTS = "/counts"
WRITERS = ("inventory.write", "inventory.write_own")


async def _view(db: Database, count_id: str) -> CountOut:
    async with db.reader() as session:
        view = await count_queries.get_count(session, count_id)
        if view is None:
            raise NotFound(counts.NOT_FOUND)
        skus = await catalog_api.variant_skus(session, [line.variant_id for line in view.lines])
    return count_out(view, skus)


@router.post(COUNTS, summary="Open a cycle count at a location", status_code=201)
async def create_count(
    body: CountIn, db: DbDep, response: Response, actor: Actor = Access(any_of=WRITERS)
) -> CountOut:
    variant_ids = None
    if body.skus is not None:
        async with db.reader() as session:
            variant_ids = list((await counts.variants_for_skus(session, body.skus)).values())
    count_id = await counts.create_count(
        db.uow(actor),
        counts.NewCount(location_id=body.location_id, variant_ids=variant_ids, note=body.note),
    )
    response.headers["Location"] = f"{router.prefix}{COUNTS}/{count_id}"
    return await _view(db, count_id)


@router.get(COUNTS, summary="Counts, newest first")
async def list_counts(
    session: ReaderDep,
    page: PageDep,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    status: CountStatus | None = None,
    actor: Actor = Access("inventory.read"),
) -> Page[CountSummaryOut]:
    found = await count_queries.list_counts(
        session, page, location_id=location_id, status=status.value if status else None
    )
    return make_page([count_summary(count) for count in found], page, key=lambda c: c.id)


@router.get(COUNTS + "/{count_id}", summary="A count: lines, differences, accuracy")
async def get_count(count_id: str, db: DbDep, actor: Actor = Access("inventory.read")) -> CountOut:
    return await _view(db, count_id)


@router.post(
    COUNTS + "/{count_id}/lines",
    summary="Submit counted quantities by SKU (adds to earlier submissions)",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def add_counted(
    count_id: str, body: CountedIn, db: DbDep, actor: Actor = Access(any_of=WRITERS)
) -> CountOut:
    async with db.reader() as session:
        variants = await counts.variants_for_skus(session, [line.sku for line in body.lines])
    counted: dict[str, int] = {}
    for line in body.lines:
        variant_id = variants[line.sku.strip().upper()]
        counted[variant_id] = counted.get(variant_id, 0) + line.quantity
    await counts.add_counted(db.uow(actor), count_id, counted)
    return await _view(db, count_id)


@router.post(
    COUNTS + "/{count_id}/scans",
    summary="Upload barcode scans (GTIN + quantity) or RFID reads (EPC)",
    description="Unusable rows (bad code, unknown item, outside the count) are listed with "
    "their reason; the others are counted. A tag counts once per count.",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def upload_scans(
    count_id: str, body: ScansIn, db: DbDep, actor: Actor = Access(any_of=WRITERS)
) -> ScanReportOut:
    rows = [scans.ScanRow(gtin=i.gtin, epc=i.epc, quantity=i.quantity) for i in body.items]
    result = await scans.upload_scans(db.uow(actor), count_id, rows)
    async with db.reader() as session:
        skus = await catalog_api.variant_skus(session, result.counted)
    return ScanReportOut(
        count_id=count_id,
        rows=len(rows),
        units_counted=sum(result.counted.values()),
        counted=[
            ScanLineOut(variant_id=v, sku=skus.get(v), quantity=q)
            for v, q in result.counted.items()
        ],
        duplicate_tags=result.duplicate_tags,
        problems=[ScanProblemOut(row=p.row, code=p.code, reason=p.reason) for p in result.problems],
    )


@router.post(COUNTS + "/{count_id}/submit", summary="Counting is done: ready to review and post")
async def submit_count(count_id: str, db: DbDep, actor: Actor = Access(any_of=WRITERS)) -> CountOut:
    await counts.submit_count(db.uow(actor), count_id)
    return await _view(db, count_id)


@router.post(COUNTS + "/{count_id}/reopen", summary="Back to counting (before posting)")
async def reopen_count(count_id: str, db: DbDep, actor: Actor = Access(any_of=WRITERS)) -> CountOut:
    await counts.reopen_count(db.uow(actor), count_id)
    return await _view(db, count_id)


@router.post(COUNTS + "/{count_id}/cancel", summary="Drop a count that was not posted")
async def cancel_count(count_id: str, db: DbDep, actor: Actor = Access(any_of=WRITERS)) -> CountOut:
    await counts.cancel_count(db.uow(actor), count_id)
    return await _view(db, count_id)


@router.post(
    COUNTS + "/{count_id}/post",
    summary="Post: correct on hand to the counted quantities (count_correction)",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def post_count(count_id: str, db: DbDep, actor: Actor = Access(any_of=WRITERS)) -> CountOut:
    await counts.post_count(db.uow(actor), count_id)
    return await _view(db, count_id)


@router.get(
    "/locations/{location_id}/accuracy",
    summary="Inventory accuracy at a location over its posted counts",
)
async def location_accuracy(
    location_id: str,
    session: ReaderDep,
    since: Annotated[datetime | None, Query(description="Counts posted from then on")] = None,
    last: Annotated[int | None, Query(ge=1, le=1000, description="Only the last N")] = None,
    actor: Actor = Access("inventory.read"),
) -> AccuracyOut:
    if since is not None and since.tzinfo is None:
        raise InvalidInput("Give 'since' with a UTC offset.", param="since")
    if not await locations_api.location_exists(session, location_id):
        raise NotFound("No such location.")
    accuracy = await count_queries.location_accuracy(session, location_id, since=since, last=last)
    return accuracy_out(accuracy)
