"""A planner's decisions on a plan (INV10): accept suggestions — as drafted purchase
orders (one per supplier x location) and transfers (one per route) — or dismiss them.

Accepting is all-or-nothing and race-safe: the chosen suggestions are claimed with one
conditional update (``status = 'suggested'``); if another planner decided any of them
first, the claim comes up short and nothing changes (409). Documents are drafts: a
buyer still opens the order with the supplier, a store still ships the transfer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update

from omni.db.uow import UnitOfWork
from omni.inventory.events import ReplenishmentAccepted
from omni.inventory.purchase_orders import NewPurchaseOrder, insert_purchase_order
from omni.inventory.replenishment import ensure_planner
from omni.inventory.replenishment_models import ReplenishmentPlan, ReplenishmentSuggestion
from omni.inventory.transfers import NewTransfer, insert_transfer
from omni.kernel.errors import Conflict, InvalidInput, NotFound

PLAN_NOT_FOUND = "No such replenishment plan."
SUGGESTED, ACCEPTED, DISMISSED = "suggested", "accepted", "dismissed"


class AlreadyDecided(Conflict):
    code = "already_decided"
    title = "Suggestion already decided"


@dataclass(frozen=True)
class Pick:
    suggestion_id: str
    quantity: int | None = None  # None: as suggested


@dataclass
class Accepted:
    purchase_order_ids: list[str] = field(default_factory=list)
    transfer_ids: list[str] = field(default_factory=list)


async def accept(uow: UnitOfWork, plan_id: str, picks: Sequence[Pick] | None) -> Accepted:
    """Accept the picked suggestions (None: every one still suggested)."""
    for pick in picks or ():
        if pick.quantity is not None and pick.quantity <= 0:
            raise InvalidInput("Quantities must be positive.", field="suggestions")
    async with uow:
        ensure_planner(uow.actor)
        chosen = await _chosen(uow, plan_id, picks)
        await _claim(uow, [s.id for s in chosen], ACCEPTED)
        quantities = {p.suggestion_id: p.quantity for p in picks or () if p.quantity}
        result = await _draft_documents(uow, plan_id, chosen, quantities)
        uow.record(
            ReplenishmentAccepted(
                plan_id=plan_id,
                suggestion_ids=[s.id for s in chosen],
                purchase_order_ids=result.purchase_order_ids,
                transfer_ids=result.transfer_ids,
            )
        )
        counted = {"suggestions": len(chosen)}
        uow.audit("inventory.replenishment_accepted", "replenishment_plan", plan_id, counted)
        await uow.commit()
    return result


async def dismiss(uow: UnitOfWork, plan_id: str, suggestion_ids: Sequence[str]) -> int:
    async with uow:
        ensure_planner(uow.actor)
        chosen = await _chosen(uow, plan_id, [Pick(i) for i in suggestion_ids])
        await _claim(uow, [s.id for s in chosen], DISMISSED)
        counted = {"suggestions": len(chosen)}
        uow.audit("inventory.replenishment_dismissed", "replenishment_plan", plan_id, counted)
        await uow.commit()
    return len(chosen)


async def _chosen(
    uow: UnitOfWork, plan_id: str, picks: Sequence[Pick] | None
) -> list[ReplenishmentSuggestion]:
    if await uow.session.get(ReplenishmentPlan, plan_id) is None:
        raise NotFound(PLAN_NOT_FOUND)
    query = select(ReplenishmentSuggestion).where(ReplenishmentSuggestion.plan_id == plan_id)
    if picks is None:
        query = query.where(ReplenishmentSuggestion.status == SUGGESTED)
    else:
        wanted = {pick.suggestion_id for pick in picks}
        if not wanted or len(wanted) != len(picks):
            raise InvalidInput("Name each suggestion once.", field="suggestions")
        query = query.where(ReplenishmentSuggestion.id.in_(sorted(wanted)))
    found = list(await uow.session.scalars(query.order_by(ReplenishmentSuggestion.id)))
    if picks is not None:
        unknown = sorted({p.suggestion_id for p in picks} - {s.id for s in found})
        if unknown:
            raise InvalidInput("Not suggestions of this plan.", field="suggestions", ids=unknown)
    if not found:
        raise InvalidInput("Nothing left to decide in this plan.", field="suggestions")
    return found


async def _claim(uow: UnitOfWork, suggestion_ids: list[str], status: str) -> None:
    claimed = await uow.session.execute(
        update(ReplenishmentSuggestion)
        .where(ReplenishmentSuggestion.id.in_(suggestion_ids))
        .where(ReplenishmentSuggestion.status == SUGGESTED)
        .values(status=status, decided_at=uow.clock.now(), decided_by=uow.actor.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != len(suggestion_ids):  # type: ignore[attr-defined]
        raise AlreadyDecided("Some of these suggestions were already accepted or dismissed.")


async def _draft_documents(
    uow: UnitOfWork,
    plan_id: str,
    chosen: list[ReplenishmentSuggestion],
    quantities: dict[str, int],
) -> Accepted:
    purchases: dict[tuple[str, str], list[ReplenishmentSuggestion]] = defaultdict(list)
    transfers: dict[tuple[str, str], list[ReplenishmentSuggestion]] = defaultdict(list)
    for s in chosen:
        if s.kind == "purchase":
            purchases[(s.supplier_code or "", s.location_id)].append(s)
        else:
            transfers[(s.source_location_id or "", s.location_id)].append(s)
    note = f"Replenishment plan {plan_id}"
    today = uow.clock.now().date()
    result = Accepted()
    for (supplier, location_id), group in sorted(purchases.items()):
        order_id = await insert_purchase_order(
            uow,
            NewPurchaseOrder(
                supplier_code=supplier,
                supplier_name=group[0].supplier_name,
                location_id=location_id,
                lines=[(s.variant_id, quantities.get(s.id, s.quantity)) for s in group],
                expected_on=today + timedelta(days=max(s.lead_time_days for s in group)),
                note=note,
            ),
        )
        result.purchase_order_ids.append(order_id)
        await _link(uow, group, quantities, "purchase_order", order_id)
    for (source, location_id), group in sorted(transfers.items()):
        transfer_id = await insert_transfer(
            uow,
            NewTransfer(
                from_location_id=source,
                to_location_id=location_id,
                lines=[(s.variant_id, quantities.get(s.id, s.quantity)) for s in group],
                note=note,
            ),
        )
        result.transfer_ids.append(transfer_id)
        await _link(uow, group, quantities, "transfer", transfer_id)
    return result


async def _link(
    uow: UnitOfWork,
    group: list[ReplenishmentSuggestion],
    quantities: dict[str, int],
    document_type: str,
    document_id: str,
) -> None:
    # ORM bulk UPDATE by primary key: one executemany for the whole group.
    await uow.session.execute(
        update(ReplenishmentSuggestion),
        [
            {
                "id": s.id,
                "accepted_quantity": quantities.get(s.id, s.quantity),
                "document_type": document_type,
                "document_id": document_id,
            }
            for s in group
        ],
    )
