"""Request and response models of counts, scan uploads and accuracy figures."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.inventory.count_queries import CountView
from omni.inventory.document_rules import Accuracy, CountStatus
from omni.inventory.documents import Count
from omni.inventory.transfer_schemas import Id, Note

Sku = Annotated[str, Field(min_length=1, max_length=64)]
MAX_SCAN_ROWS = 20_000


class CountIn(StrictModel):
    location_id: Id
    skus: Annotated[list[Sku], Field(min_length=1, max_length=10_000)] | None = Field(
        default=None,
        description="What to count; leave out to count everything with stock here "
        "(anything with stock that nobody counts then posts as zero).",
    )
    note: Note | None = None


class CountedLineIn(StrictModel):
    sku: Sku
    quantity: Annotated[int, Field(ge=0, le=1_000_000)]


class CountedIn(StrictModel):
    """One submission; submissions add up (two people, two shelves)."""

    lines: Annotated[list[CountedLineIn], Field(min_length=1, max_length=10_000)]


class ScanIn(StrictModel):
    gtin: Annotated[str, Field(min_length=1, max_length=14)] | None = None
    epc: Annotated[str, Field(min_length=1, max_length=120)] | None = Field(
        default=None, description="24 hex digits (SGTIN-96) or an EPC URI; one unit."
    )
    quantity: Annotated[int, Field(ge=1, le=100_000)] = 1


class ScansIn(StrictModel):
    items: Annotated[list[ScanIn], Field(min_length=1, max_length=MAX_SCAN_ROWS)]


class AccuracyOut(BaseModel):
    counts: int
    lines_counted: int
    lines_with_difference: int
    units_difference: int = Field(description="Sum of |counted - system| over the lines.")
    system_units: int
    accuracy: float | None = Field(description="Share of lines whose books were exactly right.")
    units_accuracy: float | None = Field(description="1 - units_difference / system_units.")


class CountLineOut(BaseModel):
    variant_id: str
    sku: str | None
    counted: int
    system_quantity: int = Field(description="On hand when posted (before: on hand now).")
    difference: int


class CountSummaryOut(BaseModel):
    id: str
    location_id: str
    scope: str
    status: CountStatus
    note: str | None
    created_at: datetime
    submitted_at: datetime | None
    posted_at: datetime | None
    cancelled_at: datetime | None
    version: int


class CountOut(CountSummaryOut):
    lines: list[CountLineOut]
    accuracy: AccuracyOut | None


class ScanProblemOut(BaseModel):
    row: int = Field(description="Index in items, from 0.")
    code: str
    reason: str


class ScanLineOut(BaseModel):
    variant_id: str
    sku: str | None
    quantity: int


class ScanReportOut(BaseModel):
    count_id: str
    rows: int
    units_counted: int
    counted: list[ScanLineOut]
    duplicate_tags: int = Field(description="RFID tags this count had already counted.")
    problems: list[ScanProblemOut]


def accuracy_out(accuracy: Accuracy) -> AccuracyOut:
    return AccuracyOut(
        counts=accuracy.counts,
        lines_counted=accuracy.lines_counted,
        lines_with_difference=accuracy.lines_with_difference,
        units_difference=accuracy.units_difference,
        system_units=accuracy.system_units,
        accuracy=accuracy.accuracy,
        units_accuracy=accuracy.units_accuracy,
    )


def count_summary(count: Count) -> CountSummaryOut:
    return CountSummaryOut.model_validate(
        {name: getattr(count, name) for name in CountSummaryOut.model_fields}
    )


def count_out(view: CountView, skus: dict[str, str]) -> CountOut:
    accuracy = view.accuracy
    return CountOut(
        **count_summary(view.count).model_dump(),
        lines=[
            CountLineOut(
                variant_id=line.variant_id,
                sku=skus.get(line.variant_id),
                counted=line.counted,
                system_quantity=line.system_quantity,
                difference=line.difference,
            )
            for line in view.lines
        ],
        accuracy=accuracy_out(accuracy) if accuracy else None,
    )
