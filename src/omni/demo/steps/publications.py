"""Step: which products each channel offers (CH2 publication).

Active products are on the web, the app, the call center and every till; a curated
third on Instagram and a selection on the marketplace. Drafts are scheduled to appear
online soon (or not yet published); archived products were taken off. The small
Williamsburg shop has no room for rugs, lamps and mirrors.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from omni.catalog.models import Publication
from omni.demo.context import BuildContext

EVERYWHERE = ("web", "app", "pos", "call_center")
BULKY = frozenset({"rugs", "lighting", "wall-decor"})
SMALL_STORE_CHANNEL = "pos-nyc-wburg"
SOCIAL_SHARE = 0.35
MARKETPLACE_SHARE = 0.4
# Instagram sells what photographs well.
SOCIAL_CATEGORIES_BIAS = ("women-", "men-", "candles", "cushions", "vases-planters", "bags")


def _row(product_id: str, channel_id: str, published: bool, at: Any, now: Any) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "channel_id": channel_id,
        "published": published,
        "published_at": at,
        "updated_at": now,
    }


async def build_publications(ctx: BuildContext) -> None:
    rng = ctx.rng("publications")
    channels = ctx.registry.channels
    rows: list[dict[str, Any]] = []
    marketplace_ids: list[str] = []
    for product in ctx.registry.products:
        pid, status = product["id"], product["status"]
        if status == "draft":
            if rng.random() < 0.5:  # scheduled: appears online in a week or three
                at = ctx.now + timedelta(days=rng.randint(7, 21))
                rows += [_row(pid, c["id"], True, at, ctx.now) for c in channels
                         if c["kind"] in ("web", "app")]  # fmt: skip
            continue
        if status == "archived":
            rows += [_row(pid, c["id"], False, None, ctx.now) for c in channels
                     if c["kind"] in ("web", "app")]  # fmt: skip
            continue
        since = product["created_at"] + timedelta(days=rng.uniform(0, 3))
        photogenic = product["category"].startswith(SOCIAL_CATEGORIES_BIAS)
        social_odds = SOCIAL_SHARE * (1.6 if photogenic else 0.5)
        on_social = rng.random() < social_odds
        on_marketplace = product["line"] != "KIT" and rng.random() < MARKETPLACE_SHARE
        for channel in channels:
            kind = channel["kind"]
            if channel["code"] == SMALL_STORE_CHANNEL and product["category"] in BULKY:
                continue
            if (
                kind in EVERYWHERE
                or (kind == "social" and on_social)
                or (kind == "marketplace" and on_marketplace)
            ):
                rows.append(_row(pid, channel["id"], True, since, ctx.now))
        if on_marketplace:
            marketplace_ids.append(pid)
    await ctx.insert(Publication, rows)
    ctx.registry.extra["marketplace_product_ids"] = marketplace_ids
