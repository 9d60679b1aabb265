"""Who may do what with customer profiles (INT4): staff by permission, shoppers on their
own profile only, everyone else refused — and a refusal changes nothing."""

from __future__ import annotations

import pytest

from omni.customers.routes import router
from omni.http.access_check import access_declaration
from tests.customers.helpers import (
    CUSTOMERS,
    create_customer,
    customers_named,
    snapshot,
    unique_last_name,
)

ADDRESS = {"recipient": "Ada Lovelace", "line1": "1 Main St", "city": "London", "country": "GB"}


def _every_endpoint(customer_id: str, last_name: str) -> list[tuple[str, str, dict | None]]:
    profile = f"{CUSTOMERS}/{customer_id}"
    return [
        ("POST", CUSTOMERS, {"first_name": "X", "last_name": last_name}),
        ("GET", CUSTOMERS, None),
        ("GET", f"{CUSTOMERS}/me", None),
        ("GET", profile, None),
        ("PATCH", profile, {"first_name": "Mallory", "note": "x"}),
        ("POST", f"{profile}/identities", {"kind": "social", "value": "@mallory"}),
        ("DELETE", f"{profile}/identities/cid_any", None),
        ("POST", f"{profile}/addresses", ADDRESS),
        ("PATCH", f"{profile}/addresses/adr_any", {"city": "Paris"}),
        ("DELETE", f"{profile}/addresses/adr_any", None),
    ]


async def test_every_route_declares_who_may_call_it():
    declared = {
        (sorted(route.methods)[0], route.path): access_declaration(route) for route in router.routes
    }
    rules = {key: (d["permissions"], d["customers"]) for key, d in declared.items() if d}
    write = (("customers.write",), True)
    assert rules == {
        ("POST", "/customers"): (("customers.write",), False),
        ("GET", "/customers"): (("customers.read",), False),
        ("GET", "/customers/me"): ((), True),
        ("GET", "/customers/{customer_id}"): (("customers.read",), True),
        ("PATCH", "/customers/{customer_id}"): write,
        ("POST", "/customers/{customer_id}/identities"): write,
        ("DELETE", "/customers/{customer_id}/identities/{identity_id}"): write,
        ("POST", "/customers/{customer_id}/addresses"): write,
        ("PATCH", "/customers/{customer_id}/addresses/{address_id}"): write,
        ("DELETE", "/customers/{customer_id}/addresses/{address_id}"): write,
    }


async def test_anonymous_callers_get_401_everywhere_and_change_nothing(client, agent, database):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    last_name = unique_last_name()
    for method, url, body in _every_endpoint(created["id"], last_name):
        response = await client.request(method, url, json=body)
        assert response.status_code == 401, (method, url)
        assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client, agent, created["id"]) == before
    assert await customers_named(database, last_name) == 0


@pytest.mark.parametrize("role", ["merchandiser", "planner", "analyst"])
async def test_staff_without_customer_permissions_get_403_and_change_nothing(
    client, agent, staff_headers, database, role
):
    outsider = await staff_headers(role)
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    last_name = unique_last_name()
    for method, url, body in _every_endpoint(created["id"], last_name):
        response = await client.request(method, url, json=body, headers=outsider)
        assert response.status_code == 403, (method, url, response.text)
    assert await snapshot(client, agent, created["id"]) == before
    assert await customers_named(database, last_name) == 0


async def test_a_shopper_reads_their_own_profile_without_the_staff_note(
    client, agent, shopper_headers
):
    shopper_id, shopper = await shopper_headers()
    await client.patch(f"{CUSTOMERS}/{shopper_id}", json={"note": "Difficult"}, headers=agent)
    for url in (f"{CUSTOMERS}/{shopper_id}", f"{CUSTOMERS}/me"):
        response = await client.get(url, headers=shopper)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == shopper_id
        assert "note" not in response.json()
        assert "Difficult" not in response.text
        assert response.headers["etag"] == '"v2"'


async def test_a_shopper_updates_their_own_profile_without_seeing_the_note(
    client, agent, shopper_headers
):
    shopper_id, shopper = await shopper_headers()
    response = await client.patch(
        f"{CUSTOMERS}/{shopper_id}",
        json={"last_name": "Byron", "communication": {"push": True}, "locale": "en-GB"},
        headers={**shopper, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["last_name"], body["communication"]["push"], body["locale"]) == (
        "Byron",
        True,
        "en-GB",
    )
    assert "note" not in body


async def test_a_shopper_gets_404_for_another_profile_and_nothing_changes(
    client, agent, shopper_headers
):
    # given two shoppers
    victim_id, _ = await shopper_headers()
    _, mallory = await shopper_headers()
    before = await snapshot(client, agent, victim_id)
    nobody = await client.get(f"{CUSTOMERS}/cus_does_not_exist", headers=mallory)
    # when one tries every profile endpoint on the other's id
    for method, url, body in _every_endpoint(victim_id, unique_last_name())[3:]:
        response = await client.request(method, url, json=body, headers=mallory)
        # then it is "not found", just like an id that does not exist
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["detail"] == nobody.json()["detail"]
    assert await snapshot(client, agent, victim_id) == before


async def test_a_shopper_cannot_set_the_staff_note_and_nothing_changes(
    client, agent, shopper_headers
):
    shopper_id, shopper = await shopper_headers()
    before = await snapshot(client, agent, shopper_id)
    response = await client.patch(
        f"{CUSTOMERS}/{shopper_id}",
        json={"first_name": "Changed", "note": "I am great"},
        headers=shopper,
    )
    assert response.status_code == 403
    assert response.json()["field"] == "note"
    assert await snapshot(client, agent, shopper_id) == before


async def test_shoppers_cannot_search_or_create_profiles(client, shopper_headers, database):
    _, shopper = await shopper_headers()
    last_name = unique_last_name()
    created = await client.post(
        CUSTOMERS, json={"first_name": "X", "last_name": last_name}, headers=shopper
    )
    searched = await client.get(CUSTOMERS, params={"q": "a"}, headers=shopper)
    assert (created.status_code, searched.status_code) == (403, 403)
    assert await customers_named(database, last_name) == 0


async def test_my_profile_is_for_shoppers_only(client, agent):
    response = await client.get(f"{CUSTOMERS}/me", headers=agent)
    assert response.status_code == 403


async def test_an_api_client_with_customer_scopes_reads_profiles_with_the_note(
    client, agent, admin_headers
):
    created = await create_customer(client, agent, note="From the CRM")
    made = await client.post(
        "/api/v1/api-clients",
        json={"name": "CRM sync", "scopes": ["customers.read"]},
        headers=admin_headers,
    )
    assert made.status_code == 201, made.text
    crm = {"Authorization": f"Bearer {made.json()['api_key']}"}
    response = await client.get(f"{CUSTOMERS}/{created['id']}", headers=crm)
    assert response.status_code == 200
    assert response.json()["note"] == "From the CRM"
    before = await snapshot(client, agent, created["id"])
    refused = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"first_name": "X"}, headers=crm
    )
    assert refused.status_code == 403
    assert await snapshot(client, agent, created["id"]) == before
