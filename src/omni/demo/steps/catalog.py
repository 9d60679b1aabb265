"""Step: category tree, products and variants (CH2).

Each line of the assortment gives ``len(names) * scale`` products (at least one); past
scale 1 the names come round again as capsule collections ("Heritage …"). Every SKU,
GTIN, handle and option combination goes through the catalog's own pure rules.
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime
from typing import Any

from omni.catalog import domain
from omni.catalog.models import BundleComponent, Category, Product, ProductCategory, Variant
from omni.demo.context import BuildContext
from omni.demo.data.apparel import APPAREL_LINES
from omni.demo.data.assortment import CATEGORY_TREE, IMAGE_HOST, ONE_SIZE, Line
from omni.demo.data.home import HOME_LINES
from omni.demo.identifiers import value_code
from omni.demo.steps.catalog_rows import CatalogRows
from omni.demo.steps.kits import KIT_COMPONENT_NAMES, add_kits
from omni.kernel.ids import new_id

COLLECTIONS = ("Heritage", "Coastal", "Studio", "Trail", "Atelier", "Weekend", "Harbor")
AUDIENCE_PREFIX = {"women": "Women's ", "men": "Men's ", "kids": "Kids' "}
ORIGINS = ("Portugal", "Peru", "India", "Turkey", "Italy", "Vietnam", "Mexico", "USA")
GIFT_CATEGORIES = frozenset({"candles", "blankets-throws", "hats-scarves", "kitchen-tools"})


def category_rows(ctx: BuildContext, rows: CatalogRows) -> None:
    positions: dict[str | None, int] = {}
    for slug, name, parent in CATEGORY_TREE:
        category_id = new_id("cat")
        rows.category_ids[slug] = category_id
        position = positions.get(parent, 0)
        positions[parent] = position + 1
        created = ctx.days_ago(1000)
        rows.categories.append(
            {
                "id": category_id,
                "parent_id": rows.category_ids[parent] if parent else None,
                "slug": domain.check_handle(slug),
                "name": name,
                "position": position,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )


def product_names(line: Line, count: int) -> list[str]:
    """``count`` names: the line's own first, then capsule-collection editions."""
    names = []
    for index in range(count):
        base = line.names[index % len(line.names)]
        round_ = index // len(line.names)
        names.append(
            base if round_ == 0 else f"{COLLECTIONS[(round_ - 1) % len(COLLECTIONS)]} {base}"
        )
    return names


def base_name(name: str) -> str:
    """The line's own name of a product: "Heritage Soy Candle" → "Soy Candle"."""
    first, _, rest = name.partition(" ")
    return rest if first in COLLECTIONS else name


def pick_material(rng: random.Random, line: Line, name: str) -> str:
    """The material the name speaks of ("Linen Shirt" → linen), else any of the line's."""
    words = set(name.lower().replace("-", " ").split())
    scored = [(len(words & set(m.lower().replace("-", " ").split())), m) for m in line.materials]
    best = max(score for score, _ in scored)
    return rng.choice([m for score, m in scored if score == best])


def option_axes(
    rng: random.Random, line: Line, colorway: random.Random | None = None
) -> list[tuple[str, list[str]]]:
    """The product's options and their values, e.g. [("color", [...]), ("size", [...])].

    ``colorway``: a generator shared by products of one collection, so that (say) the
    percale duvet covers and pillowcases come in the same colours.
    """
    axes: list[tuple[str, list[str]]] = []
    if line.palette:
        low, high = line.colors
        pick = colorway or rng
        chosen = pick.sample(line.palette, pick.randint(low, min(high, len(line.palette))))
        axes.append((line.palette_option, sorted(chosen, key=line.palette.index)))
    if line.sizes and line.sizes != ONE_SIZE:
        axes.append((line.size_option, list(line.sizes)))
    return axes


def product_status(rng: random.Random, protected: bool) -> str:
    # Mostly active; a few drafts (next season) and archived (discontinued) products.
    roll = rng.random()
    if protected or roll < 0.92:
        return "active"
    return "draft" if roll < 0.96 else "archived"


def media_for(
    handle: str, name: str, colors: list[str], first_of: dict[str, str]
) -> list[dict[str, str | None]]:
    base = f"{IMAGE_HOST}/products/{handle}"
    if not colors:
        return [
            {"url": f"{base}/main.jpg", "alt": name, "variant_id": None},
            {"url": f"{base}/detail.jpg", "alt": f"{name}, detail", "variant_id": None},
        ]
    media: list[dict[str, str | None]] = [
        {
            "url": f"{base}/{domain.slugify(color)}-1.jpg",
            "alt": f"{name} in {color}",
            "variant_id": first_of[color],
        }
        for color in colors
    ]
    media.append({"url": f"{base}/lifestyle.jpg", "alt": f"{name}, styled", "variant_id": None})
    return media


