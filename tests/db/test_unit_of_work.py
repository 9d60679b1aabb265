"""The unit of work writes recorded events and audit entries in the same transaction as
the change — early if a use case asks (``write_recorded``) — and hands them to the
dispatcher only after the commit."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from omni.db.database import Database
from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.db.uow import AUDIT, OUTBOX, insert_rows
from omni.kernel.events import Event
from omni.kernel.ids import new_id


@dataclass(frozen=True, kw_only=True)
class LabelPrinted(Event):
    name = "test.label_printed"
    label_id: str


@pytest.fixture
async def watched(settings, database):
    """A database of its own whose after-commit hook records what it is handed."""
    db = Database(settings)
    db.handed_over = []
    db.after_commit = db.handed_over.append
    db.has_handlers = lambda _name: True
    yield db
    await db.dispose()


async def outbox_ids(db, label_id: str) -> list[str]:
    async with db.reader() as session:
        return list(
            await session.scalars(
                select(OutboxEvent.id)
                .where(OutboxEvent.payload["label_id"].as_string() == label_id)
                .order_by(OutboxEvent.id)
            )
        )


async def test_events_written_early_are_dispatched_only_after_the_commit(watched):
    label = new_id("lbl")
    async with watched.uow() as uow:
        uow.record(LabelPrinted(label_id=label))
        await uow.write_recorded()
        uow.record(LabelPrinted(label_id=label))  # recorded after: written on commit
        assert watched.handed_over == []
        assert await outbox_ids(watched, label) == []  # not visible before the commit
        await uow.commit()
    written = await outbox_ids(watched, label)
    assert len(written) == 2
    assert watched.handed_over == [written] and uow.committed_event_ids == written


async def test_early_written_events_of_a_rolled_back_unit_of_work_vanish(watched):
    label = new_id("lbl")
    async with watched.uow() as uow:
        uow.record(LabelPrinted(label_id=label))
        uow.audit("test.label_printed", "label", label)
        await uow.write_recorded()
        await uow.rollback()
        await uow.commit()  # nothing left to commit or to dispatch
    assert watched.handed_over == [] and uow.committed_event_ids == []
    assert await outbox_ids(watched, label) == []
    async with watched.reader() as session:
        audited = await session.scalars(select(AuditEntry).where(AuditEntry.object_id == label))
        assert list(audited) == []


async def test_rows_for_several_tables_are_stored_as_given(database):
    # On PostgreSQL these go as one statement (data-modifying CTEs); elsewhere one per table.
    labels = [new_id("lbl") for _ in range(3)]
    now = datetime.now(UTC).replace(microsecond=0)
    events = [
        {
            "id": new_id("evt"),
            "name": "test.label_printed",
            "payload": {"label_id": label, "sizes": [1, 2]},
            "occurred_at": now,
            "actor_kind": "system",
            "actor_id": None,
            "request_id": None,
            "dispatched_at": now,
        }
        for label in labels
    ]
    entry = {
        "id": new_id("aud"),
        "at": now,
        "actor_kind": "system",
        "actor_id": None,
        "channel": None,
        "request_id": None,
        "action": "test.labels_printed",
        "object_type": "label",
        "object_id": labels[0],
        "changes": {"count": 3},
    }
    async with database.uow() as uow:
        await insert_rows(uow.session, [(OUTBOX, events), (AUDIT, [entry]), (AUDIT, [])])
        await uow.commit()
    async with database.reader() as session:
        stored = {e.id: e for e in await session.scalars(select(OutboxEvent))}
        audited = await session.get(AuditEntry, entry["id"])
    for event in events:
        row = stored[event["id"]]
        assert (row.payload, row.occurred_at, row.dispatched_at) == (event["payload"], now, now)
    assert audited is not None and audited.changes == {"count": 3} and audited.at == now
