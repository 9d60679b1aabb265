"""Request and response bodies of /inventory/replenishment (INV10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.inventory.replenishment_logic import Rule
from omni.inventory.replenishment_models import (
    ReplenishmentPlan,
    ReplenishmentRule,
    ReplenishmentSuggestion,
)
from omni.inventory.replenishment_queries import PlanView

Id = Field(min_length=1, max_length=32)


class RuleIn(StrictModel):
    variant_id: str = Id
    location_id: str = Id
    method: Literal["min_max", "reorder_point"]
    min_qty: int | None = Field(default=None, ge=0, le=1_000_000)
    max_qty: int | None = Field(default=None, ge=1, le=1_000_000)
    reorder_point: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Fixed trigger; omit to compute it"
    )
    reorder_qty: int | None = Field(
        default=None, ge=1, le=1_000_000, description="Fixed lot; omit to cover review_days"
    )
    lead_time_days: int = Field(default=7, ge=0, le=365)
    review_days: int = Field(default=14, ge=1, le=365)
    service_level_percent: int = Field(default=95, ge=50, le=99)
    pack_size: int = Field(default=1, ge=1, le=10_000)
    supplier_code: str | None = Field(default=None, min_length=1, max_length=64)
    supplier_name: str | None = Field(default=None, max_length=200)
    source_location_id: str | None = Field(default=None, min_length=1, max_length=32)

    def as_rule(self) -> Rule:
        return Rule(**self.model_dump())


class RulesIn(StrictModel):
    rules: list[RuleIn] = Field(min_length=1, max_length=1000)


class RuleOut(RuleIn):
    id: str
    active: bool
    updated_at: datetime

    @classmethod
    def of(cls, row: ReplenishmentRule) -> RuleOut:
        fields = {name: getattr(row, name) for name in cls.model_fields}
        return cls(**fields)


class RulesOut(BaseModel):
    ids: list[str]


class PlanIn(StrictModel):
    location_ids: list[str] | None = Field(
        default=None, max_length=1000, description="Plan these locations (default: all)"
    )
    history_days: int = Field(default=364, ge=28, le=1095)
    evaluate: bool = Field(
        default=False, description="Also backtest the forecasts: MASE against seasonal naive"
    )


class PlanOut(BaseModel):
    id: str
    created_at: datetime
    created_by: str | None
    location_ids: list[str] | None
    history_days: int
    figures: dict[str, Any]
    suggestions: dict[str, int]  # per status

    @classmethod
    def of(cls, view: PlanView) -> PlanOut:
        return cls(**_plan_fields(view.plan), suggestions=dict(view.by_status))


class PlanSummaryOut(BaseModel):
    id: str
    created_at: datetime
    created_by: str | None
    location_ids: list[str] | None
    figures: dict[str, Any]

    @classmethod
    def of(cls, plan: ReplenishmentPlan) -> PlanSummaryOut:
        fields = _plan_fields(plan)
        return cls(**{name: fields[name] for name in cls.model_fields})


def _plan_fields(plan: ReplenishmentPlan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "created_at": plan.created_at,
        "created_by": plan.created_by,
        "location_ids": plan.location_ids,
        "history_days": plan.history_days,
        "figures": plan.figures,
    }


class SuggestionOut(BaseModel):
    id: str
    kind: Literal["purchase", "transfer", "rebalance"]
    variant_id: str
    location_id: str
    source_location_id: str | None
    supplier_code: str | None
    supplier_name: str | None
    quantity: int
    position: int
    reorder_level: int
    order_up_to: int
    daily_demand: float
    lead_time_days: int
    reason: str
    status: Literal["suggested", "accepted", "dismissed"]
    accepted_quantity: int | None
    document_type: str | None
    document_id: str | None
    decided_at: datetime | None
    decided_by: str | None

    @classmethod
    def of(cls, row: ReplenishmentSuggestion) -> SuggestionOut:
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class PickIn(StrictModel):
    id: str = Id
    quantity: int | None = Field(default=None, ge=1, le=1_000_000)


class AcceptIn(StrictModel):
    suggestions: list[PickIn] | None = Field(
        default=None, max_length=5000, description="Omit to accept every open suggestion"
    )


class AcceptOut(BaseModel):
    purchase_order_ids: list[str]
    transfer_ids: list[str]


class DismissIn(StrictModel):
    suggestion_ids: list[str] = Field(min_length=1, max_length=5000)


class DismissOut(BaseModel):
    dismissed: int
