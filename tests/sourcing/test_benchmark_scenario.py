"""`bench/sourcing.py` on a tiny network: the figures are there and sane (not a timing test)."""

import json

from bench import sourcing


def test_the_sourcing_scenario_reports_latency_splits_and_the_machine():
    figures = sourcing.run("unused", {"orders": 6, "candidates": 40, "warmup": 1, "compare": 2})

    assert json.loads(json.dumps(figures)) == figures
    assert figures["scenario"] == "sourcing"
    assert figures["decisions"] == 6
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["target_p99_ms"] == 5
    assert figures["target_met"] == (figures["p99_ms"] <= 5)
    assert figures["with_explanation_p50_ms"] >= figures["p50_ms"]
    assert sum(figures["statuses"].values()) == 6
    assert all(int(locations) <= 3 for locations in figures["splits"])
    assert figures["compared"] == 2 and figures["mean_cost_gap_pct"] >= 0
    assert figures["machine"]["cpus"] >= 1


def test_a_store_only_network_is_a_valid_scenario():
    figures = sourcing.run("unused", {"orders": 3, "candidates": 30, "warmup": 0, "warehouses": 0})

    assert figures["warehouses"] == 0
    assert figures["decisions"] == 3
