"""The hold-expiry sweeper: returns abandoned cart holds to availability.

Runs in-process in the embedded default (``omni.main``) and in ``omni worker`` in
production. Each batch is its own short transaction, so a big backlog never holds the
write lock for long; a batch claims its holds atomically (active → expired), so two
sweepers running at once return every unit exactly once.
"""

from __future__ import annotations

from datetime import datetime

from omni.db.database import Database
from omni.inventory import reservations

BATCH = 500
# A tick stops after this many batches; the next tick carries on.
MAX_BATCHES_PER_TICK = 40


async def expire_due_holds(db: Database, *, now: datetime | None = None, batch: int = BATCH) -> int:
    """Expire every hold due at ``now`` (default: the clock), in batches; units returned."""
    returned = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        async with db.uow() as uow:
            units = await reservations.expire_holds(uow, now=now or uow.clock.now(), limit=batch)
            await uow.commit()
        if units == 0:
            break
        returned += units
    return returned
