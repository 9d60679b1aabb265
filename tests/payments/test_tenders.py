"""Split tender: tenders pay the total exactly, in its currency; cash gives change."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.domain import TenderKind
from omni.payments.tenders import Tender, cash_change, plan_split_tender

K = TenderKind


def usd(cents: int) -> Money:
    return Money(cents, "USD")


def test_a_single_card_pays_the_total():
    plan = plan_split_tender(usd(4_999), [Tender(K.CARD_ONLINE, usd(4_999), "tok_visa")])
    assert plan.provider_tender == Tender(K.CARD_ONLINE, usd(4_999), "tok_visa")
    assert plan.change == usd(0)
    assert plan.due_later == usd(0)


def test_gift_cards_store_credit_points_and_a_card_split_one_total():
    tenders = [
        Tender(K.GIFT_CARD, usd(2_000), "gc_1"),
        Tender(K.GIFT_CARD, usd(1_000), "gc_2"),
        Tender(K.STORE_CREDIT, usd(500), "cus_1"),
        Tender(K.POINTS, usd(250), "loy_1"),
        Tender(K.CARD_TERMINAL, usd(1_249), "tok_terminal"),
    ]
    plan = plan_split_tender(usd(4_999), tenders)
    assert plan.tenders == tuple(tenders)
    assert plan.provider_tender is tenders[-1]


def test_cash_change_is_what_was_tendered_beyond_the_amount():
    plan = plan_split_tender(
        usd(4_999),
        [
            Tender(K.GIFT_CARD, usd(1_999), "gc_1"),
            Tender(K.CASH, usd(3_000), tendered=usd(5_000)),
        ],
    )
    assert plan.change == usd(2_000)


def test_exact_cash_needs_no_tendered_amount():
    assert plan_split_tender(usd(700), [Tender(K.CASH, usd(700))]).change == usd(0)


def test_deferred_tenders_are_due_later():
    plan = plan_split_tender(
        usd(5_000),
        [Tender(K.GIFT_CARD, usd(1_000), "gc_1"), Tender(K.PAY_AT_PICKUP, usd(4_000))],
    )
    assert plan.due_later == usd(4_000)
    assert plan.provider_tender is None


def test_a_zero_total_needs_no_tender():
    assert plan_split_tender(usd(0), []).tenders == ()


@pytest.mark.parametrize(
    ("due", "tendered", "change"),
    [(1_999, 2_000, 1), (1_999, 1_999, 0), (0, 500, 500), (1_000, 5_000, 4_000)],
)
def test_cash_change(due, tendered, change):
    assert cash_change(usd(due), usd(tendered)) == usd(change)


@pytest.mark.parametrize(
    ("due", "tendered", "code"),
    [
        (usd(2_000), usd(1_999), "insufficient_cash_tendered"),
        (usd(2_000), Money(2_000, "EUR"), "tender_currency_mismatch"),
    ],
)
def test_cash_change_refusals(due, tendered, code):
    with pytest.raises(DomainError) as refused:
        cash_change(due, tendered)
    assert refused.value.code == code


REFUSALS = [
    ("no tender for a positive total", usd(100), [], "no_tenders"),
    ("a negative total", usd(-1), [], "invalid_tender_amount"),
    ("tenders short of the total", usd(1_000), [Tender(K.CASH, usd(999))], "tender_total_mismatch"),
    (
        "tenders beyond the total",
        usd(1_000),
        [Tender(K.CASH, usd(600)), Tender(K.GIFT_CARD, usd(500), "gc_1")],
        "tender_total_mismatch",
    ),
    (
        "a tender in another currency",
        usd(1_000),
        [Tender(K.CASH, Money(1_000, "EUR"))],
        "tender_currency_mismatch",
    ),
    (
        "a zero tender",
        usd(1_000),
        [Tender(K.CASH, usd(1_000)), Tender(K.GIFT_CARD, usd(0), "gc_1")],
        "invalid_tender_amount",
    ),
    (
        "a negative tender",
        usd(1_000),
        [Tender(K.CASH, usd(1_100)), Tender(K.GIFT_CARD, usd(-100), "gc_1")],
        "invalid_tender_amount",
    ),
    (
        "a card without a token",
        usd(1_000),
        [Tender(K.CARD_ONLINE, usd(1_000))],
        "tender_reference_missing",
    ),
    (
        "a gift card without a code",
        usd(1_000),
        [Tender(K.GIFT_CARD, usd(1_000), "  ")],
        "tender_reference_missing",
    ),
    (
        "store credit without an account",
        usd(1_000),
        [Tender(K.STORE_CREDIT, usd(1_000))],
        "tender_reference_missing",
    ),
    (
        "points without an account",
        usd(1_000),
        [Tender(K.POINTS, usd(1_000))],
        "tender_reference_missing",
    ),
    (
        "a card number as the card token",
        usd(1_000),
        [Tender(K.CARD_ONLINE, usd(1_000), "4111 1111 1111 1111")],
        "card_data_not_accepted",
    ),
    (
        "a card number from the terminal",
        usd(1_000),
        [Tender(K.CARD_TERMINAL, usd(1_000), "5555555555554444")],
        "card_data_not_accepted",
    ),
    (
        "two cards",
        usd(1_000),
        [Tender(K.CARD_ONLINE, usd(500), "tok_visa"), Tender(K.CARD_TERMINAL, usd(500), "tok_x")],
        "too_many_card_tenders",
    ),
    (
        "a card and a payment link",
        usd(1_000),
        [Tender(K.CARD_ONLINE, usd(500), "tok_visa"), Tender(K.PAYMENT_LINK, usd(500))],
        "too_many_card_tenders",
    ),
    (
        "the same gift card twice",
        usd(1_000),
        [Tender(K.GIFT_CARD, usd(500), "gc_1"), Tender(K.GIFT_CARD, usd(500), "gc_1")],
        "duplicate_tender",
    ),
    (
        "cash twice",
        usd(1_000),
        [Tender(K.CASH, usd(500)), Tender(K.CASH, usd(500))],
        "duplicate_tender",
    ),
    (
        "store credit twice",
        usd(1_000),
        [Tender(K.STORE_CREDIT, usd(500), "c1"), Tender(K.STORE_CREDIT, usd(500), "c2")],
        "duplicate_tender",
    ),
    (
        "a tendered amount on a card",
        usd(1_000),
        [Tender(K.CARD_ONLINE, usd(1_000), "tok_visa", tendered=usd(2_000))],
        "tendered_amount_cash_only",
    ),
    (
        "too little cash tendered",
        usd(1_000),
        [Tender(K.CASH, usd(1_000), tendered=usd(950))],
        "insufficient_cash_tendered",
    ),
]


@pytest.mark.parametrize(
    ("case", "total", "tenders", "code"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_split_tender_refusals(case, total, tenders, code):
    with pytest.raises(DomainError) as refused:
        plan_split_tender(total, tenders)
    assert refused.value.code == code


def test_a_refused_card_number_is_never_echoed():
    with pytest.raises(DomainError) as refused:
        plan_split_tender(usd(100), [Tender(K.CARD_ONLINE, usd(100), "4111111111111111")])
    assert "4111" not in str(refused.value) + repr(refused.value.extra)
    assert refused.value.status == 422


def test_a_gift_card_code_may_look_like_a_card_number():
    # Third-party gift card numbers are often Luhn-valid 16-19 digits themselves.
    plan = plan_split_tender(usd(100), [Tender(K.GIFT_CARD, usd(100), "4111111111111111")])
    assert plan.change == usd(0)


@given(
    parts=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6),
    extra_cash=st.integers(min_value=0, max_value=10**5),
)
def test_tenders_that_add_up_are_accepted_with_the_right_change(parts, extra_cash):
    *gift_cards, cash = parts
    tenders = [Tender(K.GIFT_CARD, usd(c), f"gc_{i}") for i, c in enumerate(gift_cards)]
    tenders.append(Tender(K.CASH, usd(cash), tendered=usd(cash + extra_cash)))
    plan = plan_split_tender(usd(sum(parts)), tenders)
    assert plan.change == usd(extra_cash)
    with pytest.raises(DomainError):
        plan_split_tender(usd(sum(parts) + 1), tenders)
