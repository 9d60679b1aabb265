"""Builds the demo retailer, Harbor & Pine, into a database: deterministically from a
seed and a scale factor, in one transaction, in a few seconds.

The builder is a data loader, like a restore: it writes the modules' tables directly
with bulk Core inserts instead of calling their use cases one object at a time (which
would take minutes and emit thousands of events nobody asked for). In exchange every
value obeys the rules the API enforces, checked with the modules' own pure validators
(location records, GTINs, SKUs, handles, emails, phone numbers, identities, bundles).

Content is a function of (seed, scale): same names, SKUs, GTINs, prices and customers
on every run. Ids and timestamps are not: ids come from ``new_id`` (time + randomness)
and timestamps are relative to the real time of the build.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from omni.access.models import StaffUser
from omni.access.passwords import hash_password_sync
from omni.catalog.models import Product
from omni.customers.models import Customer
from omni.db.database import Database
from omni.demo.context import BuildContext
from omni.demo.data.accounts import DEMO_PASSWORD, STAFF_LOGINS
from omni.demo.data.assortment import RETAILER
from omni.demo.models import DemoBuild
from omni.demo.schema import prepare_schema
from omni.demo.steps.catalog import build_catalog
from omni.demo.steps.channels import build_channels
from omni.demo.steps.commerce import build_commerce
from omni.demo.steps.customers import build_customers
from omni.demo.steps.locations import build_locations
from omni.demo.steps.orders import build_orders
from omni.demo.steps.pricing import build_pricing
from omni.demo.steps.publications import build_publications
from omni.demo.steps.replenishment import build_replenishment
from omni.demo.steps.staff import build_staff
from omni.demo.steps.stock import build_stock
from omni.kernel.ids import new_id
from omni.locations.models import Location
from omni.settings import Settings, get_settings


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: Callable[[BuildContext], Awaitable[None]]


# In order: later steps use what earlier ones registered (stores before customers…).
# To extend the demo (loyalty, tickets, returns), write
# ``async def build_x(ctx: BuildContext)`` in ``steps/x.py`` — its own ``ctx.rng("x")``,
# bulk ``ctx.insert`` calls, facts for later steps in ``ctx.registry`` — and append it here.
STEPS: tuple[Step, ...] = (
    Step("locations", "Stores, distribution centers, lockers", build_locations),
    Step("channels", "Channels, markets, stock pools", build_channels),
    Step("catalog", "Catalog: categories, products, variants, kits", build_catalog),
    Step("publications", "Publication per channel", build_publications),
    Step("pricing", "Price lists, sale and member prices", build_pricing),
    Step("stock", "Stock and a year of movements in every store and DC", build_stock),
    Step("replenishment", "Replenishment rules for the lines that sell", build_replenishment),
    Step("commerce", "Sales tax and promotions", build_commerce),
    Step("customers", "Customers, identities, addresses", build_customers),
    Step("staff", "Staff for every role", build_staff),
    Step("orders", "A year of orders in every channel, matching the ledger", build_orders),
)


SQLITE_BUILD_CACHE_KIB = 1024 * 1024
# The tables of a million rows and more: loaded first, indexed after (PostgreSQL).
BULK_TABLES = ("stock_movements", "inventory_transfer_lines", "orders", "order_fulfilment_groups",
               "order_lines", "order_status_history", "payments")  # fmt: skip


class DemoError(Exception):
    """The demo cannot be built here (e.g. the database holds someone else's data)."""


@dataclass
class DemoResult:
    built: bool  # False: an existing demo was found and left as it was
    seed: int
    scale: float
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)


def build_demo(
    database_url: str,
    *,
    seed: int = 42,
    scale: float = 1.0,
    console: Console | None = None,
) -> DemoResult:
    """Migrate the database, then build the demo unless it is already there.

    Synchronous, for the CLI and tests: Alembic runs its own event loop.
    """
    if scale <= 0:
        raise DemoError("the scale must be positive")
    started = time.perf_counter()
    prepare_schema(database_url)
    settings = get_settings().model_copy(update={"database_url": database_url})
    return asyncio.run(_build(settings, seed, scale, console, started))


