""" "Why this store?" as an API call: every candidate of an order's sourcing decision
with its outcome and reasons, the winner and the profile — for those who may see it."""

from tests.sourcing.support import CAPACITY, check_out, open_network, set_profile

ORDERS = "/api/v1/orders"


async def test_the_explanation_lists_every_candidate_with_its_reasons(client, admin_headers):
    network = await open_network(
        client, admin_headers, near_capacity={"orders_per_day": 0, "orders_per_hour": None}
    )
    await set_profile(client, admin_headers, network.channel_id, name="web-east")
    placed = await check_out(client, network, [1, 0, 0])
    order_id = placed.json()["order_id"]

    response = await client.get(f"{ORDERS}/{order_id}/sourcing", headers=admin_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    [group] = body["groups"]
    assert (group["location_id"], group["decision"]) == (network.far, 0)
    [decision] = body["decisions"]
    assert (decision["profile_name"], decision["winners"]) == ("web-east", [network.far])
    reports = {c["location_id"]: c for c in decision["candidates"]}
    assert set(reports) == {network.near, network.far}
    assert (reports[network.far]["outcome"], reports[network.far]["reason_code"]) == (
        "chosen",
        "cheapest_single",
    )
    near = reports[network.near]
    assert (near["outcome"], near["reason_code"]) == ("ineligible", "no_capacity")
    assert near["reason"] and near["failed_rules"][0]["code"] == "no_capacity"


async def test_one_candidates_report_answers_why_not_this_store(client, admin_headers):
    network = await open_network(client, admin_headers)
    order_id = (await check_out(client, network, [1, 0, 0])).json()["order_id"]
    response = await client.get(
        f"{ORDERS}/{order_id}/sourcing",
        params={"location_id": network.far},
        headers=admin_headers,
    )
    [decision] = response.json()["decisions"]
    [report] = decision["candidates"]
    assert (report["location_id"], report["outcome"]) == (network.far, "not_chosen")
    assert report["reason_code"] == "costlier" and "alone" in report["reason"]
    assert decision["winners"] == [network.near]


async def test_a_split_order_shares_one_decision_between_its_groups(client, admin_headers):
    network = await open_network(client, admin_headers)
    order_id = (await check_out(client, network, [0, 1, 1])).json()["order_id"]
    body = (await client.get(f"{ORDERS}/{order_id}/sourcing", headers=admin_headers)).json()
    assert [g["decision"] for g in body["groups"]] == [0, 0]
    [decision] = body["decisions"]
    assert sorted(decision["winners"]) == sorted([network.near, network.far])
    assert {c["outcome"] for c in decision["candidates"]} == {"chosen"}


async def test_a_shopper_sees_their_orders_explanation_and_nobody_elses(
    client, admin_headers, shopper_headers, staff_headers
):
    network = await open_network(client, admin_headers)
    _, me = await shopper_headers()
    mine = await check_out(client, network, [1, 0, 0], headers=me)
    assert mine.status_code == 201, mine.text
    url = f"{ORDERS}/{mine.json()['order_id']}/sourcing"
    assert (await client.get(url, headers=me)).status_code == 200

    _, stranger = await shopper_headers()
    refused = await client.get(url, headers=stranger)
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    elsewhere = await staff_headers("associate", stores=["loc_somewhere_else"])
    assert (await client.get(url, headers=elsewhere)).status_code == 404
    at_the_store = await staff_headers("associate", stores=[network.near])
    assert (await client.get(url, headers=at_the_store)).status_code == 200
    assert (await client.get(url)).status_code == 401
    assert (
        await client.get(f"{ORDERS}/ord_nope/sourcing", headers=admin_headers)
    ).status_code == 404


async def test_capacity_reads_need_sourcing_read_and_known_locations(
    client, admin_headers, staff_headers
):
    network = await open_network(client, admin_headers)
    params = {"location_id": [network.near, network.far]}
    response = await client.get(CAPACITY, params=params, headers=await staff_headers("analyst"))
    assert response.status_code == 200, response.text
    uses = response.json()
    assert [u["location_id"] for u in uses] == [network.near, network.far]
    assert uses[0]["remaining"] is None and uses[0]["day"]  # unlimited, on its local day
    merchandiser = await staff_headers("merchandiser")
    assert (await client.get(CAPACITY, params=params, headers=merchandiser)).status_code == 403
    unknown = await client.get(CAPACITY, params={"location_id": "loc_nope"}, headers=admin_headers)
    assert unknown.status_code == 404
    assert (await client.get(CAPACITY, headers=admin_headers)).status_code == 422
