"""The importer itself, with a toy entity: batches, progress, caps and refusals."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import IntegrityError

from omni.db.platform_models import AuditEntry
from omni.db.uow import UnitOfWork
from omni.integrations import csv_import
from omni.integrations.csv_import import (
    Batch,
    Counts,
    ImportSpec,
    RowError,
    RowsRejected,
    import_csv,
)
from omni.kernel.actor import SYSTEM
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from tests.integrations.helpers import count


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class NoteApplier:
    """Adds one audit row per row (a table every test database has); the importer
    flushes them batch by batch, so a rollback has real rows to undo."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.fail_with = fail_with
        self.batches: list[list[int]] = []

    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        self.batches.append([number for number, _ in batch])
        for _, row in batch:
            uow.session.add(
                AuditEntry(
                    id=new_id("aud"),
                    at=uow.clock.now(),
                    actor_kind="system",
                    action="toy.noted",
                    object_type="toy",
                    object_id=row["tag"],
                    changes={"note": row["note"]},
                )
            )
        return {"noted": len(batch)}

    async def finish(self, uow: UnitOfWork) -> None:
        if self.fail_with is not None:
            raise self.fail_with


def toy_spec(applier: NoteApplier) -> ImportSpec:
    return ImportSpec(
        entity="toys",
        write_permission="toys.write",
        required_columns=frozenset({"tag", "note"}),
        optional_columns=frozenset(),
        validate_row=lambda row: [Problem("note", "bad")] if row["note"] == "bad" else [],
        row_keys=lambda row: [("note", row["note"])] if row["note"].startswith("k") else [],
        new_applier=lambda: applier,
    )


def toy_file(tag: str, notes: list[str]) -> io.BytesIO:
    return io.BytesIO(("tag,note\n" + "".join(f"{tag},{n}\n" for n in notes)).encode())


async def written(database, tag: str) -> int:
    return await count(database, AuditEntry, AuditEntry.object_id == tag)


async def test_rows_are_applied_in_batches_in_one_transaction(database, monkeypatch):
    monkeypatch.setattr(csv_import, "BATCH", 2)
    applier, tag = NoteApplier(), uuid.uuid4().hex
    calls: list[tuple[str, int]] = []

    class Progress:
        def validated(self, rows: int, position: int) -> None:
            calls.append(("validated", rows))

        def applied(self, rows: int, total: int) -> None:
            calls.append(("applied", rows))

    report = await import_csv(
        database, SYSTEM, toy_spec(applier), toy_file(tag, ["a", "b", "c"]), progress=Progress()
    )
    assert (report.applied, report.rows, report.counts) == (True, 3, {"noted": 3})
    assert applier.batches == [[2, 3], [4]]
    assert calls == [("validated", 2), ("validated", 3), ("applied", 2), ("applied", 3)]
    assert await written(database, tag) == 3


async def test_the_report_lists_at_most_a_thousand_problems_but_counts_them_all(database):
    tag = uuid.uuid4().hex
    report = await import_csv(
        database, SYSTEM, toy_spec(NoteApplier()), toy_file(tag, ["bad"] * 1500)
    )
    assert (report.error_count, len(report.errors), report.applied) == (1500, 1000, False)
    assert report.errors[0] == RowError(2, "note", "bad")
    assert await written(database, tag) == 0


async def test_duplicate_keys_name_the_first_row(database):
    tag = uuid.uuid4().hex
    report = await import_csv(
        database, SYSTEM, toy_spec(NoteApplier()), toy_file(tag, ["k1", "x", "x", "k1"])
    )
    assert report.errors == [RowError(5, "note", "Duplicate of row 2 (k1).")]


async def test_a_refusal_after_the_last_batch_undoes_every_batch(database, monkeypatch):
    monkeypatch.setattr(csv_import, "BATCH", 1)
    tag = uuid.uuid4().hex
    applier = NoteApplier(RowsRejected([RowError(3, "note", "whole-file rule")]))
    report = await import_csv(database, SYSTEM, toy_spec(applier), toy_file(tag, ["a", "b"]))
    assert (report.applied, report.errors, report.counts) == (
        False,
        [RowError(3, "note", "whole-file rule")],
        {},
    )
    assert len(applier.batches) == 2
    assert await written(database, tag) == 0


async def test_a_concurrent_writer_caught_by_a_unique_index_is_a_conflict(database):
    tag = uuid.uuid4().hex
    clash = IntegrityError("INSERT …", {}, Exception("unique"))
    with pytest.raises(Conflict):
        await import_csv(database, SYSTEM, toy_spec(NoteApplier(clash)), toy_file(tag, ["a"]))
    assert await written(database, tag) == 0


async def test_a_dry_run_applies_then_rolls_back(database):
    tag = uuid.uuid4().hex
    applier = NoteApplier()
    report = await import_csv(
        database, SYSTEM, toy_spec(applier), toy_file(tag, ["a", "b"]), dry_run=True
    )
    assert (report.applied, report.dry_run, report.counts) == (False, True, {"noted": 2})
    assert applier.batches == [[2, 3]]
    assert await written(database, tag) == 0
