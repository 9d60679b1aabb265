"""Bulk scan and RFID uploads into an open count (INV8).

Each row is a barcode (GTIN, with a quantity) or an RFID tag (EPC: one unit). Codes
are decoded and resolved to variants through the catalog; a row that cannot be used
(bad check digit, not an SGTIN tag, unknown item, outside the count's scope) is
reported with its reason and the rest of the upload still counts — a handheld sweep of
a thousand tags should not be lost to one foreign tag. A tag is one unit however often
it is read: tags already counted in this count (another reader, an upload sent twice)
are reported as duplicates and not added again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.dialects import postgresql, sqlite

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.inventory import counts, epc
from omni.inventory.documents import CountTag

BATCH = 1000


@dataclass(frozen=True)
class ScanRow:
    gtin: str | None = None
    epc: str | None = None
    quantity: int = 1


@dataclass(frozen=True)
class ScanProblem:
    row: int  # index in the upload, from 0
    code: str
    reason: str


@dataclass
class ScanResult:
    counted: dict[str, int] = field(default_factory=dict)  # variant id → units added
    problems: list[ScanProblem] = field(default_factory=list)
    duplicate_tags: int = 0


@dataclass(frozen=True)
class _Decoded:
    row: int
    code: str
    gtin: str
    quantity: int
    tag: str | None  # the tag's pure identity URI, for RFID rows


def _decode(index: int, row: ScanRow) -> _Decoded | ScanProblem:
    if (row.gtin is None) == (row.epc is None):
        return ScanProblem(index, row.gtin or row.epc or "", "Give either a gtin or an epc.")
    if row.epc is not None:
        if row.quantity != 1:
            return ScanProblem(index, row.epc, "An RFID tag is one unit: quantity must be 1.")
        try:
            tag = epc.parse_epc(row.epc)
        except epc.EpcError as error:
            return ScanProblem(index, row.epc, str(error))
        return _Decoded(index, row.epc, tag.gtin, 1, tag.uri)
    assert row.gtin is not None
    if row.quantity <= 0:
        return ScanProblem(index, row.gtin, "The quantity must be positive.")
    try:
        return _Decoded(index, row.gtin, epc.normalize_gtin(row.gtin), row.quantity, None)
    except ValueError as error:
        return ScanProblem(index, row.gtin, str(error))


async def upload_scans(uow: UnitOfWork, count_id: str, rows: list[ScanRow]) -> ScanResult:
    """Add the usable rows to the count (one submission); report the others."""
    result = ScanResult()
    decoded: list[_Decoded] = []
    for index, row in enumerate(rows):
        outcome = _decode(index, row)
        if isinstance(outcome, ScanProblem):
            result.problems.append(outcome)
        else:
            decoded.append(outcome)
    async with uow:
        count = await counts.open_count(uow, count_id, "count")
        variants = await _variants_by_gtin(uow, sorted({d.gtin for d in decoded}))
        outside = await counts.check_scope(uow, count, set(variants.values()), raise_outside=False)
        usable = []
        for item in decoded:
            variant_id = variants.get(item.gtin)
            if variant_id is None:
                result.problems.append(ScanProblem(item.row, item.code, "Unknown GTIN."))
            elif variant_id in outside:
                result.problems.append(ScanProblem(item.row, item.code, "Not in this count."))
            else:
                usable.append((item, variant_id))
        fresh_tags = await _claim_tags(uow, count_id, {i.tag for i, _ in usable if i.tag})
        seen: set[str] = set()
        tally: Counter[str] = Counter()
        for item, variant_id in usable:
            if item.tag is not None and (item.tag not in fresh_tags or item.tag in seen):
                result.duplicate_tags += 1
                continue
            if item.tag is not None:
                seen.add(item.tag)
            tally[variant_id] += item.quantity
        if tally:
            await counts.add_to_lines(uow, count_id, dict(tally))
        uow.audit(
            "inventory.count_scanned",
            "count",
            count_id,
            {"rows": len(rows), "units": sum(tally.values()), "problems": len(result.problems)},
        )
        await uow.commit()
    result.counted = dict(sorted(tally.items()))
    result.problems.sort(key=lambda p: p.row)
    return result


async def _variants_by_gtin(uow: UnitOfWork, gtins: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(gtins), BATCH):
        found |= await catalog_api.variant_ids_by_gtin(uow.session, gtins[start : start + BATCH])
    return found


async def _claim_tags(uow: UnitOfWork, count_id: str, tags: set[str]) -> set[str]:
    """Remember the tags; returns those this count had not seen before."""
    if not tags:
        return set()
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    fresh: set[str] = set()
    ordered = sorted(tags)
    # In slices: one statement's bound parameters are limited (SQLite: 32,766).
    for start in range(0, len(ordered), BATCH):
        statement = (
            make_insert(CountTag)
            .values([{"count_id": count_id, "epc": tag} for tag in ordered[start : start + BATCH]])
            .on_conflict_do_nothing(index_elements=["count_id", "epc"])
            .returning(CountTag.epc)
        )
        fresh |= set(await uow.session.scalars(statement))
    return fresh
