"""Read side of registers: sessions, their cash movements, the end-of-day report."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.locations import api as locations_api
from omni.payments.models import CashMovement, PaymentOperation, PaymentRow, RegisterSession


@dataclass(frozen=True)
class SessionView:
    id: str
    location_id: str
    register_id: str
    business_date: date
    currency: str
    status: str
    opening_float: int
    cash_sales: int
    cash_refunds: int
    pay_ins: int
    pay_outs: int
    drops: int
    sales_count: int
    refunds_count: int
    drawer: int  # what the drawer should hold now
    expected: int | None
    counted: int | None
    over_short: int | None
    opened_by: str | None
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class MovementView:
    id: str
    kind: str
    amount: int
    tendered: int | None
    change: int | None
    reason: str | None
    payment_id: str | None
    order_id: str | None
    actor_id: str | None
    at: datetime


@dataclass(frozen=True)
class TenderTotal:
    """Money taken and given back with one tender at the store that day."""

    tender: str
    currency: str
    sales_count: int
    sales_amount: int
    refunds_count: int
    refunds_amount: int

    @property
    def net(self) -> int:
        return self.sales_amount - self.refunds_amount


@dataclass(frozen=True)
class CashTotal:
    currency: str
    expected: int  # closed sessions: what the drawers should have held
    counted: int
    over_short: int


@dataclass(frozen=True)
class EndOfDay:
    location_id: str
    business_date: date
    time_zone: str
    sessions: list[SessionView]
    tenders: list[TenderTotal]
    cash: list[CashTotal]
    open_sessions: int
    sales_count: int
    refunds_count: int


def session_view(row: RegisterSession) -> SessionView:
    drawer = (
        row.opening_float + row.cash_sales - row.cash_refunds + row.pay_ins - row.pay_outs
    ) - row.drops
    return SessionView(
        id=row.id,
        location_id=row.location_id,
        register_id=row.register_id,
        business_date=row.business_date,
        currency=row.currency,
        status=row.status,
        opening_float=row.opening_float,
        cash_sales=row.cash_sales,
        cash_refunds=row.cash_refunds,
        pay_ins=row.pay_ins,
        pay_outs=row.pay_outs,
        drops=row.drops,
        sales_count=row.sales_count,
        refunds_count=row.refunds_count,
        drawer=drawer,
        expected=row.expected,
        counted=row.counted,
        over_short=row.over_short,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        note=row.note,
    )


async def get_session(
    session: AsyncSession, session_id: str
) -> tuple[SessionView, list[MovementView]] | None:
    row = await session.get(RegisterSession, session_id, populate_existing=True)
    if row is None:
        return None
    movements = await session.scalars(
        select(CashMovement)
        .where(CashMovement.session_id == session_id)
        .order_by(CashMovement.at, CashMovement.id)
    )
    return session_view(row), [
        MovementView(
            id=m.id,
            kind=m.kind,
            amount=m.amount,
            tendered=m.tendered,
            change=m.change,
            reason=m.reason,
            payment_id=m.payment_id,
            order_id=m.order_id,
            actor_id=m.actor_id,
            at=m.at,
        )
        for m in movements
    ]


async def list_sessions(
    session: AsyncSession,
    page: PageParams,
    *,
    location_id: str | None = None,
    status: str | None = None,
    business_date: date | None = None,
    only_locations: Collection[str] | None = None,
) -> list[SessionView]:
    """Newest first; ``only_locations`` restricts to these stores (store staff)."""
    query = select(RegisterSession).order_by(RegisterSession.id.desc()).limit(page.limit + 1)
    if page.after:
        query = query.where(RegisterSession.id < str(page.after))
    if location_id is not None:
        query = query.where(RegisterSession.location_id == location_id)
    if status is not None:
        query = query.where(RegisterSession.status == status)
    if business_date is not None:
        query = query.where(RegisterSession.business_date == business_date)
    if only_locations is not None:
        query = query.where(RegisterSession.location_id.in_(sorted(only_locations)))
    return [session_view(row) for row in await session.scalars(query)]


def local_day(business_date: date, time_zone: str) -> tuple[datetime, datetime]:
    """The store's local day as a half-open UTC interval (23 or 25 hours on DST days)."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(business_date, time.min, tzinfo=zone)
    end = datetime.combine(business_date + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


async def end_of_day(
    session: AsyncSession, location_id: str, business_date: date
) -> EndOfDay | None:
    """A store's day: its register sessions (opened that local day), money taken and
    given back per tender (captures and refunds completed that local day at the store),
    cash expected vs counted, over/short. ``None`` for an unknown location."""
    found = await locations_api.get_locations(session, [location_id])
    if location_id not in found:
        return None
    time_zone = found[location_id].time_zone
    sessions = [
        session_view(row)
        for row in await session.scalars(
            select(RegisterSession)
            .where(
                RegisterSession.location_id == location_id,
                RegisterSession.business_date == business_date,
            )
            .order_by(RegisterSession.register_id, RegisterSession.opened_at)
        )
    ]
    start, end = local_day(business_date, time_zone)
    op = PaymentOperation
    totals = await session.execute(
        select(PaymentRow.tender, PaymentRow.currency, op.kind, func.count(), func.sum(op.amount))
        .join(PaymentRow, PaymentRow.id == op.payment_id)
        .where(
            PaymentRow.location_id == location_id,
            op.kind.in_(("capture", "refund")),
            op.status == "succeeded",
            op.completed_at >= start,
            op.completed_at < end,
        )
        .group_by(PaymentRow.tender, PaymentRow.currency, op.kind)
    )
    per_tender: dict[tuple[str, str], dict[str, int]] = {}
    for tender, currency, kind, count, amount in totals.all():
        entry = per_tender.setdefault((tender, currency), {})
        entry[f"{kind}_count"], entry[f"{kind}_amount"] = int(count), int(amount or 0)
    tenders = [
        TenderTotal(
            tender=tender,
            currency=currency,
            sales_count=entry.get("capture_count", 0),
            sales_amount=entry.get("capture_amount", 0),
            refunds_count=entry.get("refund_count", 0),
            refunds_amount=entry.get("refund_amount", 0),
        )
        for (tender, currency), entry in sorted(per_tender.items())
    ]
    return EndOfDay(
        location_id=location_id,
        business_date=business_date,
        time_zone=time_zone,
        sessions=sessions,
        tenders=tenders,
        cash=_cash_totals(sessions),
        open_sessions=sum(s.status == "open" for s in sessions),
        sales_count=sum(t.sales_count for t in tenders),
        refunds_count=sum(t.refunds_count for t in tenders),
    )


def _cash_totals(sessions: list[SessionView]) -> list[CashTotal]:
    by_currency: dict[str, list[SessionView]] = {}
    for view in sessions:
        if view.status == "closed":
            by_currency.setdefault(view.currency, []).append(view)
    return [
        CashTotal(
            currency=currency,
            expected=sum(v.expected or 0 for v in closed),
            counted=sum(v.counted or 0 for v in closed),
            over_short=sum(v.over_short or 0 for v in closed),
        )
        for currency, closed in sorted(by_currency.items())
    ]
