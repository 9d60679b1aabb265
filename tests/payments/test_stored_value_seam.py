"""The stored-value seam: gift card, store credit and points tenders are taken off a
ledger inside the order's unit of work and given back on refund; a kind no ledger serves
is refused before any card is authorized; a ledger's refusal rolls the order back.

``Balances`` stands in for the loyalty module's ledger here: these tests are about the
contract payments keeps with whichever ledger registers (the ledger's own rules are its
module's tests)."""

import pytest
from sqlalchemy import func, select

from omni.kernel.errors import Conflict, DomainError
from omni.kernel.ids import new_id
from omni.payments import api, stored_value
from omni.payments.models import PaymentRow
from omni.payments.tenders import Tender
from tests.payments.support import eur, events, place


class Balances:
    """A ledger with balances per reference, recording every call."""

    def __init__(self, **balances: int) -> None:
        self.balances = dict(balances)
        self.calls: list[tuple[str, str, int, str]] = []

    async def redeem(self, uow, reference, amount, *, payment_id, order_id):
        if self.balances.get(reference, 0) < amount.amount:
            raise Conflict("Not enough on the card.", reference=reference[-4:])
        self.balances[reference] -= amount.amount
        self.calls.append(("redeem", reference, amount.amount, payment_id))

    async def give_back(self, uow, reference, amount, *, payment_id, order_id):
        self.calls.append(("give_back", reference, amount.amount, payment_id))


@pytest.fixture
def gift_cards(monkeypatch):
    ledger = Balances(GC4111222233334444=5_000)
    monkeypatch.setitem(stored_value._LEDGERS, api.TenderKind.GIFT_CARD, ledger)
    return ledger


async def payments_of(database, order_id):
    async with database.reader() as session:
        return await session.scalar(
            select(func.count()).select_from(PaymentRow).where(PaymentRow.order_id == order_id)
        )


async def test_a_gift_card_is_redeemed_with_the_order_and_given_back_on_refund(
    database, provider, gift_cards
):
    tender = Tender(api.TenderKind.GIFT_CARD, eur(3_000), reference="GC4111222233334444")
    _, [payment_id], _ = await place(database, provider, tender)

    assert gift_cards.balances["GC4111222233334444"] == 2_000
    view = await _payment(database, payment_id)
    assert (view.status, view.reference) == ("captured", "•••• 4444")

    await api.refund(database, provider, payment_id, eur(1_000), "returned")

    assert gift_cards.calls[-1] == ("give_back", "•••• 4444", 1_000, payment_id)
    [(_, event)] = [e for e in await events(database, payment_id) if e[0] == "payment.refunded"]
    assert (event["tender"], event["amount"]) == ("gift_card", 1_000)


async def test_a_ledger_refusal_rolls_the_whole_order_back(database, provider, gift_cards):
    order_id = new_id("ord")
    tender = Tender(api.TenderKind.GIFT_CARD, eur(9_000), reference="GC4111222233334444")
    with pytest.raises(Conflict):
        await place(database, provider, tender, order_id=order_id)
    assert await payments_of(database, order_id) == 0
    assert gift_cards.balances["GC4111222233334444"] == 5_000


async def test_a_kind_no_ledger_serves_is_refused_before_any_card_is_authorized(
    recording, monkeypatch
):
    monkeypatch.delitem(stored_value._LEDGERS, api.TenderKind.STORE_CREDIT, raising=False)
    plan = api.plan_split_tender(
        eur(5_000),
        [
            Tender(api.TenderKind.CARD_ONLINE, eur(3_000), reference="tok_visa"),
            Tender(api.TenderKind.STORE_CREDIT, eur(2_000), reference="cus_123"),
        ],
    )
    with pytest.raises(DomainError) as refused:
        await api.authorize_plan(recording, plan, idempotency_key=new_id("chk"))
    assert (refused.value.status, refused.value.code) == (422, "tender_not_accepted")
    assert recording.calls.get("authorize", 0) == 0


async def _payment(database, payment_id):
    async with database.reader() as session:
        return await session.get(PaymentRow, payment_id)
