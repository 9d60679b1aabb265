"""What ``omni import-orders`` runs: marketplace orders from a JSON Lines file (one
``POST /orders/imports`` body per line), each imported on its own — idempotent on the
marketplace's order id, so a file run twice imports nothing twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from omni.db.database import Database
from omni.kernel.actor import SYSTEM
from omni.kernel.errors import DomainError
from omni.orders.import_routes import MarketplaceOrderIn
from omni.orders.imports import import_order
from omni.payments import api as payments_api
from omni.settings import Settings


@dataclass(frozen=True)
class LineResult:
    line: int
    outcome: str  # created | existing | refused
    detail: str  # the order number, or why it was refused


def import_orders_file(settings: Settings, path: Path) -> list[LineResult]:
    return asyncio.run(_import(settings, path))


async def _import(settings: Settings, path: Path) -> list[LineResult]:
    db = Database(settings)
    provider = payments_api.provider_from_settings(settings, db.clock)
    results = []
    try:
        with path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                if text.strip():
                    results.append(await _one(db, provider, number, text))
    finally:
        await db.dispose()
    return results


async def _one(
    db: Database, provider: payments_api.PaymentProvider, number: int, text: str
) -> LineResult:
    try:
        wanted = MarketplaceOrderIn.model_validate(json.loads(text)).command()
        imported = await import_order(db, provider, SYSTEM, wanted)
    except json.JSONDecodeError as error:
        return LineResult(number, "refused", f"not JSON: {error.msg}")
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return LineResult(number, "refused", f"{where}: {first['msg']}")
    except DomainError as error:
        field = error.extra.get("field")
        where = f" ({field})" if field else ""
        return LineResult(number, "refused", f"{error.code}{where}: {error.detail}")
    outcome = "created" if imported.created else "existing"
    return LineResult(number, outcome, imported.number)
