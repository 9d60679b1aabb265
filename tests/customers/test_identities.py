"""Identities: every identifier a person is known by, one verified holder each."""

from __future__ import annotations

import pytest

from tests.customers.helpers import (
    CUSTOMERS,
    audit_of,
    create_customer,
    events_of,
    snapshot,
    unique_loyalty_card,
)
from tests.support import unique_email


def _identities_url(customer_id: str) -> str:
    return f"{CUSTOMERS}/{customer_id}/identities"


async def test_staff_add_a_verified_loyalty_card(client, agent, database):
    created = await create_customer(client, agent)
    card = unique_loyalty_card()
    response = await client.post(
        _identities_url(created["id"]),
        json={"kind": "loyalty_card", "value": f"{card[:6]}-{card[6:]}", "verified": True},
        headers=agent,
    )
    assert response.status_code == 201, response.text
    identity = response.json()
    assert (identity["kind"], identity["value"], identity["verified"]) == (
        "loyalty_card",
        card,
        True,
    )
    profile, etag = await snapshot(client, agent, created["id"])
    assert identity in profile["identities"]
    assert etag == '"v2"'
    [event] = await events_of(database, created["id"], "customer.identity_added")
    assert (event["identity_id"], event["verified"]) == (identity["id"], True)
    assert len(await audit_of(database, created["id"], "customer.identity_added")) == 1


async def test_an_identifier_verified_by_someone_else_is_409_and_nothing_changes(client, agent):
    card = unique_loyalty_card()
    holder = await create_customer(client, agent)
    await client.post(
        _identities_url(holder["id"]),
        json={"kind": "loyalty_card", "value": card, "verified": True},
        headers=agent,
    )
    other = await create_customer(client, agent)
    before = await snapshot(client, agent, other["id"])
    response = await client.post(
        _identities_url(other["id"]), json={"kind": "loyalty_card", "value": card}, headers=agent
    )
    assert response.status_code == 409
    assert await snapshot(client, agent, other["id"]) == before


async def test_unverified_claims_may_repeat_across_profiles(client, agent):
    handle = f"@ada_{unique_loyalty_card()}"
    first = await create_customer(client, agent)
    second = await create_customer(client, agent)
    for customer in (first, second):
        response = await client.post(
            _identities_url(customer["id"]), json={"kind": "social", "value": handle}, headers=agent
        )
        assert response.status_code == 201


async def test_the_same_identifier_twice_on_one_profile_is_409_and_nothing_changes(client, agent):
    email = unique_email()
    created = await create_customer(client, agent, email=email)
    before = await snapshot(client, agent, created["id"])
    response = await client.post(
        _identities_url(created["id"]),
        json={"kind": "email", "value": email.upper()},
        headers=agent,
    )
    assert response.status_code == 409
    assert await snapshot(client, agent, created["id"]) == before


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "loyalty_card", "value": "ABCDEF"},
        {"kind": "email", "value": "no-at-sign"},
        {"kind": "phone", "value": "123"},
        {"kind": "fax", "value": "123"},
        {"kind": "social", "value": "@x", "extra": 1},
    ],
)
async def test_a_bad_identity_is_refused_and_nothing_changes(client, agent, body):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    response = await client.post(_identities_url(created["id"]), json=body, headers=agent)
    assert response.status_code == 422
    assert await snapshot(client, agent, created["id"]) == before


async def test_the_first_email_added_becomes_the_primary_email(client, agent):
    created = await create_customer(client, agent)
    email = unique_email()
    await client.post(
        _identities_url(created["id"]), json={"kind": "email", "value": email}, headers=agent
    )
    profile, _ = await snapshot(client, agent, created["id"])
    assert profile["email"] == email


async def test_staff_remove_a_verified_identity_and_its_primary_email_goes_too(
    client, agent, shopper_headers, database
):
    shopper_id, _ = await shopper_headers()
    profile, _ = await snapshot(client, agent, shopper_id)
    [email_identity] = [i for i in profile["identities"] if i["kind"] == "email"]
    response = await client.delete(
        f"{_identities_url(shopper_id)}/{email_identity['id']}", headers=agent
    )
    assert response.status_code == 204
    after, _ = await snapshot(client, agent, shopper_id)
    assert after["email"] is None
    assert after["identities"] == []
    [event] = await events_of(database, shopper_id, "customer.identity_removed")
    assert event["identity_id"] == email_identity["id"]


async def test_a_shopper_adds_an_app_device_but_cannot_vouch_for_it(client, agent, shopper_headers):
    shopper_id, shopper = await shopper_headers()
    added = await client.post(
        _identities_url(shopper_id), json={"kind": "app_device", "value": "ios-1"}, headers=shopper
    )
    assert added.status_code == 201
    assert added.json()["verified"] is False
    before = await snapshot(client, agent, shopper_id)
    vouched = await client.post(
        _identities_url(shopper_id),
        json={"kind": "loyalty_card", "value": unique_loyalty_card(), "verified": True},
        headers=shopper,
    )
    assert vouched.status_code == 403
    assert await snapshot(client, agent, shopper_id) == before


async def test_a_shopper_removes_an_unverified_identity_but_not_a_verified_one(
    client, agent, shopper_headers
):
    shopper_id, shopper = await shopper_headers()
    added = await client.post(
        _identities_url(shopper_id), json={"kind": "social", "value": "@me"}, headers=shopper
    )
    removed = await client.delete(
        f"{_identities_url(shopper_id)}/{added.json()['id']}", headers=shopper
    )
    assert removed.status_code == 204
    before = await snapshot(client, agent, shopper_id)
    [verified] = [i for i in before[0]["identities"] if i["verified"]]
    refused = await client.delete(
        f"{_identities_url(shopper_id)}/{verified['id']}", headers=shopper
    )
    assert refused.status_code == 403
    assert await snapshot(client, agent, shopper_id) == before


async def test_an_identity_of_another_profile_is_not_found_here(client, agent):
    owner = await create_customer(client, agent, email=unique_email())
    other = await create_customer(client, agent)
    [identity] = owner["identities"]
    before = await snapshot(client, agent, owner["id"])
    response = await client.delete(
        f"{_identities_url(other['id'])}/{identity['id']}", headers=agent
    )
    assert response.status_code == 404
    assert await snapshot(client, agent, owner["id"]) == before


async def test_adding_an_identity_to_an_unknown_customer_is_404(client, agent):
    response = await client.post(
        _identities_url("cus_nobody"), json={"kind": "social", "value": "@x"}, headers=agent
    )
    assert response.status_code == 404
