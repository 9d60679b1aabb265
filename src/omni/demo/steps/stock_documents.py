"""The documents behind the demo's simulated year of replenishment: received transfers
from each DC to its stores, and received purchase orders from each product line's
supplier to the DCs. Their ledger movements name them (``source_type``/``source_id``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Protocol

import numpy as np

from omni.demo.context import BuildContext
from omni.inventory.documents import PurchaseOrder, PurchaseOrderLine, Transfer, TransferLine
from omni.inventory.domain import MovementKind
from omni.kernel.ids import new_id


class Ledger(Protocol):
    """Where the documents' movements go (``stock._LedgerRows``)."""

    def day_start(self, day: int) -> Any:
        """The start (UTC) of a simulated day."""

    def add(self, level: int, kind: MovementKind, at: Any, **values: Any) -> None:
        """Append one movement of the level at index ``level``."""


class DocumentWriter:
    def __init__(
        self, ctx: BuildContext, pairs: Sequence[tuple[str, str]], source: np.ndarray
    ) -> None:
        self.ctx = ctx
        self.pairs = pairs
        self.source = source
        self.line_of = {v["id"]: v["line"] for v in ctx.registry.variants}
        self.rows: dict[type, list[dict[str, Any]]] = defaultdict(list)

    def transfers(self, shipped: np.ndarray, ledger: Ledger) -> None:
        """One received transfer per DC x store x delivery day."""
        routes: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        for level, day in zip(*np.nonzero(shipped > 0), strict=True):
            dc_level = int(self.source[level])
            routes[(int(day), self.pairs[dc_level][1], self.pairs[level][1])].append(int(level))
        for (day, dc, store), levels in sorted(routes.items()):
            shipped_at = ledger.day_start(day) + timedelta(hours=19)
            received_at = shipped_at + timedelta(hours=3)
            transfer_id = new_id("trf")
            self.rows[Transfer].append(
                {
                    "id": transfer_id,
                    "from_location_id": dc,
                    "to_location_id": store,
                    "status": "received",
                    "expected_on": received_at.date(),
                    "carrier": None,
                    "tracking": None,
                    "note": "weekly store order",
                    "created_at": shipped_at,
                    "updated_at": received_at,
                    "shipped_at": shipped_at,
                    "received_at": received_at,
                    "cancelled_at": None,
                    "version": 3,
                }
            )
            for level in levels:
                units = int(shipped[level, day])
                variant_id = self.pairs[level][0]
                self.rows[TransferLine].append(
                    {
                        "id": new_id("trfl"),
                        "transfer_id": transfer_id,
                        "variant_id": variant_id,
                        "quantity": units,
                        "received": units,
                        "damaged": 0,
                        "short": 0,
                    }
                )
                document = {"source_type": "transfer", "source_id": transfer_id}
                ledger.add(
                    int(self.source[level]),
                    MovementKind.TRANSFER_OUT,
                    shipped_at,
                    on_hand=-units,
                    **document,
                )
                ledger.add(level, MovementKind.TRANSFER_IN, received_at, on_hand=units, **document)

    def purchases(self, bought: np.ndarray, ledger: Ledger) -> None:
        """One received purchase order per DC x supplier x delivery day."""
        orders: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        for level, day in zip(*np.nonzero(bought), strict=True):
            variant_id, dc = self.pairs[level]
            orders[(int(day), dc, self.line_of[variant_id])].append(int(level))
        for (day, dc, line), levels in sorted(orders.items()):
            received_at = ledger.day_start(day) + timedelta(hours=23)
            ordered_at = received_at - timedelta(days=14)
            order_id = new_id("po")
            self.rows[PurchaseOrder].append(
                {
                    "id": order_id,
                    "number": f"HP-{order_id[-10:]}",
                    "supplier_code": supplier_code(line),
                    "supplier_name": f"{line} supplier",
                    "location_id": dc,
                    "status": "received",
                    "expected_on": received_at.date(),
                    "tolerance_percent": 5,
                    "note": None,
                    "created_at": ordered_at,
                    "updated_at": received_at,
                    "opened_at": ordered_at,
                    "closed_at": received_at,
                    "cancelled_at": None,
                    "version": 3,
                }
            )
            for level in levels:
                units = int(bought[level, day])
                self.rows[PurchaseOrderLine].append(
                    {
                        "id": new_id("pol"),
                        "purchase_order_id": order_id,
                        "variant_id": self.pairs[level][0],
                        "ordered": units,
                        "advised": 0,
                        "received": units,
                        "damaged": 0,
                        "short": 0,
                    }
                )
                ledger.add(
                    level,
                    MovementKind.RECEIPT,
                    received_at,
                    on_hand=units,
                    source_type="purchase_order",
                    source_id=order_id,
                )

    async def insert(self) -> None:
        for model in (Transfer, TransferLine, PurchaseOrder, PurchaseOrderLine):
            await self.ctx.insert(model, self.rows[model])


def supplier_code(line: str) -> str:
    return f"SUP-{line}"