async def _build(
    settings: Settings, seed: int, scale: float, console: Console | None, started: float
) -> DemoResult:
    db = Database(settings)
    try:
        existing = await existing_demo(db)
        if existing is not None:
            return existing
        await _refuse_foreign_data(db)
        # Argon2 is slow on purpose: hash once, share the hash among all demo accounts.
        password_hash = await asyncio.to_thread(hash_password_sync, DEMO_PASSWORD)
        async with db.engine.connect() as conn:
            await _room_to_build(conn)
            async with conn.begin():
                ctx = BuildContext(
                    conn=conn, seed=seed, scale=scale, now=db.clock.now(),
                    password_hash=password_hash,
                )  # fmt: skip
                step_seconds = await _run_steps(ctx, console)
                seconds = round(time.perf_counter() - started, 2)
                await _record_build(conn, ctx, seconds)
        return DemoResult(True, seed, scale, seconds, dict(ctx.counts), step_seconds)
    finally:
        await db.dispose()


async def _room_to_build(conn: AsyncConnection) -> None:
    """On SQLite, before the build's transaction begins (these pragmas are no-ops inside
    one): a page cache big enough for the whole build (about 800 MB at scale 1) — with the
    default 2 MB the indexes spill to the WAL and are read back over and over, which
    doubles the time of the two-million-row transaction; and no foreign-key lookup per
    row, as in a restore (the tests check the references). Both go with the connection
    when the build is done. PostgreSQL: see ``BuildContext.indexes_built_after``."""
    if conn.dialect.name != "sqlite":
        return
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    await driver.execute(f"PRAGMA cache_size = -{SQLITE_BUILD_CACHE_KIB}")
    await driver.execute("PRAGMA foreign_keys = OFF")


async def _run_steps(ctx: BuildContext, console: Console | None) -> dict[str, float]:
    timings: dict[str, float] = {}
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeElapsedColumn(),
        console=console,
        disable=console is None,
        transient=False,
    )
    with progress:
        task = progress.add_task("Building the demo", total=len(STEPS))
        async with ctx.indexes_built_after(BULK_TABLES):
            for step in STEPS:
                progress.update(task, description=step.label)
                began = time.perf_counter()
                await step.run(ctx)
                timings[step.name] = round(time.perf_counter() - began, 2)
                progress.advance(task)
            progress.update(task, description=f"Indexing {RETAILER}'s ledger and orders")
            began = time.perf_counter()
        timings["indexes"] = round(time.perf_counter() - began, 2)
        progress.update(task, description=f"{RETAILER} is built")
    return timings


async def _record_build(conn: AsyncConnection, ctx: BuildContext, seconds: float) -> None:
    await conn.execute(
        insert(DemoBuild.__table__),  # type: ignore[arg-type]
        {
            "id": new_id("demo"),
            "retailer": RETAILER,
            "seed": ctx.seed,
            "scale": ctx.scale,
            "built_at": datetime.now(UTC),
            "seconds": seconds,
            "counts": dict(sorted(ctx.counts.items())),
        },
    )


async def existing_demo(db: Database) -> DemoResult | None:
    """The demo already in the database, if any (its build record, or its admin)."""
    async with db.reader() as session:
        build = await session.scalar(select(DemoBuild).order_by(DemoBuild.built_at.desc()))
        if build is not None:
            return DemoResult(False, build.seed, build.scale, build.seconds, dict(build.counts))
        admin = await session.scalar(
            select(StaffUser.id).where(StaffUser.email == STAFF_LOGINS[0].email)
        )
    if admin is not None:
        return DemoResult(False, -1, 0.0, 0.0)
    return None


async def _refuse_foreign_data(db: Database) -> None:
    """Never mix the demo into a database that holds a real retailer's data."""
    async with db.reader() as session:
        for model in (Location, Product, Customer, StaffUser):
            count = await session.scalar(select(func.count()).select_from(model))
            if count:
                raise DemoError(
                    f"the database already has {model.__tablename__} rows but no demo: "
                    "use a fresh database (or --reset for the default SQLite file)"
                )
