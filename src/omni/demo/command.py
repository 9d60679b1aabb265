"""What ``omni demo`` does before it serves: reset, build (or find) the demo, report."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from omni.demo.builder import DemoError, DemoResult, build_demo
from omni.demo.data.accounts import DEMO_PASSWORD
from omni.demo.data.assortment import RETAILER
from omni.demo.steps.staff import demo_logins

# Shown after a build: the tables a newcomer cares about, in a sensible order.
HEADLINE_COUNTS = (
    ("locations", "locations"),
    ("channels", "channels"),
    ("catalog_products", "products"),
    ("catalog_variants", "variants"),
    ("prices", "prices"),
    ("customers", "customers"),
    ("shopper_accounts", "shopper accounts"),
    ("staff_users", "staff users"),
    ("orders", "orders"),
)
WIDE_ENOUGH_FOR_PASSWORD = 110


def reset_database(database_url: str) -> bool:
    """Delete the SQLite file (and its WAL files); True if there was one."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise DemoError(
            "--reset deletes an SQLite file; on PostgreSQL drop and create the database yourself"
        )
    if not url.database or url.database == ":memory:":
        return False
    path = Path(url.database)
    existed = path.exists()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return existed


def run_demo(
    database_url: str, *, seed: int, scale: float, reset: bool, console: Console
) -> DemoResult:
    if reset and reset_database(database_url):
        console.print("[yellow]Deleted the old demo database.[/]")
    result = build_demo(database_url, seed=seed, scale=scale, console=console)
    report(result, console)
    return result


def report(result: DemoResult, console: Console) -> None:
    if result.built:
        counts = ", ".join(
            f"{result.counts.get(table, 0):,} {label}" for table, label in HEADLINE_COUNTS
        )
        console.print(
            f"[green]Built {RETAILER}[/] (seed {result.seed}, scale {result.scale:g}) "
            f"in [bold]{result.seconds:.1f} s[/]: {counts}."
        )
    else:
        built_with = f" (seed {result.seed}, scale {result.scale:g})" if result.seed >= 0 else ""
        console.print(
            f"[green]{RETAILER} is already in this database[/]{built_with}; "
            "use --reset to build it again."
        )
    console.print(logins_table(console.width))


def logins_table(width: int = 120) -> Table:
    """Role, email, password, app: the password column is left to the title when the
    terminal is too narrow for it, so that emails never wrap."""
    table = Table(
        title=f"{RETAILER} demo logins — password for all: {DEMO_PASSWORD}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    with_password = width >= WIDE_ENOUGH_FOR_PASSWORD
    # Emails and the password must be copyable: never wrap or truncate them.
    table.add_column("Role", no_wrap=True)
    table.add_column("Email", no_wrap=True)
    if with_password:
        table.add_column("Password", no_wrap=True)
    table.add_column("App: what they can do")
    for login in demo_logins():
        password = [DEMO_PASSWORD] if with_password else []
        table.add_row(login["role"], login["email"], *password, f"{login['app']}: {login['can']}")
    return table
