"""What every stock document use case shares: who may act where, claiming a document
for a transition, checking the variants and locations it names.

Claiming is a conditional ``UPDATE … WHERE status IN (allowed)``: it takes the
document's row lock before any stock row (always documents first, then stock levels in
id order), so two clerks receiving the same delivery are serialised and the second one
re-reads what the first booked; a document whose status no longer allows the action
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.permissions import can_act_in_store, has_permission

WRITE = "inventory.write"
WRITE_OWN = "inventory.write_own"


class InvalidTransition(Conflict):
    """The document's status does not allow this action (409); nothing changed."""

    code = "invalid_transition"
    title = "Not allowed in this status"


def ensure_acts_at(actor: Actor, location_ids: Iterable[str], not_found: str) -> None:
    """``inventory.write`` acts anywhere; ``inventory.write_own`` (store managers) only
    when one of ``location_ids`` is their store. Documents of other stores answer 404,
    exactly like ones that do not exist, so ids of other stores' documents leak nothing."""
    if has_permission(actor, WRITE):
        return
    if not has_permission(actor, WRITE_OWN):
        raise Forbidden("Your role does not allow this action.", one_of=[WRITE, WRITE_OWN])
    if not any(can_act_in_store(actor, location_id) for location_id in location_ids):
        raise NotFound(not_found)


async def claim(
    uow: UnitOfWork,
    model: Any,
    document_id: str,
    allowed: frozenset[str],
    *,
    action: str,
    not_found: str,
    values: Mapping[str, Any] | None = None,
) -> None:
    """Lock the document for ``action`` if its status allows it, bumping its version."""
    statement = (
        update(model)
        .where(model.id == document_id, model.status.in_(sorted(allowed)))
        .values(version=model.version + 1, updated_at=uow.clock.now(), **(values or {}))
        .returning(model.id)
    )
    if (await uow.session.execute(statement)).first() is not None:
        return
    status = await uow.session.scalar(select(model.status).where(model.id == document_id))
    if status is None:
        raise NotFound(not_found)
    raise InvalidTransition(
        f"Cannot {action}: it is {status.replace('_', ' ')}.",
        current_status=status,
        action=action,
        allowed_from=sorted(allowed),
    )


async def set_status(uow: UnitOfWork, model: Any, document_id: str, **values: Any) -> None:
    """Change a claimed document's columns (its row is already locked by ``claim``)."""
    await uow.session.execute(update(model).where(model.id == document_id).values(**values))


async def check_variants(session: AsyncSession, variant_ids: Iterable[str]) -> None:
    """Every variant exists and can hold stock (a bundle is only its components)."""
    wanted = set(variant_ids)
    known = await catalog_api.get_variants(session, wanted)
    unknown = sorted(wanted - known.keys())
    if unknown:
        raise InvalidInput("Unknown variants.", field="lines", variant_ids=unknown)
    bundles = sorted(v for v, info in known.items() if info.is_bundle)
    if bundles:
        raise InvalidInput(
            "Bundles hold no stock of their own: move their components.",
            field="lines",
            variant_ids=bundles,
        )


async def check_locations(
    session: AsyncSession, fields: Mapping[str, str], *, receiving: str | None = None
) -> None:
    """Each named location exists (``fields``: request field → location id); the one in
    ``receiving`` must be able to take deliveries (capability ``receive_transfers``)."""
    found = await locations_api.get_locations(session, fields.values())
    for field, location_id in fields.items():
        if location_id not in found:
            raise InvalidInput("No such location.", field=field, location_id=location_id)
    if receiving is not None:
        location = found[fields[receiving]]
        if "receive_transfers" not in location.capabilities:
            raise InvalidInput(
                f"{location.name} does not receive deliveries (capability receive_transfers).",
                field=receiving,
                location_id=location.id,
            )


def merged(lines: Iterable[tuple[str, int]], field: str = "lines") -> dict[str, int]:
    """Quantities per variant, adding up repeated variants; quantities must be positive."""
    total: dict[str, int] = {}
    for variant_id, quantity in lines:
        if quantity <= 0:
            raise InvalidInput("Quantities must be positive.", field=field)
        total[variant_id] = total.get(variant_id, 0) + quantity
    if not total:
        raise InvalidInput("Give at least one line.", field=field)
    return total
