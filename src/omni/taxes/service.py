"""Use cases: tax regions and their rates.

A region and its rates are one resource (one ETag): rate changes bump the region's
version. Two rates of one class in one region never overlap in time, so exactly one
rate (or none) applies to a class at any moment — checked before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.taxes.events import TaxRatesChanged, TaxRegionCreated, TaxRegionDeleted, TaxRegionUpdated
from omni.taxes.models import TaxRateRecord, TaxRegionRecord
from omni.taxes.schemas import TaxRateIn, TaxRatePatch, TaxRegionIn, TaxRegionPatch

_NOT_NULL_REGION = ("name", "prices_include_tax", "rounding")
_NOT_NULL_RATE = ("percent", "name")


def percent_text(value: Decimal) -> str:
    """Exact decimal text without exponent or trailing zeros: 8.8750 → "8.875"."""
    return format(value.normalize(), "f")


def _refuse_nulls(changes: dict[str, Any], names: Sequence[str]) -> None:
    for name in names:
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)


def _overlap(
    a: tuple[datetime | None, datetime | None], b: tuple[datetime | None, datetime | None]
) -> bool:
    """Whether two half-open windows [from, to) share a moment (None: unbounded)."""
    (a_from, a_to), (b_from, b_to) = a, b
    starts_before_b_ends = b_to is None or a_from is None or a_from < b_to
    ends_after_b_starts = a_to is None or b_from is None or b_from < a_to
    return starts_before_b_ends and ends_after_b_starts


class Windowed(Protocol):
    @property
    def tax_class(self) -> str: ...
    @property
    def valid_from(self) -> datetime | None: ...
    @property
    def valid_to(self) -> datetime | None: ...


@dataclass(frozen=True)
class Span:
    tax_class: str
    valid_from: datetime | None
    valid_to: datetime | None


def check_no_overlap(rates: Sequence[Windowed], *, field: str = "rates") -> None:
    """Refuse two rates of one tax class valid at the same moment."""
    for i, first in enumerate(rates):
        for second in rates[i + 1 :]:
            if first.tax_class == second.tax_class and _overlap(
                (first.valid_from, first.valid_to), (second.valid_from, second.valid_to)
            ):
                raise InvalidInput(
                    f"Two {first.tax_class!r} rates would apply at the same time; "
                    "end one (valid_to) where the other starts (valid_from).",
                    field=field,
                )


async def region_for_update(uow: UnitOfWork, code: str) -> TaxRegionRecord:
    region = await uow.session.scalar(
        select(TaxRegionRecord)
        .where(TaxRegionRecord.code == code.strip().upper())
        .with_for_update()
    )
    if region is None:
        raise NotFound("No such tax region.")
    return region


async def region_rates(uow: UnitOfWork, code: str) -> list[TaxRateRecord]:
    rows = await uow.session.scalars(
        select(TaxRateRecord)
        .where(TaxRateRecord.region_code == code)
        .order_by(TaxRateRecord.tax_class, TaxRateRecord.valid_from, TaxRateRecord.id)
    )
    return list(rows)


def _touch(uow: UnitOfWork, region: TaxRegionRecord) -> None:
    region.version += 1
    region.updated_at = uow.clock.now()


def _new_rate(uow: UnitOfWork, code: str, data: TaxRateIn) -> TaxRateRecord:
    now = uow.clock.now()
    return TaxRateRecord(
        id=new_id("txr"),
        region_code=code,
        tax_class=data.tax_class,
        percent=percent_text(data.percent),
        name=data.name,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        created_at=now,
        updated_at=now,
    )


async def create_region(
    uow: UnitOfWork, data: TaxRegionIn
) -> tuple[TaxRegionRecord, list[TaxRateRecord]]:
    check_no_overlap(data.rates)
    async with uow:
        if await uow.session.get(TaxRegionRecord, data.code) is not None:
            raise Conflict(f"The tax region {data.code} exists.", field="code")
        now = uow.clock.now()
        region = TaxRegionRecord(
            code=data.code,
            name=data.name,
            prices_include_tax=data.prices_include_tax,
            rounding=data.rounding.value,
            shipping_tax_class=data.shipping_tax_class,
            created_at=now,
            updated_at=now,
            version=1,
        )
        uow.session.add(region)
        try:
            await uow.flush()
        except IntegrityError as error:  # lost a race for the same code
            raise Conflict(f"The tax region {data.code} exists.", field="code") from error
        # After the region: without a relationship() the flush does not order the tables.
        rates = [_new_rate(uow, data.code, rate) for rate in data.rates]
        uow.session.add_all(rates)
        uow.record(TaxRegionCreated(region_code=region.code))
        uow.audit("tax.region_created", "tax_region", region.code, data.model_dump(mode="json"))
        await uow.commit()
    return region, rates


async def update_region(
    uow: UnitOfWork, code: str, patch: TaxRegionPatch, *, if_match: int | None
) -> tuple[TaxRegionRecord, list[TaxRateRecord]]:
    changes = patch.model_dump(exclude_unset=True)
    _refuse_nulls(changes, _NOT_NULL_REGION)
    async with uow:
        region = await region_for_update(uow, code)
        check_version(if_match, region.version, "tax region")
        for name, value in changes.items():
            setattr(region, name, getattr(value, "value", value))
        _touch(uow, region)
        uow.record(TaxRegionUpdated(region_code=region.code, fields=sorted(changes)))
        uow.audit(
            "tax.region_updated",
            "tax_region",
            region.code,
            patch.model_dump(mode="json", exclude_unset=True),
        )
        rates = await region_rates(uow, region.code)
        await uow.commit()
    return region, rates


async def delete_region(uow: UnitOfWork, code: str, *, if_match: int | None = None) -> None:
    """Delete a region with its rates; quotes for it then answer ``tax_region_unknown``."""
    async with uow:
        region = await region_for_update(uow, code)
        check_version(if_match, region.version, "tax region")
        await uow.session.execute(
            delete(TaxRateRecord).where(TaxRateRecord.region_code == region.code)
        )
        await uow.session.execute(
            delete(TaxRegionRecord).where(TaxRegionRecord.code == region.code)
        )
        uow.record(TaxRegionDeleted(region_code=region.code))
        uow.audit("tax.region_deleted", "tax_region", region.code, {"name": region.name})
        await uow.commit()


async def add_rate(
    uow: UnitOfWork, code: str, data: TaxRateIn, *, if_match: int | None = None
) -> tuple[TaxRegionRecord, TaxRateRecord]:
    async with uow:
        region = await region_for_update(uow, code)
        check_version(if_match, region.version, "tax region")
        existing = await region_rates(uow, region.code)
        check_no_overlap([*existing, data], field="valid_from")
        rate = _new_rate(uow, region.code, data)
        uow.session.add(rate)
        _touch(uow, region)
        uow.record(TaxRatesChanged(region_code=region.code, tax_classes=[rate.tax_class]))
        uow.audit("tax.rate_added", "tax_region", region.code, data.model_dump(mode="json"))
        await uow.commit()
    return region, rate


async def update_rate(
    uow: UnitOfWork, code: str, rate_id: str, patch: TaxRatePatch, *, if_match: int | None = None
) -> tuple[TaxRegionRecord, TaxRateRecord]:
    changes = patch.model_dump(exclude_unset=True)
    _refuse_nulls(changes, _NOT_NULL_RATE)
    async with uow:
        region = await region_for_update(uow, code)
        check_version(if_match, region.version, "tax region")
        existing = await region_rates(uow, region.code)
        rate = next((r for r in existing if r.id == rate_id), None)
        if rate is None:
            raise NotFound("No such rate in this region.")
        window = Span(
            rate.tax_class,
            changes.get("valid_from", rate.valid_from),
            changes.get("valid_to", rate.valid_to),
        )
        if window.valid_from and window.valid_to and window.valid_to <= window.valid_from:
            raise InvalidInput("valid_to must be after valid_from.", field="valid_to")
        check_no_overlap([*(r for r in existing if r.id != rate.id), window], field="valid_from")
        if "percent" in changes:
            rate.percent = percent_text(changes["percent"])
        if "name" in changes:
            rate.name = changes["name"]
        rate.valid_from, rate.valid_to = window.valid_from, window.valid_to
        rate.updated_at = uow.clock.now()
        _touch(uow, region)
        uow.record(TaxRatesChanged(region_code=region.code, tax_classes=[rate.tax_class]))
        uow.audit(
            "tax.rate_updated",
            "tax_region",
            region.code,
            {"rate_id": rate.id, **patch.model_dump(mode="json", exclude_unset=True)},
        )
        await uow.commit()
    return region, rate


async def delete_rate(
    uow: UnitOfWork, code: str, rate_id: str, *, if_match: int | None = None
) -> TaxRegionRecord:
    async with uow:
        region = await region_for_update(uow, code)
        check_version(if_match, region.version, "tax region")
        rate = await uow.session.get(TaxRateRecord, rate_id)
        if rate is None or rate.region_code != region.code:
            raise NotFound("No such rate in this region.")
        await uow.session.delete(rate)
        _touch(uow, region)
        uow.record(TaxRatesChanged(region_code=region.code, tax_classes=[rate.tax_class]))
        uow.audit(
            "tax.rate_deleted",
            "tax_region",
            region.code,
            {"rate_id": rate.id, "tax_class": rate.tax_class},
        )
        await uow.commit()
    return region
