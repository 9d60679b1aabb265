"""What the demo holds obeys the rules the API enforces, and looks like a business."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import phonenumbers
from stdnum import ean

from omni.access.passwords import verify_password
from omni.catalog import domain as catalog_domain
from omni.customers import domain as customer_domain
from omni.demo.data.accounts import DEMO_PASSWORD, HERO_SHOPPERS, STAFF_LOGINS
from omni.demo.data.places import METROS
from omni.locations import domain as location_domain
from omni.permissions import ROLES, STORE_SCOPED_ROLES
from tests.demo.conftest import Stored


def test_every_gtin_is_a_valid_unique_gtin_13(small_demo: Stored) -> None:
    gtins = small_demo.column("SELECT gtin FROM catalog_variants")
    assert gtins and None not in gtins
    assert len(set(gtins)) == len(gtins)
    for gtin in gtins:
        assert len(gtin) == 14 and gtin.startswith("0")  # stored as GTIN-14
        assert ean.is_valid(gtin[1:]), gtin


def test_skus_handles_and_options_pass_the_catalog_rules(small_demo: Stored) -> None:
    for row in small_demo.rows("SELECT sku, option_values, option_key FROM catalog_variants"):
        assert catalog_domain.normalize_sku(row["sku"]) == row["sku"]
        values = Stored.json(row["option_values"])
        assert catalog_domain.option_key(list(values), values) == row["option_key"]
    for row in small_demo.rows("SELECT handle, status, option_names FROM catalog_products"):
        assert catalog_domain.check_handle(row["handle"]) == row["handle"]
        assert "-s-" not in row["handle"]  # "womens-…", not "women-s-…"
        assert row["status"] in catalog_domain.PRODUCT_STATUSES
    statuses = small_demo.column("SELECT status FROM catalog_products")
    assert statuses.count("active") / len(statuses) > 0.8


def test_media_urls_are_on_the_demo_image_host(small_demo: Stored) -> None:
    for media in small_demo.column("SELECT media FROM catalog_products"):
        items = Stored.json(media)
        assert items
        assert all(item["url"].startswith("https://img.demo.omni.dev/") for item in items)


def test_every_phone_number_is_valid_e164(small_demo: Stored) -> None:
    phones = small_demo.column("SELECT phone FROM customers WHERE phone IS NOT NULL")
    phones += small_demo.column("SELECT value FROM customer_identities WHERE kind = 'phone'")
    phones += small_demo.column("SELECT phone FROM locations WHERE phone IS NOT NULL")
    assert len(phones) > 100
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone


def test_emails_are_normalized_and_never_deliverable(small_demo: Stored) -> None:
    emails = small_demo.column("SELECT email FROM customers WHERE email IS NOT NULL")
    emails += small_demo.column("SELECT value FROM customer_identities WHERE kind = 'email'")
    for email in emails:
        assert customer_domain.normalize_email(email) == email
        domain = email.rsplit("@", 1)[1]
        assert domain.endswith(("example.com", "example.net", "example.org", "demo.omni.dev"))


def test_stores_lie_in_their_metro_with_its_time_zone(small_demo: Stored) -> None:
    metros = {metro.name: metro for metro in METROS}
    stores = small_demo.rows("SELECT * FROM locations WHERE kind = 'store'")
    assert len(stores) == 12
    assert {store["metro"] for store in stores} == set(metros)
    for store in stores:
        metro = metros[store["metro"]]
        distance = location_domain.haversine_km(
            store["latitude"], store["longitude"], metro.latitude, metro.longitude
        )
        assert distance <= metro.radius_km, store["code"]
        assert store["time_zone"] == metro.time_zone
        hours = location_domain.parse_schedule(Stored.json(store["opening_hours"]))
        assert hours[0] != hours[6], "weekday and Sunday hours differ"
        location_domain.parse_special_days(Stored.json(store["special_days"]))
        location_domain.check_capabilities("store", Stored.json(store["capabilities"]))


def test_store_capabilities_vary(small_demo: Stored) -> None:
    capabilities = [
        set(Stored.json(c))
        for c in small_demo.column("SELECT capabilities FROM locations WHERE kind = 'store'")
    ]
    assert any("curbside" in c for c in capabilities)
    assert any("curbside" not in c for c in capabilities)
    assert any("ship_from_store" not in c for c in capabilities)
    kinds = small_demo.column("SELECT kind FROM locations")
    assert kinds.count("warehouse") == 2
    assert {"locker", "pickup_point"} <= set(kinds)


def test_each_role_has_a_staff_user_and_store_staff_have_stores(small_demo: Stored) -> None:
    store_ids = set(small_demo.column("SELECT id FROM locations WHERE kind = 'store'"))
    roles_seen: set[str] = set()
    managed: set[str] = set()
    for row in small_demo.rows("SELECT roles, store_ids FROM staff_users"):
        roles, stores = set(Stored.json(row["roles"])), set(Stored.json(row["store_ids"]))
        roles_seen |= roles
        assert stores <= store_ids
        if roles <= STORE_SCOPED_ROLES:
            assert stores
        if "store_manager" in roles:
            managed |= stores
    assert roles_seen == set(ROLES)
    assert len(managed) >= 2


def test_demo_logins_sign_in_with_the_demo_password(small_demo: Stored) -> None:
    hashes = [
        small_demo.scalar("SELECT password_hash FROM staff_users WHERE email = ?", login.email)
        for login in STAFF_LOGINS
    ]
    hashes += [
        small_demo.scalar("SELECT password_hash FROM shopper_accounts WHERE email = ?", h.email)
        for h in HERO_SHOPPERS
    ]
    emails = [*STAFF_LOGINS, *HERO_SHOPPERS]
    assert len(hashes) == len(emails)
    assert len(set(hashes)) == 1  # hashed once, shared
    assert asyncio.run(verify_password(hashes[0], DEMO_PASSWORD))


def test_ground_truth_records_duplicate_profiles(small_demo: Stored) -> None:
    customers = small_demo.scalar("SELECT count(*) FROM customers")
    truth = small_demo.rows("SELECT customer_id, person_key, pattern FROM demo_ground_truth")
    assert len(truth) == customers
    per_person: dict[str, int] = {}
    for row in truth:
        per_person[row["person_key"]] = per_person.get(row["person_key"], 0) + 1
    duplicated = [key for key, n in per_person.items() if n > 1]
    assert duplicated, "some people have several profiles"
    assert per_person["hero-robert"] == 2  # Robert online, "Bob" at the Hoboken till
    ids = set(small_demo.column("SELECT id FROM customers"))
    assert {row["customer_id"] for row in truth} == ids


def test_verified_identities_have_one_owner(small_demo: Stored) -> None:
    clashes = small_demo.scalar(
        "SELECT count(*) FROM (SELECT kind, value FROM customer_identities WHERE verified "
        "GROUP BY kind, value HAVING count(*) > 1)"
    )
    assert clashes == 0
    for row in small_demo.rows("SELECT kind, value FROM customer_identities"):
        assert customer_domain.normalize_identity(row["kind"], row["value"]) == row["value"]


def test_every_store_has_a_pos_channel_selling_from_it(small_demo: Stored) -> None:
    stores = small_demo.rows("SELECT id, region FROM locations WHERE kind = 'store'")
    for store in stores:
        channel = small_demo.rows(
            "SELECT id, tax_region FROM channels WHERE kind = 'pos' AND location_id = ?",
            store["id"],
        )[0]
        assert channel["tax_region"] == f"US-{store['region']}"
        pool = small_demo.column(
            "SELECT location_id FROM channel_stock_pool WHERE channel_id = ?", channel["id"]
        )
        assert pool == [store["id"]]
    web_pool = small_demo.column(
        "SELECT p.location_id FROM channel_stock_pool p JOIN channels c ON c.id = p.channel_id "
        "WHERE c.code = 'web'"
    )
    assert len(web_pool) == 14  # 12 stores and 2 distribution centers
    kinds = set(small_demo.column("SELECT kind FROM channels"))
    assert kinds == {"web", "app", "pos", "social", "call_center", "marketplace"}
    lists = set(small_demo.column("SELECT id FROM price_lists"))
    assert set(small_demo.column("SELECT price_list_id FROM channels")) <= lists


def test_every_variant_has_a_base_price_and_sales_look_like_sales(small_demo: Stored) -> None:
    unpriced = small_demo.scalar(
        "SELECT count(*) FROM catalog_variants v WHERE NOT EXISTS (SELECT 1 FROM prices p "
        "JOIN price_lists l ON l.id = p.price_list_id WHERE l.code = 'base-usd' "
        "AND p.variant_id = v.id AND p.min_quantity = 1)"
    )
    assert unpriced == 0
    for row in small_demo.rows("SELECT amount, compare_at_amount FROM prices"):
        assert row["amount"] > 0
        assert row["compare_at_amount"] is None or row["compare_at_amount"] > row["amount"]
    assert small_demo.scalar("SELECT count(*) FROM prices WHERE compare_at_amount > 0") > 0
    assert small_demo.scalar("SELECT count(*) FROM prices WHERE min_quantity > 1") > 0


def test_member_prices_apply_now_for_the_member_segment(small_demo: Stored) -> None:
    members = small_demo.rows("SELECT * FROM price_lists WHERE customer_segment IS NOT NULL")[0]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    assert members["valid_from"] < now < members["valid_to"]


def test_bundles_are_made_of_plain_active_variants(small_demo: Stored) -> None:
    bundles = small_demo.column("SELECT id FROM catalog_variants WHERE is_bundle")
    assert bundles
    for bundle_id in bundles:
        lines = small_demo.rows(
            "SELECT c.component_variant_id, c.quantity, v.status, v.is_bundle "
            "FROM catalog_bundle_components c JOIN catalog_variants v "
            "ON v.id = c.component_variant_id WHERE c.bundle_variant_id = ?",
            bundle_id,
        )
        known = {
            line["component_variant_id"]: catalog_domain.VariantFacts(
                line["component_variant_id"], line["status"], bool(line["is_bundle"]), True
            )
            for line in lines
        }
        catalog_domain.check_bundle(
            catalog_domain.VariantFacts(bundle_id, "active", True, False),
            [catalog_domain.ComponentLine(c["component_variant_id"], c["quantity"]) for c in lines],
            known,
        )


def test_archived_products_are_not_published(small_demo: Stored) -> None:
    published_archived = small_demo.scalar(
        "SELECT count(*) FROM catalog_publications p JOIN catalog_products c "
        "ON c.id = p.product_id WHERE c.status = 'archived' AND p.published"
    )
    assert published_archived == 0
