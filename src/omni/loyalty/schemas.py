"""Request and response models of the loyalty module. A gift card code appears in one
response only (``GiftCardIssuedOut``, once); everywhere else it is masked."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from omni.http.schemas import StrictModel
from omni.kernel.money import check_currency
from omni.loyalty.domain import CodeForm, mask
from omni.loyalty.models import LedgerAccount

MAX_AMOUNT = 10**12


def _currency(value: str) -> str:
    return check_currency(value.upper())


class GiftCardIssueIn(StrictModel):
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Initial value, minor units")
    currency: str = Field(min_length=3, max_length=3, examples=["EUR"])
    form: CodeForm = CodeForm.DIGITAL
    number: str | None = Field(
        default=None,
        max_length=40,
        description="A pre-printed physical card's number, to activate it (form physical)",
    )
    customer_id: str | None = Field(default=None, max_length=32)

    _check_currency = field_validator("currency")(_currency)


class AmountIn(StrictModel):
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Minor units")


class StoreCreditIn(StrictModel):
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Minor units")
    currency: str = Field(min_length=3, max_length=3, examples=["EUR"])
    reason: str = Field(min_length=1, max_length=200, examples=["late delivery"])

    _check_currency = field_validator("currency")(_currency)


class BalanceCheckIn(StrictModel):
    code: str = Field(min_length=1, max_length=40, description="The code, as printed or typed")


class GiftCardOut(BaseModel):
    id: str
    shown: str = Field(description="The code, masked: •••• and its last four characters")
    form: str | None
    currency: str
    balance: int
    status: str
    customer_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, card: LedgerAccount) -> GiftCardOut:
        return cls(
            id=card.id,
            shown=mask(card.code_last or ""),
            form=card.form,
            currency=card.unit,
            balance=card.balance,
            status=card.status,
            customer_id=card.customer_id,
            created_at=card.created_at,
        )


class GiftCardIssuedOut(GiftCardOut):
    code: str | None = Field(
        description="The full code, grouped by four: in this response only, and only the "
        "first time (a retry with the same Idempotency-Key answers null)"
    )


class GiftCardBalanceOut(BaseModel):
    shown: str
    currency: str
    balance: int


class AccountOut(BaseModel):
    id: str
    kind: str
    unit: str = Field(description="Currency code, or PTS for points")
    balance: int
    status: str

    @classmethod
    def of(cls, account: LedgerAccount) -> AccountOut:
        return cls(
            id=account.id,
            kind=account.kind,
            unit=account.unit,
            balance=account.balance,
            status=account.status,
        )


class CustomerBalancesOut(BaseModel):
    customer_id: str
    store_credit: list[AccountOut]
    points: list[AccountOut]
    gift_cards: list[GiftCardOut]


class PostingOut(BaseModel):
    id: str
    entry_id: str
    amount: int
    balance_after: int | None
    created_at: datetime
    kind: str
    source_type: str
    source_id: str
    reason: str
    order_id: str | None
    payment_id: str | None
