"""The ledger's invariants under any sequence of operations (Hypothesis state machine,
on the real database): issue, top up, redeem through the payments seam, refund, block —
every balance equals the sum of its postings, matches a simple model, never goes
negative, and every refusal changes nothing."""

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from omni.db.database import Database
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.loyalty import gift_cards, ledger
from omni.loyalty.domain import CodeForm, mask
from omni.loyalty.errors import GiftCardBlocked, InsufficientBalance, RefundExceedsRedemption
from omni.loyalty.models import LedgerAccount
from omni.loyalty.tenders import GiftCardTender
from omni.settings import Settings

AMOUNTS = st.integers(min_value=1, max_value=20_000)


class GiftCardLedger(RuleBasedStateMachine):
    """The model: each card's balance and status; each redemption's taken/refunded."""

    settings: Settings
    cards = Bundle("cards")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.db = Database(self.settings)  # its own engine: this runs in its own loop
        self.tender = GiftCardTender(self.settings.loyalty_code_secret)
        self.balances: dict[str, int] = {}
        self.blocked: set[str] = set()
        self.redemptions: dict[str, list[Any]] = {}  # payment id -> [card, taken, refunded]

    def run(self, step: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(step)

    async def in_uow(self, work: Any) -> Any:
        async with self.db.uow() as uow:
            result = await work(uow)
            await uow.commit()
        return result

    @initialize(target=cards, value=AMOUNTS)
    def first_card(self, value: int) -> tuple[str, str]:
        return self.issue(value)

    @rule(target=cards, value=AMOUNTS)
    def another_card(self, value: int) -> tuple[str, str]:
        return self.issue(value)

    def issue(self, value: int) -> tuple[str, str]:
        issued = self.run(
            self.in_uow(
                lambda uow: gift_cards.issue(
                    uow,
                    self.settings.loyalty_code_secret,
                    Money(value, "EUR"),
                    form=CodeForm.DIGITAL,
                    request_id=new_id("req"),
                )
            )
        )
        self.balances[issued.card.id] = value
        return issued.card.id, issued.code

    @rule(card=cards, value=AMOUNTS)
    def top_up(self, card: tuple[str, str], value: int) -> None:
        card_id, _ = card
        work = self.in_uow(
            lambda uow: gift_cards.top_up(uow, card_id, value, request_id=new_id("req"))
        )
        if card_id in self.blocked:
            with pytest.raises(GiftCardBlocked):
                self.run(work)
            return
        self.run(work)
        self.balances[card_id] += value

    @rule(card=cards, value=AMOUNTS)
    def redeem(self, card: tuple[str, str], value: int) -> None:
        card_id, code = card
        payment_id = new_id("pay")
        work = self.in_uow(
            lambda uow: self.tender.redeem(
                uow, code, Money(value, "EUR"), payment_id=payment_id, order_id=new_id("ord")
            )
        )
        if card_id in self.blocked:
            with pytest.raises(GiftCardBlocked):
                self.run(work)
        elif value > self.balances[card_id]:
            with pytest.raises(InsufficientBalance) as refused:
                self.run(work)
            assert refused.value.extra["available"] == self.balances[card_id]
        else:
            self.run(work)
            self.balances[card_id] -= value
            self.redemptions[payment_id] = [card_id, value, 0]

    @precondition(lambda self: self.redemptions)
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        payment_id = data.draw(st.sampled_from(sorted(self.redemptions)))
        card_id, taken, refunded = self.redemptions[payment_id]
        value = data.draw(st.integers(min_value=1, max_value=taken + 10))
        # Payments keeps only the masked code: the ledger finds the card by payment id.
        work = self.in_uow(
            lambda uow: self.tender.give_back(
                uow, mask("XXXX"), Money(value, "EUR"), payment_id=payment_id, order_id="ord_x"
            )
        )
        if refunded + value > taken:
            with pytest.raises(RefundExceedsRedemption):
                self.run(work)
            return
        self.run(work)  # even to a blocked card: the money was the holder's
        self.balances[card_id] += value
        self.redemptions[payment_id][2] += value

    @rule(card=cards)
    def block_or_unblock(self, card: tuple[str, str]) -> None:
        card_id, _ = card
        status = "active" if card_id in self.blocked else "blocked"
        self.run(self.in_uow(lambda uow: gift_cards.set_status(uow, card_id, status)))
        self.blocked ^= {card_id}

    @invariant()
    def balances_are_the_model_and_the_sum_of_postings(self) -> None:
        async def read() -> tuple[dict[str, int], ledger.LedgerCheck]:
            async with self.db.reader() as session:
                rows = await session.execute(
                    LedgerAccount.__table__.select().where(
                        LedgerAccount.id.in_(list(self.balances))
                    )
                )
                kept = {row.id: row.balance for row in rows}
                return kept, await ledger.verify(session, list(self.balances))

        kept, check = self.run(read())
        assert kept == self.balances
        assert check.sound, check
        assert all(balance >= 0 for balance in kept.values())

    def teardown(self) -> None:
        self.run(self.db.dispose())
        self.loop.close()


async def test_any_sequence_of_operations_keeps_the_ledger_sound(settings, database):
    GiftCardLedger.settings = settings
    run = hypothesis_settings(
        max_examples=12,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    # Its own thread and event loop: the rules are synchronous, the database async.
    await asyncio.to_thread(run_state_machine_as_test, GiftCardLedger, settings=run)