def add_product(
    ctx: BuildContext,
    rows: CatalogRows,
    rng: random.Random,
    line: Line,
    sequence: int,
    name: str,
    *,
    protected: bool,
) -> None:
    full_name = AUDIENCE_PREFIX.get(line.audience or "", "") + name
    # "Women's Tee" → "womens-tee", not "women-s-tee".
    handle = domain.slugify(full_name.replace("'", ""))
    # Home goods come in collections named by their material: one colourway each.
    colorway = ctx.rng(f"colorway:{name.split()[0]}") if line in HOME_LINES else None
    axes = option_axes(rng, line, colorway)
    option_names = domain.check_option_names([axis for axis, _ in axes])
    status = product_status(rng, protected)
    price = line.name_prices.get(base_name(name), rng.choice(line.prices))
    material = pick_material(rng, line, name)
    created = ctx.days_ago(rng.uniform(10, 900))
    product_id = new_id("prd")
    stem = f"{line.code}{sequence:03d}"
    variants = variant_rows(ctx, rows, rng, line, product_id, stem, axes, status, price, created)
    colors = axes[0][1] if axes and axes[0][0] == line.palette_option else []
    first_of: dict[str, str] = {}
    for variant in variants:
        first_of.setdefault(variant["option_values"].get(line.palette_option, ""), variant["id"])
    attributes = {"material": material, "care": line.care, "origin": rng.choice(ORIGINS)}
    if line.fits:
        attributes["fit"] = rng.choice(line.fits)
    if line.audience:
        attributes["department"] = line.audience
    description = f"{line.blurb} Made from {material}. {line.care}".strip()
    rows.products.append(
        {
            "id": product_id,
            "handle": domain.check_handle(handle),
            "name": full_name,
            "description": description,
            "brand": line.brand,
            "status": domain.check_status(status),
            "option_names": option_names,
            "attributes": attributes,
            "tax_class": domain.check_tax_class(line.tax_class),
            "media": media_for(handle, full_name, colors, first_of),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
    )
    rows.link(product_id, line.category)
    if (ctx.now - created).days < 45:
        rows.link(product_id, "new-arrivals")
    if line.category in GIFT_CATEGORIES:
        rows.link(product_id, "gifts")
    ctx.registry.products.append(
        {
            "id": product_id,
            "handle": handle,
            "name": full_name,
            "line": line.code,
            "category": line.category,
            "status": status,
            "price": price,
            "variant_ids": [v["id"] for v in variants],
            "options": dict(axes),
            "created_at": created,
        }
    )


def variant_rows(
    ctx: BuildContext,
    rows: CatalogRows,
    rng: random.Random,
    line: Line,
    product_id: str,
    stem: str,
    axes: list[tuple[str, list[str]]],
    product_status: str,
    price: int,
    created: datetime,
) -> list[dict[str, Any]]:
    names = [axis for axis, _ in axes]
    sizes = list(line.sizes)
    combos = list(itertools.product(*(values for _, values in axes)))
    statuses = variant_statuses(rng, product_status, len(combos))
    variants = []
    for position, combo in enumerate(combos):
        values = domain.check_option_values(names, dict(zip(names, combo, strict=True)))
        size = values.get(line.size_option)
        size_rank = sizes.index(size) if size in sizes else 0
        sku = rows.claim_sku("-".join([stem, *(value_code(v) for v in combo)]))
        variant = {
            "id": new_id("var"),
            "product_id": product_id,
            "sku": sku,
            "gtin": rows.next_gtin(),
            "option_values": values,
            "option_key": domain.option_key(names, values),
            "weight_grams": round(line.weight_grams * (1 + 0.08 * size_rank)),
            "status": domain.check_status(statuses[position], domain.VARIANT_STATUSES),
            "position": position,
            "is_bundle": False,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        variants.append(variant)
        ctx.registry.variants.append(
            {
                "id": variant["id"],
                "product_id": product_id,
                "sku": sku,
                "price": price + line.size_step_cents * size_rank,
                "weight_grams": variant["weight_grams"],
                "status": variant["status"],
                "line": line.code,
                "option_values": values,
                "is_bundle": False,
            }
        )
    rows.variants.extend(variants)
    return variants


def variant_statuses(rng: random.Random, product_status: str, count: int) -> list[str]:
    """An archived product's variants are all archived; elsewhere a discontinued
    colour-size here and there, but an active product keeps something to sell."""
    if product_status == "archived":
        return ["archived"] * count
    statuses = ["archived" if count > 4 and rng.random() < 0.03 else "active" for _ in range(count)]
    if not domain.can_activate(statuses):
        statuses[0] = "active"
    return statuses


async def build_catalog(ctx: BuildContext) -> None:
    rng = ctx.rng("catalog")
    rows = CatalogRows()
    category_rows(ctx, rows)
    for line in (*APPAREL_LINES, *HOME_LINES):
        count = ctx.scaled(len(line.names))
        for sequence, name in enumerate(product_names(line, count), start=1):
            protected = name in KIT_COMPONENT_NAMES
            add_product(ctx, rows, rng, line, sequence, name, protected=protected)
    add_kits(ctx, rows, rng)
    await ctx.insert(Category, rows.categories)
    await ctx.insert(Product, rows.products)
    await ctx.insert(Variant, rows.variants)
    await ctx.insert(ProductCategory, rows.links)
    await ctx.insert(BundleComponent, rows.bundle_components)
    ctx.registry.extra["category_ids"] = rows.category_ids
