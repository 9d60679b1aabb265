"""``omni`` — the command line: serve, worker, migrate, users, demo, import/export,
replenish, bench."""

from __future__ import annotations

import asyncio
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from omni.integrations import ENTITIES, IMPORT_ONLY_ENTITIES
from omni.settings import get_settings

app = typer.Typer(help="Omni — the open omnichannel commerce platform.", no_args_is_help=True)
users_app = typer.Typer(help="Staff users.", no_args_is_help=True)
app.add_typer(users_app, name="users")
console = Console(stderr=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", envvar="OMNI_DATABASE_URL", help="SQLAlchemy async URL"),
]


def use_database(url: str | None) -> str:
    """Point the process (and every Settings read after this) at ``url``."""
    if url:
        os.environ["OMNI_DATABASE_URL"] = url
        get_settings.cache_clear()
    return get_settings().database_url


@app.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Apply every pending database migration."""
    from omni.db.migrations import upgrade_to_head

    url = use_database(database_url)
    upgrade_to_head(url)
    console.print(f"[green]Database at head[/] ({_redacted(url)})")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="API processes (PostgreSQL only for >1)")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the API (and web apps) with uvicorn."""
    url = use_database(database_url)
    if workers > 1 and url.startswith("sqlite"):
        raise typer.BadParameter("several workers need PostgreSQL; SQLite serves one process")
    _serve(host, port, workers)


def _serve(host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    uvicorn.run(
        "omni.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=10,
    )


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Same seed, same retailer")] = 42,
    scale: Annotated[float, typer.Option(help="1.0: ~300 products, ~5,000 customers")] = 1.0,
    host: str = "127.0.0.1",
    port: int = 8000,
    build_only: Annotated[bool, typer.Option("--build-only", help="Build, do not serve")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the SQLite file first")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Build the demo retailer (once; later runs reuse it) and serve it."""
    from omni.demo.builder import DemoError
    from omni.demo.command import run_demo

    url = use_database(database_url)
    try:
        run_demo(url, seed=seed, scale=scale, reset=reset, console=console)
    except DemoError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(1) from error
    if not build_only:
        console.print(f"Serving on [bold]http://{host}:{port}[/] (Ctrl+C to stop)")
        _serve(host, port)


@app.command()
def worker(database_url: DatabaseUrl = None) -> None:
    """Run background work: outbox dispatch retries and housekeeping (production)."""
    from omni.worker import run_worker

    use_database(database_url)
    asyncio.run(run_worker(get_settings()))


@app.command()
def replenish(
    location: Annotated[
        list[str] | None, typer.Option("--location", help="Plan this location id (repeatable)")
    ] = None,
    evaluate: Annotated[
        bool, typer.Option("--evaluate", help="Backtest the forecasts (MASE vs seasonal naive)")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Plan replenishment: suggested purchase orders and transfers for a planner to accept."""
    import json

    from omni.inventory.cli_tasks import plan_from_command_line

    use_database(database_url)
    summary = plan_from_command_line(get_settings(), location or None, evaluate)
    if json_output:
        print(json.dumps(summary))
    else:
        console.print_json(data=summary)
        console.print(
            f"Review and accept at /api/v1/inventory/replenishment/plans/{summary['plan_id']}"
        )


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Sign-in email")],
    name: Annotated[str, typer.Option(help="Full name")],
    role: Annotated[list[str], typer.Option(help="Role (repeatable)")],
    store: Annotated[list[str] | None, typer.Option(help="Store location id (repeatable)")] = None,
    password: Annotated[
        str | None, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a staff user (e.g. the first admin)."""
    from omni.access.tasks import create_staff_user
    from omni.kernel.errors import DomainError

    use_database(database_url)
    try:
        user_id = asyncio.run(
            create_staff_user(get_settings(), email, name, role, store or [], password or "")
        )
    except DomainError as error:
        console.print(f"[red]Not created:[/] {error.detail}")
        raise typer.Exit(1) from error
    console.print(f"[green]Created staff user[/] {user_id} ({email})")


Entity = Enum("Entity", {name: name for name in ENTITIES}, type=str)  # type: ignore[misc]
ImportEntity = Enum(  # type: ignore[misc]
    "ImportEntity", {name: name for name in (*ENTITIES, *IMPORT_ONLY_ENTITIES)}, type=str
)


@app.command("import")
def import_(
    entity: Annotated[ImportEntity, typer.Argument(help="What the file holds")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV (UTF-8)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, change nothing")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Import a CSV file: every row or none; the report lists problems by row."""
    from omni.integrations.cli_tasks import import_file

    use_database(database_url)
    status = import_file(get_settings(), entity.value, file, dry_run=dry_run, console=console)
    raise typer.Exit(status)


@app.command("import-orders")
def import_orders(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON Lines: one order a line")
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Import marketplace orders (each line a POST /orders/imports body); run it again
    safely: an order already imported is found, not doubled."""
    from omni.orders.cli_tasks import import_orders_file

    use_database(database_url)
    results = import_orders_file(get_settings(), file)
    for result in results:
        console.print(f"line {result.line}: {result.outcome} {result.detail}", highlight=False)
    refused = sum(result.outcome == "refused" for result in results)
    console.print(f"{len(results) - refused} imported or found, {refused} refused")
    raise typer.Exit(1 if refused else 0)


@app.command("export")
def export(
    entity: Annotated[Entity, typer.Argument(help="What to export")],
    file: Annotated[str, typer.Argument(help="Where to write the CSV; - for standard output")],
    price_list: Annotated[
        str | None, typer.Option("--price-list", help="Prices: only this list (code)")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export as CSV (streamed; cells a spreadsheet would run as formulas are escaped)."""
    from omni.integrations.cli_tasks import export_file

    use_database(database_url)
    status = export_file(
        get_settings(), entity.value, file, price_list_code=price_list, console=console
    )
    raise typer.Exit(status)


@app.command()
def bench(
    scenario: Annotated[str, typer.Argument(help="Scenario name (see docs/benchmarks.md)")],
    database_url: DatabaseUrl = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    option: Annotated[
        list[str] | None, typer.Option("--set", help="Scenario option key=value")
    ] = None,
) -> None:
    """Run a benchmark scenario and print its figures."""
    import json

    from bench import scenarios

    known = scenarios()
    if scenario not in known:
        raise typer.BadParameter(f"unknown scenario; choose from {', '.join(sorted(known))}")
    options = dict(item.split("=", 1) for item in option or [])
    result = known[scenario](use_database(database_url), options)
    if json_output:
        print(json.dumps(result))
    else:
        console.print_json(data=result)


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    app()
