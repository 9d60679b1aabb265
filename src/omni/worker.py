"""``omni worker``: background work for production deployments.

API processes dispatch events right after commit; the worker retries what failed or was
left behind by a crash, returns expired cart holds to availability, announces abandoned
carts, and purges expired
idempotency keys. Stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from omni.db.database import Database
from omni.db.dispatcher import Dispatcher
from omni.db.idempotency import purge_expired
from omni.http.observability import configure_logging
from omni.main import freeze_startup_objects
from omni.settings import Settings
from omni.wiring import handler_registry, sweep_timed_state

log = logging.getLogger("omni.worker")
HOUSEKEEPING_EVERY_S = 300.0


async def run_worker(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    sweep_older_than: timedelta = timedelta(seconds=5),
) -> None:
    configure_logging(json=settings.log_json, level=settings.log_level)
    db = Database(settings)
    dispatcher = Dispatcher(
        db, handler_registry(settings, db), max_attempts=settings.dispatcher_max_attempts
    )
    dispatcher.attach()
    freeze_startup_objects()
    stop = stop or _stop_on_signals()
    since_housekeeping = HOUSEKEEPING_EVERY_S
    try:
        while not stop.is_set():
            await _tick(dispatcher, settings, sweep_older_than)
            since_housekeeping += settings.dispatcher_poll_seconds
            if since_housekeeping >= HOUSEKEEPING_EVERY_S:
                since_housekeeping = 0.0
                purged = await purge_expired(db)
                log.info("purged %d expired idempotency keys", purged)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.dispatcher_poll_seconds)
    finally:
        await dispatcher.drain()
        await db.dispose()


async def _tick(dispatcher: Dispatcher, settings: Settings, older_than: timedelta) -> None:
    try:
        # Events younger than this are still being dispatched by the API process.
        await dispatcher.sweep(older_than=older_than)
    except Exception:  # keep the worker alive through a database blip
        log.exception("dispatcher sweep failed")
    await sweep_timed_state(dispatcher.db, settings)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
