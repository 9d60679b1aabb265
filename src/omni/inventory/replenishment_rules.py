"""Replenishment rules per SKU x location (INV10): set in bulk, listed, removed.

A bulk write is all-or-nothing: every rule is checked (variant, location, source, and
the fields its method needs) before any row changes, and the first fault answers 422
naming the rule's index. Planners set rules anywhere; store managers for their stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.inventory.document_store import check_locations, check_variants, ensure_acts_at
from omni.inventory.replenishment_logic import Rule
from omni.inventory.replenishment_models import ReplenishmentRule
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.ids import new_id

NOT_FOUND = "No such replenishment rule."
RULE_FIELDS = tuple(Rule.__dataclass_fields__)


def check_rule(index: int, rule: Rule) -> None:
    """The fields a rule's method needs, and nothing contradictory (422 otherwise)."""

    def fault(message: str, field: str) -> InvalidInput:
        return InvalidInput(message, field=f"rules[{index}].{field}")

    if rule.method == "min_max":
        if rule.min_qty is None or rule.max_qty is None:
            raise fault("A min/max rule needs min_qty and max_qty.", "min_qty")
        if not 0 <= rule.min_qty < rule.max_qty:
            raise fault("min_qty must be at least 0 and below max_qty.", "max_qty")
        if rule.reorder_point is not None or rule.reorder_qty is not None:
            raise fault("A min/max rule has no reorder point or lot.", "reorder_point")
    elif rule.method == "reorder_point":
        if rule.min_qty is not None or rule.max_qty is not None:
            raise fault("A reorder-point rule has no min or max.", "min_qty")
        if rule.reorder_qty is not None and rule.reorder_qty <= 0:
            raise fault("reorder_qty must be positive.", "reorder_qty")
    else:
        raise fault("method is min_max or reorder_point.", "method")
    if (rule.supplier_code is None) == (rule.source_location_id is None):
        raise fault("Give exactly one source: supplier_code or source_location_id.", "source")
    if rule.source_location_id == rule.location_id:
        raise fault("A location cannot replenish itself.", "source_location_id")


async def set_rules(uow: UnitOfWork, rules: Sequence[Rule]) -> list[str]:
    """Create or replace the rules (one per variant x location); their ids, in order."""
    if not rules:
        raise InvalidInput("Give at least one rule.", field="rules")
    keys = [(rule.variant_id, rule.location_id) for rule in rules]
    if len(set(keys)) != len(keys):
        raise InvalidInput("Each variant x location appears once.", field="rules")
    for index, rule in enumerate(rules):
        check_rule(index, rule)
    async with uow:
        locations = {rule.location_id for rule in rules}
        for location_id in sorted(locations):
            ensure_acts_at(uow.actor, (location_id,), "No such location.")
        await check_variants(uow.session, {rule.variant_id for rule in rules})
        sources = {rule.source_location_id for rule in rules} - {None}
        named = {f"location:{loc}": loc for loc in locations | sources if loc is not None}
        await check_locations(uow.session, named)
        ids = await _upsert(uow, rules)
        uow.audit(
            "inventory.replenishment_rules_set",
            "replenishment_rules",
            "bulk",
            {"rules": len(rules)},
        )
        await uow.commit()
    return ids


async def _upsert(uow: UnitOfWork, rules: Sequence[Rule]) -> list[str]:
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = uow.clock.now()
    rows = [
        {"id": new_id("rpr"), **asdict(rule), "active": True, "created_at": now, "updated_at": now}
        for rule in rules
    ]
    statement = make_insert(ReplenishmentRule)
    changing = {name: statement.excluded[name] for name in (*RULE_FIELDS, "active", "updated_at")}
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["variant_id", "location_id"], set_=changing
        ),
        rows,
    )
    found = await uow.session.execute(
        select(ReplenishmentRule.variant_id, ReplenishmentRule.location_id, ReplenishmentRule.id)
        .where(ReplenishmentRule.variant_id.in_({rule.variant_id for rule in rules}))
        .where(ReplenishmentRule.location_id.in_({rule.location_id for rule in rules}))
    )
    by_key = {(v, loc): rule_id for v, loc, rule_id in found}
    return [by_key[(rule.variant_id, rule.location_id)] for rule in rules]


async def delete_rule(uow: UnitOfWork, rule_id: str) -> None:
    async with uow:
        row = await uow.session.get(ReplenishmentRule, rule_id)
        if row is None:
            raise NotFound(NOT_FOUND)
        ensure_acts_at(uow.actor, (row.location_id,), NOT_FOUND)
        await uow.session.execute(delete(ReplenishmentRule).where(ReplenishmentRule.id == rule_id))
        where = {"variant_id": row.variant_id, "location_id": row.location_id}
        uow.audit("inventory.replenishment_rule_deleted", "replenishment_rule", rule_id, where)
        await uow.commit()


async def list_rules(
    session: AsyncSession,
    *,
    location_id: str | None = None,
    variant_id: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> list[ReplenishmentRule]:
    query = select(ReplenishmentRule).order_by(ReplenishmentRule.id).limit(limit)
    if location_id is not None:
        query = query.where(ReplenishmentRule.location_id == location_id)
    if variant_id is not None:
        query = query.where(ReplenishmentRule.variant_id == variant_id)
    if after is not None:
        query = query.where(ReplenishmentRule.id > after)
    return list(await session.scalars(query))


async def active_rules(session: AsyncSession, location_ids: Sequence[str] | None) -> list[Rule]:
    """The active rules at these locations (None: everywhere), as planning input."""
    query = select(ReplenishmentRule).where(ReplenishmentRule.active.is_(True))
    if location_ids is not None:
        query = query.where(ReplenishmentRule.location_id.in_(list(location_ids)))
    return [as_rule(row) for row in await session.scalars(query)]


def as_rule(row: ReplenishmentRule) -> Rule:
    values: dict[str, Any] = {name: getattr(row, name) for name in RULE_FIELDS}
    return Rule(**values)
