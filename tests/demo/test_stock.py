"""The demo's stock: deep in DCs, thin in stores, real gaps, and a balanced ledger."""


def test_every_stock_level_equals_the_sum_of_its_movements(small_demo):
    mismatched = small_demo.scalar(
        """
        SELECT count(*) FROM stock_levels l LEFT JOIN (
            SELECT stock_level_id, sum(on_hand_delta) AS on_hand,
                   sum(unsellable_delta) AS unsellable, sum(reserved_delta) AS reserved,
                   sum(incoming_delta) AS incoming
            FROM stock_movements GROUP BY stock_level_id) m ON m.stock_level_id = l.id
        WHERE l.on_hand != coalesce(m.on_hand, 0) OR l.unsellable != coalesce(m.unsellable, 0)
           OR l.reserved != coalesce(m.reserved, 0) OR l.incoming != coalesce(m.incoming, 0)
        """
    )
    assert small_demo.scalar("SELECT count(*) FROM stock_levels") > 100
    assert mismatched == 0


def test_distribution_centers_hold_deep_stock_and_stores_thin_stock(small_demo):
    by_kind = {
        row["kind"]: row["average"]
        for row in small_demo.rows(
            "SELECT loc.kind AS kind, avg(l.on_hand) AS average FROM stock_levels l "
            "JOIN locations loc ON loc.id = l.location_id GROUP BY loc.kind"
        )
    }
    assert set(by_kind) == {"warehouse", "store"}
    assert by_kind["warehouse"] > 10 * by_kind["store"]


def test_some_store_shelves_are_empty_and_lockers_hold_nothing(small_demo):
    empty = small_demo.scalar(
        "SELECT count(*) FROM stock_levels l JOIN locations loc ON loc.id = l.location_id "
        "WHERE loc.kind = 'store' AND l.on_hand = 0"
    )
    in_lockers = small_demo.scalar(
        "SELECT count(*) FROM stock_levels l JOIN locations loc ON loc.id = l.location_id "
        "WHERE loc.kind IN ('locker', 'pickup_point')"
    )
    assert empty > 0 and in_lockers == 0


def test_bundles_and_drafts_have_no_stock_of_their_own(small_demo):
    assert (
        small_demo.scalar(
            "SELECT count(*) FROM stock_levels l JOIN catalog_variants v ON v.id = l.variant_id "
            "WHERE v.is_bundle"
        )
        == 0
    )
    assert (
        small_demo.scalar(
            "SELECT count(*) FROM stock_levels l JOIN catalog_variants v ON v.id = l.variant_id "
            "JOIN catalog_products p ON p.id = v.product_id WHERE p.status = 'draft'"
        )
        == 0
    )
