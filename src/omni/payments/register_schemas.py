"""Request and response bodies of /registers (PAY4). Amounts are integer minor units."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from omni.http.schemas import StrictModel
from omni.payments.register_queries import EndOfDay, MovementView, SessionView
from omni.payments.registers import MovementKind


class OpenSessionIn(StrictModel):
    location_id: str = Field(max_length=32)
    register_id: str = Field(min_length=1, max_length=64, description="The till, e.g. till-1")
    currency: str = Field(min_length=3, max_length=3)
    opening_float: int = Field(ge=0)
    note: str | None = Field(None, max_length=500)


class MovementIn(StrictModel):
    kind: MovementKind
    amount: int = Field(gt=0)
    reason: str = Field(min_length=1, max_length=200)


class CloseSessionIn(StrictModel):
    counted: int = Field(ge=0, description="Cash counted in the drawer")
    note: str | None = Field(None, max_length=500)


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    drawer: int = Field(description="What the drawer should hold now")
    expected: int | None
    counted: int | None
    over_short: int | None = Field(description="counted - expected: + over, - short")
    opened_by: str | None
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    note: str | None


class MovementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


class SessionDetailOut(SessionOut):
    movements: list[MovementOut]


def session_out(view: SessionView) -> SessionOut:
    return SessionOut.model_validate(view)


def session_detail(view: SessionView, movements: list[MovementView]) -> SessionDetailOut:
    return SessionDetailOut.model_validate(
        {**view.__dict__, "movements": [MovementOut.model_validate(m) for m in movements]}
    )


class TenderTotalOut(BaseModel):
    tender: str
    currency: str
    sales_count: int
    sales_amount: int
    refunds_count: int
    refunds_amount: int
    net: int


class CashTotalOut(BaseModel):
    currency: str
    expected: int
    counted: int
    over_short: int


class EndOfDayOut(BaseModel):
    location_id: str
    business_date: date
    time_zone: str
    sessions: list[SessionOut]
    tenders: list[TenderTotalOut]
    cash: list[CashTotalOut]
    open_sessions: int
    sales_count: int
    refunds_count: int


def end_of_day_out(report: EndOfDay) -> EndOfDayOut:
    return EndOfDayOut(
        location_id=report.location_id,
        business_date=report.business_date,
        time_zone=report.time_zone,
        sessions=[session_out(s) for s in report.sessions],
        tenders=[
            TenderTotalOut(
                tender=t.tender,
                currency=t.currency,
                sales_count=t.sales_count,
                sales_amount=t.sales_amount,
                refunds_count=t.refunds_count,
                refunds_amount=t.refunds_amount,
                net=t.net,
            )
            for t in report.tenders
        ],
        cash=[CashTotalOut.model_validate(c.__dict__) for c in report.cash],
        open_sessions=report.open_sessions,
        sales_count=report.sales_count,
        refunds_count=report.refunds_count,
    )
