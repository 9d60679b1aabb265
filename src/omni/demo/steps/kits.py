"""Bundles (kits) made of catalog variants: a bedding set is one duvet cover and two
pillowcases of the same colour; its stock is derived from theirs (CH2)."""

from __future__ import annotations

import itertools
import random
from typing import Any

from omni.catalog import domain
from omni.demo.context import BuildContext
from omni.demo.data.assortment import HOUSE_BRAND, IMAGE_HOST
from omni.demo.data.home import KITS, Kit
from omni.demo.identifiers import value_code
from omni.demo.steps.catalog_rows import CatalogRows
from omni.kernel.ids import new_id

# Components stay active and on sale, so every kit can be built.
KIT_COMPONENT_NAMES = frozenset(name for kit in KITS for name, _, _ in kit.components)


def _component_variant(
    product: dict[str, Any], variants: list[dict[str, Any]], color: str, size: str | None
) -> dict[str, Any] | None:
    for variant in variants:
        values = variant["option_values"]
        if values.get("color") == color and (size is None or values.get("size") == size):
            return variant if variant["status"] == "active" else None
    return None


def _size_of(spec: dict[str, str] | str | None, kit_size: str | None) -> str | None:
    if isinstance(spec, dict):
        return spec[kit_size or ""]
    return spec


def _combinations(kit: Kit, products: dict[str, dict[str, Any]]) -> list[tuple[str, str | None]]:
    colors: list[str] | None = None
    for name, _, _ in kit.components:
        offered = products[name]["options"].get("color", [])
        colors = [c for c in (colors if colors is not None else offered) if c in offered]
    sizes: list[str | None] = list(kit.sizes) or [None]
    return list(itertools.product(colors or [], sizes))


def _price(lines: list[tuple[dict[str, Any], int]], discount_percent: int) -> int:
    total = sum(variant["price"] * quantity for variant, quantity in lines)
    # Kits sell on whole dollars: $198.00 reads as a deal, $197.64 as arithmetic.
    return round(total * (100 - discount_percent) / 100 / 100) * 100


def add_kit(ctx: BuildContext, rows: CatalogRows, rng: random.Random, kit: Kit, seq: int) -> None:
    products = {p["name"]: p for p in ctx.registry.products}
    if any(name not in products for name, _, _ in kit.components):
        return  # a small-scale catalog lacks a component
    by_product: dict[str, list[dict[str, Any]]] = {}
    for variant in ctx.registry.variants:
        by_product.setdefault(variant["product_id"], []).append(variant)
    product_id = new_id("prd")
    handle = domain.slugify(kit.name)
    option_names = ["color", "size"] if kit.sizes else ["color"]
    created = ctx.days_ago(rng.uniform(30, 400))
    first_of: dict[str, str] = {}
    for color, size in _combinations(kit, products):
        lines: list[tuple[dict[str, Any], int]] = []
        for name, quantity, spec in kit.components:
            product = products[name]
            found = _component_variant(
                product, by_product[product["id"]], color, _size_of(spec, size)
            )
            if found is None:
                break
            lines.append((found, quantity))
        else:
            values = {"color": color, **({"size": size} if size else {})}
            variant_id = _kit_variant(ctx, rows, product_id, seq, values, option_names, lines)
            ctx.registry.variants[-1]["price"] = _price(lines, kit.discount_percent)
            first_of.setdefault(color, variant_id)
    if not first_of:
        return
    rows.products.append(
        {
            "id": product_id,
            "handle": domain.check_handle(handle),
            "name": kit.name,
            "description": "A set at a better price than its pieces. "
            + ", ".join(f"{q} x {name}" for name, q, _ in kit.components)
            + ".",
            "brand": HOUSE_BRAND,
            "status": "active",
            "option_names": domain.check_option_names(option_names),
            "attributes": {"kit": "yes", "care": "See each piece."},
            "tax_class": "standard",
            "media": [
                {
                    "url": f"{IMAGE_HOST}/products/{handle}/{domain.slugify(color)}-1.jpg",
                    "alt": f"{kit.name} in {color}",
                    "variant_id": variant_id,
                }
                for color, variant_id in first_of.items()
            ],
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
    )
    rows.link(product_id, kit.category)
    rows.link(product_id, "gifts")
    ctx.registry.products.append(
        {
            "id": product_id,
            "handle": handle,
            "name": kit.name,
            "line": "KIT",
            "category": kit.category,
            "status": "active",
            "price": min(
                v["price"] for v in ctx.registry.variants if v["product_id"] == product_id
            ),
            "variant_ids": list(first_of.values()),
            "options": {},
            "created_at": created,
        }
    )


def _kit_variant(
    ctx: BuildContext,
    rows: CatalogRows,
    product_id: str,
    seq: int,
    values: dict[str, str],
    option_names: list[str],
    lines: list[tuple[dict[str, Any], int]],
) -> str:
    variant_id = new_id("var")
    components = [domain.ComponentLine(v["id"], q) for v, q in lines]
    known = {v["id"]: domain.VariantFacts(v["id"], "active", False, False) for v, _ in lines}
    bundle = domain.VariantFacts(variant_id, "active", True, False)
    domain.check_bundle(bundle, components, known)  # raises if the kit breaks a rule
    sku = rows.claim_sku("-".join([f"KIT{seq:03d}", *(value_code(v) for v in values.values())]))
    position = sum(1 for v in rows.variants if v["product_id"] == product_id)
    rows.variants.append(
        {
            "id": variant_id,
            "product_id": product_id,
            "sku": sku,
            "gtin": rows.next_gtin(),
            "option_values": values,
            "option_key": domain.option_key(option_names, values),
            "weight_grams": sum(v["weight_grams"] * q for v, q in lines),
            "status": "active",
            "position": position,
            "is_bundle": True,
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        }
    )
    rows.bundle_components.extend(
        {
            "bundle_variant_id": variant_id,
            "component_variant_id": c.variant_id,
            "quantity": c.quantity,
        }
        for c in components
    )
    ctx.registry.variants.append(
        {
            "id": variant_id,
            "product_id": product_id,
            "sku": sku,
            "price": 0,
            "weight_grams": sum(v["weight_grams"] * q for v, q in lines),
            "status": "active",
            "line": "KIT",
            "option_values": values,
            "is_bundle": True,
        }
    )
    return variant_id


def add_kits(ctx: BuildContext, rows: CatalogRows, rng: random.Random) -> None:
    for seq, kit in enumerate(KITS, start=1):
        add_kit(ctx, rows, rng, kit, seq)
