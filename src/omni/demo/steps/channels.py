"""Step: sales channels with their markets, price lists, stock pools and fulfillment
methods (CH1, INV4).

Online channels sell from both distribution centers and from every store, but a store
keeps a few units of each item for walk-in shoppers (its buffer); a till sells what its
own store holds.
"""

from __future__ import annotations

from typing import Any

from omni.channels import domain
from omni.channels.models import Channel, ChannelStockLocation
from omni.demo.context import BuildContext
from omni.demo.data.assortment import RETAILER
from omni.demo.data.places import TAX_REGIONS
from omni.demo.steps.pricing import price_list_ids
from omni.kernel.ids import new_id

ONLINE_METHODS = ("ship", "pickup", "curbside", "same_day", "ship_to_store")
# Units (and percent of on-hand) a store keeps back from online channels.
STORE_BUFFER_UNITS = 2
FLAGSHIP_BUFFER_UNITS = 3


def channel_row(
    ctx: BuildContext, code: str, name: str, kind: str, **values: Any
) -> dict[str, Any]:
    """A channel as POST /channels would store it: market and methods normalized."""
    created = ctx.days_ago(values.pop("age_days", 900))
    return {
        "id": new_id("chn"),
        "code": domain.normalize_code(code),
        "name": name,
        "kind": kind,
        "currency": domain.normalize_currency("USD"),
        "locale": domain.normalize_locale(values.pop("locale", "en-US")),
        "tax_region": domain.normalize_tax_region(values.pop("tax_region", "US")),
        "price_list_id": values.pop("price_list_id"),
        "location_id": values.pop("location_id", None),
        "fulfillment_methods": domain.check_methods(kind, list(values.pop("methods"))),
        "default_buffer_units": values.pop("buffer_units", 0),
        "default_buffer_percent": values.pop("buffer_percent", 0),
        "active": True,
        "created_at": created,
        "updated_at": created,
        "version": 1,
    }


def pos_methods(store: dict[str, Any]) -> list[str]:
    """What a till can offer depends on what its store can do."""
    capabilities = set(store["capabilities"])
    methods = ["carry_out", "ship_to_store"]
    if "pickup" in capabilities:
        methods.append("pickup")
    if "ship_from_store" in capabilities:
        methods.append("ship")
    if "same_day_delivery" in capabilities:
        methods.append("same_day")
    return methods


def online_pool(ctx: BuildContext, channel_id: str) -> list[dict[str, Any]]:
    rows = []
    for location in ctx.registry.locations:
        if location["kind"] not in domain.POOL_LOCATION_KINDS:
            continue
        buffer_units = None  # the channel's default
        if location["kind"] == "store" and location["hours"] == "city_flagship":
            buffer_units = FLAGSHIP_BUFFER_UNITS
        if location["kind"] == "warehouse":
            buffer_units = 0  # a DC keeps nothing back for walk-ins
        rows.append(
            {
                "channel_id": channel_id,
                "location_id": location["id"],
                "buffer_units": buffer_units,
                "buffer_percent": 0 if location["kind"] == "warehouse" else None,
            }
        )
    return rows


def dc_pool(ctx: BuildContext, channel_id: str) -> list[dict[str, Any]]:
    return [
        {"channel_id": channel_id, "location_id": loc["id"], "buffer_units": None,
         "buffer_percent": None}
        for loc in ctx.registry.locations
        if loc["kind"] == "warehouse"
    ]  # fmt: skip


async def build_channels(ctx: BuildContext) -> None:
    lists = price_list_ids(ctx)
    base = lists["base"]
    online = {"price_list_id": base, "methods": ONLINE_METHODS,
              "buffer_units": STORE_BUFFER_UNITS, "buffer_percent": 10}  # fmt: skip
    channels = [
        channel_row(ctx, "web", f"{RETAILER} online store", "web", **online),
        channel_row(ctx, "app", f"{RETAILER} app", "app", age_days=500, **online),
        channel_row(ctx, "call-center", "Customer care (phone)", "call_center", **online),
        channel_row(ctx, "instagram", "Instagram Shop", "social", age_days=300,
                    price_list_id=base, methods=("ship", "pickup"), buffer_percent=5),
        channel_row(ctx, "marketplace-goodsmart", "Goodsmart Marketplace", "marketplace",
                    age_days=200, price_list_id=lists["marketplace"], methods=("ship",),
                    buffer_percent=10),
    ]  # fmt: skip
    pools = online_pool(ctx, channels[0]["id"]) + online_pool(ctx, channels[1]["id"])
    pools += online_pool(ctx, channels[2]["id"])
    pools += dc_pool(ctx, channels[3]["id"]) + dc_pool(ctx, channels[4]["id"])
    for store in ctx.registry.stores():
        row = channel_row(
            ctx,
            f"pos-{store['code']}",
            f"{store['name']} — tills",
            "pos",
            price_list_id=base,
            location_id=store["id"],
            tax_region=TAX_REGIONS[store["region"]],
            methods=pos_methods(store),
        )
        channels.append(row)
        pools.append(
            {"channel_id": row["id"], "location_id": store["id"], "buffer_units": None,
             "buffer_percent": None}
        )  # fmt: skip
    await ctx.insert(Channel, channels)
    await ctx.insert(ChannelStockLocation, pools)
    ctx.registry.channels.extend(
        {"id": c["id"], "code": c["code"], "kind": c["kind"], "location_id": c["location_id"]}
        for c in channels
    )
