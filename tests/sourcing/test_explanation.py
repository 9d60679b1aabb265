"""The explanation ("why this store?"): every candidate, its rules, score, rank and
verdict — complete, deterministic and JSON-serialisable."""

import json

import pytest

from omni.sourcing.domain import (
    RULE_CODES,
    Candidate,
    Destination,
    OrderLine,
    SourcingProfile,
    SourcingRequest,
    decide,
)

NYC = Destination(40.73, -73.99)
SHIPS = frozenset({"ship_from_store"})
LINES = [OrderLine("l1", "v1", 1), OrderLine("l2", "v2", 1)]


def network():
    return [
        Candidate("loc_dc", "warehouse", 40.5, -74.4, available={"v1": 80, "v2": 60}),
        Candidate("loc_far_dc", "warehouse", 41.88, -87.63, available={"v1": 80, "v2": 60}),
        Candidate("loc_half", "store", 40.75, -73.98, SHIPS, {"v1": 1}),
        Candidate("loc_closed", "store", 40.74, -73.99, SHIPS, {"v1": 4}, exclusion="closed"),
        Candidate("loc_no_ship", "store", 40.72, -73.99, frozenset(), {"v2": 3}),
    ]


def test_every_candidate_is_explained_once_eligible_first_by_rank():
    decision = decide(SourcingRequest(LINES, "ship", NYC, network()))

    ids = [r.location_id for r in decision.candidates]
    assert ids == ["loc_dc", "loc_far_dc", "loc_half", "loc_closed", "loc_no_ship"]
    assert [r.rank for r in decision.candidates] == [1, 2, 3, None, None]
    assert [r.eligible for r in decision.candidates] == [True, True, True, False, False]
    assert [r.outcome for r in decision.candidates] == [
        "chosen",
        "not_chosen",
        "not_chosen",
        "ineligible",
        "ineligible",
    ]
    assert decision.search.candidates == 5
    assert decision.search.eligible == 3


def test_each_verdict_says_why_with_a_code_and_a_sentence():
    decision = decide(SourcingRequest(LINES, "ship", NYC, network()))

    chosen, far, half = (decision.report(i) for i in ("loc_dc", "loc_far_dc", "loc_half"))
    assert chosen.reason_code == "cheapest_single"
    assert "lowest cost" in chosen.reason
    assert far.reason_code == "costlier"
    assert f"{far.score:.2f}" in far.reason and f"{decision.cost.total:.2f}" in far.reason
    assert half.reason_code == "outscored"
    assert half.reason.startswith("Covers 1 of 2 line(s) in full")
    assert decision.report("loc_closed").reason == "Excluded: closed"
    assert decision.report("loc_no_ship").reason_code == "missing_capability"
    for report in decision.candidates:
        assert all(failure.code in RULE_CODES for failure in report.failures)
        assert report.eligible == (not report.failures)


def test_a_partial_coverer_pays_a_split_penalty_in_its_score():
    decision = decide(SourcingRequest(LINES, "ship", NYC, network()))

    half = decision.report("loc_half")
    assert half.units_available == 1 and half.lines_covered == 1
    assert half.breakdown.split == SourcingProfile().split_penalty
    assert half.score == pytest.approx(half.breakdown.total)
    assert decision.report("loc_dc").breakdown.split == 0


def test_asking_about_a_location_that_was_not_a_candidate_is_an_error():
    decision = decide(SourcingRequest(LINES, "ship", NYC, network()))

    with pytest.raises(KeyError):
        decision.report("loc_elsewhere")


def test_the_decision_serialises_to_json_and_back_unchanged():
    decision = decide(SourcingRequest(LINES, "ship", NYC, network()))

    document = decision.as_dict()

    assert json.loads(json.dumps(document)) == document
    assert document["status"] == "sourced"
    assert document["allocations"][0]["location_id"] == "loc_dc"
    assert document["allocations"][0]["lines"] == [
        {"line_id": "l1", "variant_id": "v1", "quantity": 1},
        {"line_id": "l2", "variant_id": "v2", "quantity": 1},
    ]
    closed = next(c for c in document["candidates"] if c["location_id"] == "loc_closed")
    assert closed["failed_rules"] == [{"code": "excluded", "message": "Excluded: closed"}]
    assert set(document["cost"]) == {
        "total", "distance", "handling", "capacity", "depth", "transfer", "split"
    }  # fmt: skip
    assert document["profile"]["max_splits"] == 3
    assert document["resourced_after"] is None


def test_the_same_request_in_any_candidate_order_gives_the_same_document():
    forward = decide(SourcingRequest(LINES, "ship", NYC, network()))
    backward = decide(SourcingRequest(LINES, "ship", NYC, network()[::-1]))

    assert forward.as_dict() == backward.as_dict()
    assert forward == backward


def test_candidates_left_out_of_the_split_search_say_so():
    lines = [OrderLine(f"l{i}", f"v{i}", 1) for i in range(1, 4)]
    # Ten near stores each hold line 1 only; the shortlist keeps the cheapest few.
    stores = [
        Candidate(f"loc_{i:02d}", "store", 40.73 + i / 100, -73.99, SHIPS, {"v1": 5})
        for i in range(10)
    ]
    dc = Candidate("loc_dc", "warehouse", 40.5, -74.4, available={f"v{i}": 9 for i in (1, 2, 3)})

    decision = decide(SourcingRequest(lines, "ship", NYC, [*stores, dc]))

    far_store = decision.report("loc_09")
    assert not far_store.shortlisted
    assert far_store.reason_code == "not_shortlisted"
    assert decision.report("loc_00").shortlisted
