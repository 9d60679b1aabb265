"""Addresses: validated, with at most one default shipping and one default billing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from omni.customers.models import CustomerAddress
from tests.customers.helpers import CUSTOMERS, audit_of, create_customer, events_of, snapshot

HOME = {"recipient": "Ada Lovelace", "line1": "12 St James's Sq", "city": "London", "country": "GB"}


def _addresses_url(customer_id: str) -> str:
    return f"{CUSTOMERS}/{customer_id}/addresses"


async def _add(client, headers, customer_id, **fields):  # type: ignore[no-untyped-def]
    response = await client.post(
        _addresses_url(customer_id), json={**HOME, **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def _defaults(profile: dict) -> dict[str, list[str]]:
    return {
        flag: [a["id"] for a in profile["addresses"] if a[flag]]
        for flag in ("is_default_shipping", "is_default_billing")
    }


async def test_an_address_is_stored_with_its_country_code_and_phone_normalized(
    client, agent, database
):
    created = await create_customer(client, agent)
    address = await _add(client, agent, created["id"], country="de", phone="030 1234567")
    assert (address["country"], address["phone"]) == ("DE", "+49301234567")
    profile, etag = await snapshot(client, agent, created["id"])
    assert profile["addresses"] == [address]
    assert etag == '"v2"'
    [event] = await events_of(database, created["id"], "customer.address_added")
    assert event["address_id"] == address["id"]
    assert len(await audit_of(database, created["id"], "customer.address_added")) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "gb", "phone": "12"}, "phone"),
        ({"country": "US", "phone": "+1 000 000 0000"}, "phone"),
    ],
)
async def test_a_bad_address_is_refused_and_nothing_changes(client, agent, fields, field):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    response = await client.post(
        _addresses_url(created["id"]), json={**HOME, **fields}, headers=agent
    )
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert await snapshot(client, agent, created["id"]) == before


async def test_an_address_without_a_city_is_refused_and_nothing_changes(client, agent):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    body = {key: value for key, value in HOME.items() if key != "city"}
    response = await client.post(_addresses_url(created["id"]), json=body, headers=agent)
    assert response.status_code == 422
    assert await snapshot(client, agent, created["id"]) == before


async def test_a_new_default_shipping_address_replaces_the_old_one(client, agent):
    # given a customer whose home is the default for shipping and billing
    created = await create_customer(client, agent)
    home = await _add(
        client, agent, created["id"], is_default_shipping=True, is_default_billing=True
    )
    # when a new default shipping address is added
    work = await _add(client, agent, created["id"], line1="1 Office Rd", is_default_shipping=True)
    # then it is the only default shipping address; billing stays with home
    profile, _ = await snapshot(client, agent, created["id"])
    assert _defaults(profile) == {
        "is_default_shipping": [work["id"]],
        "is_default_billing": [home["id"]],
    }


async def test_making_an_address_the_default_billing_one_clears_the_old_default(client, agent):
    created = await create_customer(client, agent)
    home = await _add(client, agent, created["id"], is_default_billing=True)
    work = await _add(client, agent, created["id"], line1="1 Office Rd")
    response = await client.patch(
        f"{_addresses_url(created['id'])}/{work['id']}",
        json={"is_default_billing": True},
        headers=agent,
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_default_billing"] is True
    profile, _ = await snapshot(client, agent, created["id"])
    assert _defaults(profile)["is_default_billing"] == [work["id"]]
    assert home["id"] not in _defaults(profile)["is_default_billing"]


async def test_defaults_of_other_customers_are_untouched(client, agent, database):
    mine = await create_customer(client, agent)
    theirs = await create_customer(client, agent)
    their_home = await _add(client, agent, theirs["id"], is_default_shipping=True)
    await _add(client, agent, mine["id"], is_default_shipping=True)
    async with database.reader() as session:
        stored = await session.get(CustomerAddress, their_home["id"])
    assert stored is not None
    assert stored.is_default_shipping is True


async def test_staff_change_an_address_and_it_is_recorded(client, agent, database):
    created = await create_customer(client, agent)
    home = await _add(client, agent, created["id"])
    response = await client.patch(
        f"{_addresses_url(created['id'])}/{home['id']}",
        json={"line2": "Flat 3", "country": "ie", "postal_code": "D02 X285"},
        headers=agent,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["line2"], response.json()["country"]) == ("Flat 3", "IE")
    [event] = await events_of(database, created["id"], "customer.address_updated")
    assert event["fields"] == ["country", "line2", "postal_code"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [({"city": None}, "city"), ({"country": "QQ"}, "country"), ({"phone": "1"}, "phone")],
)
async def test_a_bad_address_change_is_refused_and_nothing_changes(client, agent, patch, field):
    created = await create_customer(client, agent)
    home = await _add(client, agent, created["id"])
    before = await snapshot(client, agent, created["id"])
    response = await client.patch(
        f"{_addresses_url(created['id'])}/{home['id']}", json=patch, headers=agent
    )
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert await snapshot(client, agent, created["id"]) == before


async def test_staff_remove_an_address(client, agent, database):
    created = await create_customer(client, agent)
    home = await _add(client, agent, created["id"], is_default_shipping=True)
    response = await client.delete(f"{_addresses_url(created['id'])}/{home['id']}", headers=agent)
    assert response.status_code == 204
    profile, _ = await snapshot(client, agent, created["id"])
    assert profile["addresses"] == []
    assert len(await events_of(database, created["id"], "customer.address_removed")) == 1


async def test_an_address_of_another_customer_is_not_found_here(client, agent):
    owner = await create_customer(client, agent)
    home = await _add(client, agent, owner["id"])
    other = await create_customer(client, agent)
    before = await snapshot(client, agent, owner["id"])
    url = f"{_addresses_url(other['id'])}/{home['id']}"
    patched = await client.patch(url, json={"city": "Paris"}, headers=agent)
    deleted = await client.delete(url, headers=agent)
    assert (patched.status_code, deleted.status_code) == (404, 404)
    assert await snapshot(client, agent, owner["id"]) == before


async def test_an_address_change_makes_an_earlier_etag_stale(client, agent):
    # the ETag covers the whole profile, addresses included
    created = await create_customer(client, agent)
    await _add(client, agent, created["id"])
    before = await snapshot(client, agent, created["id"])
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}",
        json={"first_name": "Late"},
        headers={**agent, "If-Match": '"v1"'},
    )
    assert response.status_code == 412
    assert await snapshot(client, agent, created["id"]) == before


async def test_a_shopper_manages_their_own_addresses(client, agent, shopper_headers):
    shopper_id, shopper = await shopper_headers()
    home = await _add(client, shopper, shopper_id, is_default_shipping=True)
    work = await _add(client, shopper, shopper_id, line1="1 Office Rd", is_default_shipping=True)
    patched = await client.patch(
        f"{_addresses_url(shopper_id)}/{home['id']}", json={"label": "Home"}, headers=shopper
    )
    assert patched.status_code == 200
    deleted = await client.delete(f"{_addresses_url(shopper_id)}/{work['id']}", headers=shopper)
    assert deleted.status_code == 204
    profile, _ = await snapshot(client, agent, shopper_id)
    assert [(a["id"], a["label"], a["is_default_shipping"]) for a in profile["addresses"]] == [
        (home["id"], "Home", False)
    ]


async def test_at_most_one_default_per_kind_holds_in_the_database(client, agent, database):
    created = await create_customer(client, agent)
    for line in ("1 A St", "2 B St", "3 C St"):
        await _add(
            client,
            agent,
            created["id"],
            line1=line,
            is_default_shipping=True,
            is_default_billing=True,
        )
    async with database.reader() as session:
        rows = list(
            await session.scalars(
                select(CustomerAddress).where(CustomerAddress.customer_id == created["id"])
            )
        )
    assert sum(a.is_default_shipping for a in rows) == 1
    assert sum(a.is_default_billing for a in rows) == 1


async def test_concurrent_new_defaults_leave_exactly_one_default(client, agent, database):
    # given a customer, when several new default addresses arrive at the same moment
    created = await create_customer(client, agent)
    responses = await asyncio.gather(
        *(
            client.post(
                _addresses_url(created["id"]),
                json={**HOME, "line1": f"{n} Race St", "is_default_shipping": True},
                headers=agent,
            )
            for n in range(5)
        )
    )
    # then each is added (the profile lock serializes them) and exactly one is the default
    assert [r.status_code for r in responses] == [201] * 5
    profile, etag = await snapshot(client, agent, created["id"])
    assert len(profile["addresses"]) == 5
    assert len(_defaults(profile)["is_default_shipping"]) == 1
    assert etag == '"v6"'
