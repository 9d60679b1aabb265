"""Two planners accepting the same suggestions at once order once (PostgreSQL, real
connections racing through the service)."""

import asyncio

import pytest
from sqlalchemy import func, select

from omni.db.database import Database
from omni.inventory import replenishment_decisions
from omni.inventory.documents import PurchaseOrder, Transfer
from omni.inventory.replenishment import PlanRequest, plan_replenishment
from omni.inventory.replenishment_decisions import AlreadyDecided, Pick
from omni.inventory.replenishment_queries import SuggestionFilter, list_suggestions
from omni.kernel.actor import SYSTEM
from tests.inventory.replenishment_support import build_planned

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    db = Database(settings.model_copy(update={"db_pool_size": 8, "db_max_overflow": 0}))
    yield db
    await db.dispose()


async def accept(db: Database, plan_id: str, picks: list[Pick]) -> str:
    try:
        await replenishment_decisions.accept(db.uow(SYSTEM), plan_id, picks)
        return "accepted"
    except AlreadyDecided:
        return "already decided"


async def test_eight_planners_accepting_one_plan_draft_its_documents_once(
    client, admin_headers, database, wide_database
):
    net, _item, _other = await build_planned(client, admin_headers, database)
    request = PlanRequest(location_ids=[net.dc, net.store_a, net.store_b])
    plan_id = await plan_replenishment(wide_database, SYSTEM, request)
    async with wide_database.reader() as session:
        open_ones = await list_suggestions(
            session, plan_id, SuggestionFilter(status="suggested"), after=None, limit=100
        )
    picks = [Pick(s.id) for s in open_ones]
    assert len(picks) == 3

    outcomes = await asyncio.gather(*(accept(wide_database, plan_id, picks) for _ in range(8)))

    assert sorted(outcomes) == ["accepted"] + ["already decided"] * 7
    note = f"Replenishment plan {plan_id}"
    async with wide_database.reader() as session:
        orders = await session.scalar(
            select(func.count()).select_from(PurchaseOrder).where(PurchaseOrder.note == note)
        )
        transfers = await session.scalar(
            select(func.count()).select_from(Transfer).where(Transfer.note == note)
        )
    assert (orders, transfers) == (1, 2)
