"""The two worked examples of docs/promotions.md, so the page cannot drift from the code."""

from __future__ import annotations

from decimal import Decimal

from omni.kernel.money import Money
from omni.promotions.domain import (
    AmountOff,
    BasketLine,
    BuyXGetY,
    Conditions,
    CustomerContext,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
    Stacking,
    Target,
    ThresholdTier,
)
from omni.promotions.engine import evaluate
from omni.taxes.domain import TableTaxProvider, TaxableLine, TaxRate, TaxRegion, TaxRequest
from tests.promotions import basket, usd


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def test_the_stacked_basket() -> None:
    shopper = basket(
        BasketLine("l1", "var_shirt_m", "prd_shirt", 2, usd(2500), frozenset({"cat_tops"})),
        BasketLine("l2", "var_jeans_32", "prd_jeans", 1, usd(8000), frozenset({"cat_bottoms"})),
        BasketLine("l3", "var_socks", "prd_socks", 3, usd(500), frozenset({"cat_acc"})),
        coupon_codes=("save20", "TAKE25", "bogus"),
        shipping=usd(895),
        shipping_method_id="shm_std",
    )
    tops = Target(category_ids=frozenset({"cat_tops"}))
    promotions = [
        Promotion("prm_tops", "20% off tops", PercentOff(Decimal(20), tops), priority=10),
        Promotion(
            "prm_socks",
            "Socks: buy 2 get 1 free",
            BuyXGetY(2, 1, Target(product_ids=frozenset({"prd_socks"}))),
        ),
        Promotion(
            "prm_save20",
            "$20 off orders over $100",
            SpendThreshold((ThresholdTier(usd(10000), amount_off=usd(2000)),)),
            coupon_codes=frozenset({"SAVE20"}),
        ),
        Promotion(
            "prm_take25",
            "$25 off, not combinable",
            AmountOff(usd(2500)),
            coupon_codes=frozenset({"TAKE25"}),
            stacking=Stacking.EXCLUSIVE,
        ),
        Promotion(
            "prm_ship",
            "Free standard shipping over $75",
            FreeShipping(frozenset({"shm_std"})),
            conditions=Conditions(min_subtotal=usd(7500)),
        ),
    ]

    result = evaluate(shopper, promotions).as_dict()

    assert {k: result[k] for k in ("subtotal", "line_discount", "shipping_total", "total")} == {
        "subtotal": 14500,
        "line_discount": 3500,
        "shipping_total": 0,
        "total": 11000,
    }
    assert [(line["line_id"], line["discount"]) for line in result["lines"]] == [
        ("l1", 1615),
        ("l2", 1231),
        ("l3", 654),
    ]
    assert [(p["promotion_id"], p["amount"]) for p in result["applied"]] == [
        ("prm_tops", 1000),
        ("prm_socks", 500),
        ("prm_save20", 2000),
        ("prm_ship", 895),
    ]
    assert result["rejected_coupons"] == [
        {"code": "TAKE25", "reason": "not_combinable", "promotion_id": "prm_take25"},
        {"code": "BOGUS", "reason": "unknown", "promotion_id": None},
    ]


def test_the_inclusive_vat_basket() -> None:
    shopper = basket(
        BasketLine("l1", "var_tee", "prd_tee", 2, eur(2999)),
        BasketLine("l2", "var_book", "prd_book", 1, eur(1500)),
        channel_id="chn_web_de",
        customer=CustomerContext("cus_7"),
        coupon_codes=("welcome10",),
        shipping=eur(490),
        shipping_method_id="shm_dhl",
    )
    promotions = [
        Promotion(
            "prm_welcome",
            "Welcome: 10% off",
            PercentOff(Decimal(10)),
            coupon_codes=frozenset({"WELCOME10"}),
            conditions=Conditions(customer_required=True),
        ),
        Promotion(
            "prm_ship",
            "Free shipping over €100",
            FreeShipping(),
            conditions=Conditions(min_subtotal=eur(10000)),
        ),
    ]
    discounted = evaluate(shopper, promotions)
    germany = TaxRegion(
        "DE",
        (TaxRate("standard", Decimal(19), "VAT 19%"), TaxRate("reduced", Decimal(7), "VAT 7%")),
    )
    classes = {"l1": "standard", "l2": "reduced"}
    request = TaxRequest(
        "EUR",
        "DE",
        tuple(TaxableLine(ln.line_id, ln.total, classes[ln.line_id]) for ln in discounted.lines),
        prices_include_tax=True,
        shipping=discounted.shipping_total,
    )

    quote = TableTaxProvider([germany]).quote(request).as_dict()

    assert [line.total.amount for line in discounted.lines] == [5398, 1350]
    assert [(t["net"], t["tax"], t["gross"]) for t in quote["lines"]] == [
        (4536, 862, 5398),
        (1262, 88, 1350),
    ]
    assert (quote["shipping"]["net"], quote["shipping"]["tax"]) == (412, 78)
    assert (quote["net_total"], quote["tax_total"], quote["gross_total"]) == (6210, 1028, 7238)
    assert quote["gross_total"] == discounted.total.amount  # inclusive: the price is kept
    assert [(row["rate_name"], row["tax"]) for row in quote["breakdown"]] == [
        ("VAT 19%", 940),
        ("VAT 7%", 88),
    ]
