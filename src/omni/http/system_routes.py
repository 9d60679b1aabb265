"""Operations endpoints: liveness, readiness, metrics."""

from __future__ import annotations

from fastapi import Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from omni.db.migrations import current_revision, head_revision
from omni.http.deps import Access
from omni.http.problems import problem
from omni.http.router import new_router
from omni.kernel.actor import Actor

router = new_router("", ["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz(actor: Actor = Access(public=True)) -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database is reachable and migrated", response_model=None)
async def readyz(request: Request, actor: Actor = Access(public=True)) -> Response | dict[str, str]:
    db = request.app.state.db
    try:
        revision = await current_revision(db)
    except Exception as error:
        return problem(
            503, "not_ready", "Not ready", f"Database unreachable: {type(error).__name__}"
        )
    head = head_revision()
    if revision != head:
        return problem(
            503,
            "not_ready",
            "Not ready",
            "The database is not migrated to head.",
            {"revision": revision, "head": head},
        )
    return {"status": "ready", "revision": revision or ""}


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
async def metrics(actor: Actor = Access(public=True)) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
