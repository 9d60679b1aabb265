"""Pure catalog rules: SKUs, GTINs, handles, option combinations, bundles, the tree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from omni.catalog import domain
from omni.catalog.domain import CatalogRuleBroken, ComponentLine, VariantFacts

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given_sku", "stored"),
    [("tee-navy-m", "TEE-NAVY-M"), ("  ab_1.2 ", "AB_1.2"), ("X" * 64, "X" * 64)],
)
def test_skus_are_stored_upper_case_and_trimmed(given_sku, stored):
    assert domain.normalize_sku(given_sku) == stored


@pytest.mark.parametrize("bad", ["", "TEE NAVY", "TEE/1", "É-1", "X" * 65, "tee#1"])
def test_skus_with_other_characters_or_too_long_are_refused(bad):
    with pytest.raises(CatalogRuleBroken) as refused:
        domain.normalize_sku(bad)
    assert refused.value.field == "sku"


@pytest.mark.parametrize(
    ("given_gtin", "stored"),
    [
        ("96385074", "00000096385074"),  # GTIN-8 (EAN-8)
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("4006381333931", "04006381333931"),  # GTIN-13 (EAN-13)
        ("10614141000415", "10614141000415"),  # GTIN-14
        ("400-6381 333931", "04006381333931"),  # separators are ignored
    ],
)
def test_valid_gtins_of_every_length_are_stored_as_14_digits(given_gtin, stored):
    assert domain.normalize_gtin(given_gtin) == stored


@pytest.mark.parametrize(
    "bad", ["4006381333932", "036000291453", "123", "40063813339311234", "ABCDEFGHIJKLM", ""]
)
def test_gtins_with_a_wrong_check_digit_length_or_letters_are_refused(bad):
    with pytest.raises(CatalogRuleBroken) as refused:
        domain.normalize_gtin(bad)
    assert refused.value.field == "gtin"


def test_a_upc_and_the_same_item_as_ean13_are_one_stored_gtin():
    assert domain.normalize_gtin("036000291452") == domain.normalize_gtin("0036000291452")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_body_with_its_computed_check_digit_is_a_valid_gtin(body):
    gtin = body + ean.calc_check_digit(body)
    assert domain.normalize_gtin(gtin) == gtin.zfill(14)


@given(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
        min_size=1,
        max_size=64,
    )
)
def test_normalizing_a_sku_twice_changes_nothing_more(sku):
    once = domain.normalize_sku(sku)
    assert domain.normalize_sku(once) == once


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Crème Brûlée Mug", "creme-brulee-mug"),
        ("  Linen Shirt — Slim fit! ", "linen-shirt-slim-fit"),
        ("100% Cotton Tee", "100-cotton-tee"),
    ],
)
def test_handles_are_made_from_names(name, handle):
    assert domain.slugify(name) == handle
    assert domain.check_handle(handle) == handle


@pytest.mark.parametrize("bad", ["Linen", "linen--shirt", "-linen", "linen shirt", "a" * 121])
def test_malformed_handles_are_refused(bad):
    with pytest.raises(CatalogRuleBroken):
        domain.check_handle(bad)


def test_a_name_without_letters_or_digits_cannot_make_a_handle():
    with pytest.raises(CatalogRuleBroken) as refused:
        domain.slugify("✨✨")
    assert refused.value.field == "handle"


def test_variants_give_exactly_the_products_options():
    names = ["size", "color"]
    assert domain.check_option_values(names, {"color": " Navy ", "size": "M"}) == {
        "size": "M",
        "color": "Navy",
    }
    with pytest.raises(CatalogRuleBroken, match="missing color"):
        domain.check_option_values(names, {"size": "M"})
    with pytest.raises(CatalogRuleBroken, match="unknown fit"):
        domain.check_option_values(names, {"size": "M", "color": "Navy", "fit": "slim"})
    with pytest.raises(CatalogRuleBroken, match="1 to 100"):
        domain.check_option_values(names, {"size": " ", "color": "Navy"})


@pytest.mark.parametrize("bad", [["size", "size"], ["Size"], ["a", "b", "c", "d"], ["with space"]])
def test_option_names_are_few_distinct_lower_case_codes(bad):
    with pytest.raises(CatalogRuleBroken) as refused:
        domain.check_option_names(bad)
    assert refused.value.field == "option_names"


def test_option_combinations_compare_without_case_in_declared_order():
    names = ["size", "color"]
    navy = domain.option_key(names, {"size": "M", "color": "Navy"})
    assert navy == domain.option_key(names, {"color": "NAVY", "size": "m"})
    assert navy != domain.option_key(names, {"size": "L", "color": "Navy"})
    assert domain.duplicate_combinations([navy, "other", navy]) == [2]


def test_a_product_is_visible_only_when_active_and_published_by_now():
    earlier, later = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    assert domain.is_visible(product_status="active", published=True, published_at=earlier, at=NOW)
    assert domain.is_visible(product_status="active", published=True, published_at=None, at=NOW)
    assert not domain.is_visible(
        product_status="draft", published=True, published_at=earlier, at=NOW
    )
    assert not domain.is_visible(
        product_status="active", published=False, published_at=earlier, at=NOW
    )
    assert not domain.is_visible(
        product_status="active", published=True, published_at=later, at=NOW
    )


def test_a_product_can_be_active_only_with_an_active_variant():
    assert domain.can_activate(["archived", "active"])
    assert not domain.can_activate(["archived"])
    assert not domain.can_activate([])


def _facts(variant_id: str, *, bundle=False, component=False, status="active") -> VariantFacts:
    return VariantFacts(variant_id, status, is_bundle=bundle, is_component=component)


KNOWN = {
    "var_a": _facts("var_a"),
    "var_b": _facts("var_b"),
    "var_kit": _facts("var_kit", bundle=True),
    "var_old": _facts("var_old", status="archived"),
}


def test_a_bundle_of_plain_active_variants_is_accepted():
    domain.check_bundle(
        _facts("var_new"), [ComponentLine("var_a", 2), ComponentLine("var_b", 1)], KNOWN
    )


@pytest.mark.parametrize(
    ("bundle", "lines", "message"),
    [
        (_facts("var_a"), [ComponentLine("var_a", 1)], "cannot contain itself"),
        (_facts("var_new"), [ComponentLine("var_kit", 1)], "itself a bundle"),
        (_facts("var_new", component=True), [ComponentLine("var_a", 1)], "component of another"),
        (_facts("var_new"), [ComponentLine("var_a", 1), ComponentLine("var_a", 2)], "twice"),
        (_facts("var_new"), [ComponentLine("var_zzz", 1)], "Unknown variant"),
        (_facts("var_new"), [ComponentLine("var_old", 1)], "archived"),
        (_facts("var_new"), [ComponentLine("var_a", 0)], "at least 1"),
    ],
)
def test_bundles_refuse_self_nesting_duplicates_unknown_and_archived_parts(bundle, lines, message):
    with pytest.raises(CatalogRuleBroken, match=message):
        domain.check_bundle(bundle, lines, KNOWN)


def test_a_component_may_stop_being_a_bundle_with_an_empty_recipe():
    domain.check_bundle(_facts("var_a", component=True), [], KNOWN)


def test_moving_a_category_under_its_own_descendant_is_a_cycle():
    parents = {"root": None, "women": "root", "tops": "women", "men": "root"}
    assert domain.would_cycle(parents, "women", "tops")
    assert domain.would_cycle(parents, "women", "women")
    assert not domain.would_cycle(parents, "tops", "men")
    assert not domain.would_cycle(parents, "men", "women")
