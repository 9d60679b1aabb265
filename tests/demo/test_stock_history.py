"""The demo's year of movements: sales on every channel, replenishment documents behind
every delivery, and rules a planner can plan from."""

from datetime import date


def test_a_year_of_daily_sales_from_tills_and_the_web(small_demo):
    first, last = small_demo.db.execute(
        "SELECT min(occurred_at), max(occurred_at) FROM stock_movements WHERE kind = 'sale'"
    ).fetchone()
    span = date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])
    assert span.days >= 360
    channels = small_demo.column(
        "SELECT DISTINCT c.kind FROM stock_movements m JOIN channels c ON c.id = m.channel_id "
        "WHERE m.kind = 'sale'"
    )
    # Orders of every channel took units off the shelves (tests/demo/test_orders.py).
    assert set(channels) == {"pos", "web", "app", "call_center", "social", "marketplace"}
    # Sales never take a shelf below zero: the simulation sells only what is there.
    assert small_demo.scalar("SELECT count(*) FROM stock_levels WHERE on_hand < 0") == 0


def test_weekends_sell_more_in_stores(small_demo):
    by_weekday = dict(
        small_demo.db.execute(
            "SELECT strftime('%w', m.occurred_at), -sum(m.on_hand_delta) FROM stock_movements m "
            "JOIN locations l ON l.id = m.location_id "
            "WHERE m.kind = 'sale' AND l.kind = 'store' GROUP BY 1"
        ).fetchall()
    )
    saturday, tuesday = by_weekday["6"], by_weekday["2"]
    assert saturday > 1.3 * tuesday


def test_every_delivery_has_its_received_document(small_demo):
    orphans = small_demo.scalar(
        "SELECT count(*) FROM stock_movements m LEFT JOIN inventory_transfers t "
        "ON t.id = m.source_id WHERE m.kind IN ('transfer_in', 'transfer_out') "
        "AND (t.id IS NULL OR t.status != 'received')"
    )
    assert orphans == 0
    unmatched = small_demo.scalar(
        "SELECT count(*) FROM inventory_transfer_lines tl JOIN inventory_transfers t "
        "ON t.id = tl.transfer_id WHERE tl.received != (SELECT sum(on_hand_delta) "
        "FROM stock_movements m WHERE m.source_id = t.id AND m.variant_id = tl.variant_id "
        "AND m.kind = 'transfer_in')"
    )
    assert unmatched == 0
    received = small_demo.scalar(
        "SELECT count(*) FROM stock_movements m JOIN inventory_purchase_orders po "
        "ON po.id = m.source_id WHERE m.kind = 'receipt' AND po.status = 'received'"
    )
    assert received > 0


def test_stores_and_dcs_have_replenishment_rules_from_the_right_source(small_demo):
    rules = small_demo.rows(
        "SELECT r.method, r.source_location_id, r.supplier_code, l.kind FROM "
        "replenishment_rules r JOIN locations l ON l.id = r.location_id"
    )
    store_rules = [r for r in rules if r["kind"] == "store"]
    dc_rules = [r for r in rules if r["kind"] == "warehouse"]
    assert store_rules and dc_rules
    assert all(r["method"] == "min_max" and r["source_location_id"] for r in store_rules)
    assert all(r["method"] == "reorder_point" and r["supplier_code"] for r in dc_rules)
