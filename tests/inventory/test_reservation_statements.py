"""How a reservation talks to the database: everything that does not depend on the
outcome goes before the contended conditional UPDATE, which is the last statement before
the commit, so a hot stock row stays locked for as short a time as possible."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from omni.db.platform_models import OutboxEvent
from omni.inventory import reservations
from omni.inventory.domain import ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.policies import LocationPolicy, set_location_policy
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.ids import new_id
from tests.inventory.helpers import assert_ledger_balanced, fresh, receive, snapshot


@contextmanager
def statements_of(db):
    """SQL statements (and commits) sent through ``db``'s engine, in order."""
    sent: list[str] = []
    engine = db.engine.sync_engine

    def on_execute(_conn, _cursor, statement, _params, _context, _many) -> None:
        if not statement.startswith("BEGIN"):
            sent.append(" ".join(statement.split()))

    def on_commit(_conn) -> None:
        sent.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


def order(*lines: ReserveLine) -> ReserveRequest:
    return ReserveRequest(list(lines), ReservationKind.ORDER, new_id("ord"))


async def events_about(db, reference_or_variant: str) -> list[str]:
    async with db.reader() as session:
        return list(
            await session.scalars(
                select(OutboxEvent.name)
                .where(
                    (OutboxEvent.payload["reference"].as_string() == reference_or_variant)
                    | (OutboxEvent.payload["variant_id"].as_string() == reference_or_variant)
                )
                .order_by(OutboxEvent.id)
            )
        )


async def test_the_conditional_update_is_the_last_statement_before_the_commit(database):
    variant, location = fresh()
    await receive(database, variant, location, 50)
    request = order(ReserveLine(variant, location, 1))
    with statements_of(database) as sent:
        async with database.uow() as uow:
            await reservations.reserve(uow, request)
            await uow.commit()
    assert sent[-1] == "COMMIT" and sent[-2].startswith("UPDATE stock_levels")
    rows_written = " ".join(sent[:-2])
    for table in ("stock_reservations", "stock_movements", "outbox_events"):
        assert f"INSERT INTO {table}" in rows_written
    if database.dialect == "postgresql":  # the level lookup, all rows at once, the update
        assert len(sent) == 4
    assert await events_about(database, request.reference) == ["inventory.stock_reserved"]
    await assert_ledger_balanced(database)


async def test_a_low_stock_crossing_is_still_announced_after_the_update(database):
    variant, location = fresh()
    await receive(database, variant, location, 3)
    with statements_of(database) as sent:
        async with database.uow() as uow:
            await reservations.reserve(uow, order(ReserveLine(variant, location, 1)))
            await uow.commit()
    update = next(i for i, s in enumerate(sent) if s.startswith("UPDATE stock_levels"))
    assert "INSERT INTO outbox_events" in sent[update + 1]  # depends on the UPDATE's result
    assert await events_about(database, variant) == ["inventory.stock_moved", "inventory.stock_low"]


async def test_a_refused_reservation_leaves_nothing_behind_even_if_the_caller_commits(
    database,
):
    variant, location = fresh()
    await receive(database, variant, location, 2)
    before = await snapshot(database, variant)
    request = order(ReserveLine(variant, location, 3))
    async with database.uow() as uow:
        with pytest.raises(InsufficientStock):
            await reservations.reserve(uow, request)
        await uow.commit()  # a careless caller: the refusal already rolled everything back
    assert await snapshot(database, variant) == before
    assert await events_about(database, request.reference) == []
    await assert_ledger_balanced(database)


async def test_low_stock_is_judged_by_the_locations_own_threshold(database):
    variant, location = fresh()
    await receive(database, variant, location, 20)
    async with database.uow() as uow:  # policies.set_location_policy: the raw upsert
        await set_location_policy(uow, LocationPolicy(location, False, 10))
        await uow.commit()
    for _ in range(9):  # 20 → 11 available: above the location's 10
        async with database.uow() as uow:
            await reservations.reserve(uow, order(ReserveLine(variant, location, 1)))
            await uow.commit()
    assert "inventory.stock_low" not in await events_about(database, variant)
    async with database.uow() as uow:  # 10 left: low at this location (the default is 2)
        await reservations.reserve(uow, order(ReserveLine(variant, location, 1)))
        await uow.commit()
    assert (await events_about(database, variant)).count("inventory.stock_low") == 1
