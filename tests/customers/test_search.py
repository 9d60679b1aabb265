"""The read side: staff lookup at the till and the service desk (by identifier or by
name prefix), and loading one profile in full."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from omni.customers import queries
from tests.customers.helpers import (
    CUSTOMERS,
    create_customer,
    unique_last_name,
    unique_loyalty_card,
    unique_phone,
)
from tests.support import unique_email


async def _found(client, headers, **params) -> list[str]:  # type: ignore[no-untyped-def]
    response = await client.get(CUSTOMERS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_find_by_email_in_any_case_including_secondary_emails(client, agent):
    primary, secondary = unique_email(), unique_email()
    created = await create_customer(client, agent, email=primary)
    await client.post(
        f"{CUSTOMERS}/{created['id']}/identities",
        json={"kind": "email", "value": secondary},
        headers=agent,
    )
    assert await _found(client, agent, email=primary.upper()) == [created["id"]]
    assert await _found(client, agent, email=f"  {secondary} ") == [created["id"]]


async def test_find_by_phone_typed_in_any_format(client, agent):
    phone = unique_phone()  # "+1 212 NXX XXXX"
    created = await create_customer(client, agent, phone=phone)
    national = phone.removeprefix("+1 ").replace(" ", "-")
    assert await _found(client, agent, phone=national) == [created["id"]]


async def test_find_by_loyalty_card_and_by_app_device(client, agent):
    card = unique_loyalty_card()
    device = f"android-{card}"
    created = await create_customer(client, agent, loyalty_card=card, app_device_id=device)
    spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert await _found(client, agent, loyalty_card=spaced) == [created["id"]]
    assert await _found(client, agent, app_device_id=device) == [created["id"]]


async def test_an_identifier_nobody_has_finds_nobody(client, agent):
    assert await _found(client, agent, email=unique_email()) == []


async def test_identifier_filters_combine(client, agent):
    email = unique_email()
    created = await create_customer(client, agent, email=email, phone=unique_phone())
    assert await _found(client, agent, email=email, phone=created["phone"]) == [created["id"]]
    assert await _found(client, agent, email=email, phone=unique_phone()) == []


async def test_find_by_the_start_of_a_name_ignoring_case_and_accents(client, agent):
    last_name = unique_last_name("Müller")
    created = await create_customer(client, agent, first_name="Zoë", last_name=last_name)
    suffix = last_name.split("-")[1]
    assert await _found(client, agent, q=f"MULLER-{suffix}") == [created["id"]]
    assert await _found(client, agent, q=f"müller-{suffix[:6]}") == [created["id"]]
    assert await _found(client, agent, q=f"zoe müller-{suffix}") == [created["id"]]
    assert await _found(client, agent, q=f"ada müller-{suffix}") == []


async def test_like_wildcards_in_the_query_match_literally(client, agent):
    last_name = unique_last_name("Percent")
    await create_customer(client, agent, last_name=last_name)
    assert await _found(client, agent, q=f"%{last_name[-10:]}") == []
    assert await _found(client, agent, q="_" + last_name[1:]) == []


async def test_results_page_with_a_cursor_in_id_order(client, agent):
    stem = unique_last_name("Page")
    ids = [(await create_customer(client, agent, last_name=f"{stem}-{n}"))["id"] for n in range(3)]
    first = await client.get(CUSTOMERS, params={"q": stem, "limit": 2}, headers=agent)
    body = first.json()
    assert [c["id"] for c in body["items"]] == ids[:2]
    assert body["next_cursor"]
    second = await client.get(
        CUSTOMERS, params={"q": stem, "limit": 2, "cursor": body["next_cursor"]}, headers=agent
    )
    assert [c["id"] for c in second.json()["items"]] == ids[2:]
    assert second.json()["next_cursor"] is None


async def test_search_results_are_summaries(client, agent):
    created = await create_customer(client, agent, email=unique_email(), note="secret")
    [item] = (
        await client.get(CUSTOMERS, params={"email": created["email"]}, headers=agent)
    ).json()["items"]
    assert set(item) == {
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "preferred_store_id",
        "created_at",
    }


@pytest.mark.parametrize(
    ("param", "value"),
    [("email", "not-an-email"), ("phone", "12"), ("loyalty_card", "ABC"), ("cursor", "%%%")],
)
async def test_a_malformed_search_value_is_422(client, agent, param, value):
    response = await client.get(CUSTOMERS, params={param: value}, headers=agent)
    assert response.status_code == 422
    assert response.json()["param"] == param


async def test_a_full_profile_loads_in_three_queries_however_big(app, client, agent, database):
    # given a profile with several identities and addresses
    created = await create_customer(
        client,
        agent,
        email=unique_email(),
        phone=unique_phone(),
        loyalty_card=unique_loyalty_card(),
    )
    address = {"recipient": "Ada", "line1": "1 Main St", "city": "London", "country": "GB"}
    for _ in range(4):
        await client.post(f"{CUSTOMERS}/{created['id']}/addresses", json=address, headers=agent)
    await app.state.dispatcher.drain()  # no background statements in the count
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    # when it is loaded
    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with database.reader() as session:
            detail = await queries.get_customer(session, created["id"])
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    # then one query per table, not one per row
    assert detail is not None
    assert (len(detail.identities), len(detail.addresses)) == (3, 4)
    assert len(statements) == 3
