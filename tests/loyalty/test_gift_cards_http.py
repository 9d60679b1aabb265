"""Gift cards over HTTP (LOY4): issued by staff with the code shown once, checked by
code (rate-limited), topped up, blocked — and a code never shown again in full."""

import uuid

from sqlalchemy import select

from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.loyalty.models import LedgerAccount
from tests.loyalty.support import (
    GIFT_CARDS,
    LOYALTY,
    balance_of,
    check_balance,
    issue_card,
    key,
)


async def test_a_card_is_issued_with_its_code_shown_once_then_only_masked(
    client, admin_headers, database, shopper_headers
):
    issued = await issue_card(client, admin_headers, 5_000)
    code = issued["code"].replace(" ", "")
    assert len(code) == 16 and issued["shown"] == "•••• " + code[-4:]
    assert (issued["balance"], issued["currency"], issued["status"]) == (5_000, "USD", "active")

    card = (await client.get(f"{GIFT_CARDS}/{issued['id']}", headers=admin_headers)).json()
    assert "code" not in card and card["shown"] == issued["shown"]
    _, shopper = await shopper_headers()
    checked = await check_balance(client, issued["code"], shopper)
    assert checked.json() == {"shown": issued["shown"], "currency": "USD", "balance": 5_000}
    async with database.reader() as session:
        row = await session.get(LedgerAccount, issued["id"])
        events = await session.scalars(select(OutboxEvent.payload))
        audits = await session.scalars(select(AuditEntry.changes))
        stored = [str(row.__dict__), *map(str, events), *map(str, audits)]
    assert not any(code in text for text in stored)


async def test_issuing_again_with_the_same_key_answers_the_card_without_its_code(
    client, admin_headers
):
    same = key()
    body = {"amount": 2_000, "currency": "EUR"}
    first = await client.post(GIFT_CARDS, json=body, headers=admin_headers | same)
    again = await client.post(GIFT_CARDS, json=body, headers=admin_headers | same)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["code"] and again.json()["code"] is None
    assert again.json()["balance"] == 2_000


async def test_issuing_without_an_idempotency_key_is_refused(client, admin_headers):
    response = await client.post(
        GIFT_CARDS, json={"amount": 100, "currency": "USD"}, headers=admin_headers
    )
    assert (response.status_code, response.json()["code"]) == (400, "idempotency_key_missing")


async def test_a_physical_card_is_activated_by_its_printed_number(client, admin_headers):
    first = await issue_card(client, admin_headers, 1_000, form="physical")
    number = first["code"].replace(" ", "")
    assert len(number) == 20 and number.isdigit()
    # The same printed number cannot be activated twice.
    twice = await client.post(
        GIFT_CARDS,
        json={"amount": 1_000, "currency": "USD", "form": "physical", "number": number},
        headers=admin_headers | key(),
    )
    assert twice.status_code == 409 and number not in twice.text


async def test_a_wrong_code_is_unknown_and_not_echoed(client, shopper_headers):
    _, shopper = await shopper_headers()
    for wrong in ("ABCD-EFGH-JKMN-PQRS", "NOT A CODE", "1234 5678 9012 3456 7890"):
        response = await check_balance(client, wrong, shopper)
        assert response.status_code == 422
        assert response.json()["code"] == "gift_card_unknown"
        assert wrong not in response.text


async def test_balance_checks_are_rate_limited_per_client(
    client, admin_headers, shopper_headers, settings
):
    issued = await issue_card(client, admin_headers, 500)
    _, guesser = await shopper_headers()
    _, other = await shopper_headers()
    allowed = settings.loyalty_balance_checks_per_minute
    for _ in range(allowed):
        assert (await check_balance(client, "WRONGCODE", guesser)).status_code == 422
    refused = await check_balance(client, issued["code"], guesser)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["retry_after_seconds"] >= 1
    # Another client is not slowed down by the first one's guesses.
    assert (await check_balance(client, issued["code"], other)).status_code == 200


async def test_a_top_up_adds_value_once_per_key(client, admin_headers, database):
    issued = await issue_card(client, admin_headers, 1_000)
    url, same = f"{GIFT_CARDS}/{issued['id']}/top-ups", key()
    first = await client.post(url, json={"amount": 750}, headers=admin_headers | same)
    again = await client.post(url, json={"amount": 750}, headers=admin_headers | same)
    assert first.status_code == again.status_code == 200
    assert first.json()["balance"] == 1_750
    assert await balance_of(database, issued["id"]) == 1_750


async def test_a_blocked_card_cannot_be_checked_or_topped_up(
    client, admin_headers, shopper_headers, database
):
    issued = await issue_card(client, admin_headers, 1_000)
    blocked = await client.post(f"{GIFT_CARDS}/{issued['id']}/block", headers=admin_headers)
    assert blocked.json()["status"] == "blocked"
    _, shopper = await shopper_headers()
    checked = await check_balance(client, issued["code"], shopper)
    assert (checked.status_code, checked.json()["code"]) == (422, "gift_card_blocked")
    top_up = await client.post(
        f"{GIFT_CARDS}/{issued['id']}/top-ups", json={"amount": 5}, headers=admin_headers | key()
    )
    assert (top_up.status_code, top_up.json()["code"]) == (422, "gift_card_blocked")
    assert await balance_of(database, issued["id"]) == 1_000


async def test_issuing_needs_the_loyalty_manage_permission(client, staff_headers, shopper_headers):
    body = {"amount": 1_000, "currency": "USD"}
    analyst = await staff_headers("analyst")
    _, shopper = await shopper_headers()
    for headers in (analyst, shopper):
        response = await client.post(GIFT_CARDS, json=body, headers=headers | key())
        assert response.status_code == 403
    associate = await staff_headers("associate")
    assert (await client.post(GIFT_CARDS, json=body, headers=associate | key())).status_code == 403
    agent = await staff_headers("agent")
    assert (await client.post(GIFT_CARDS, json=body, headers=agent | key())).status_code == 201


async def test_a_shopper_sees_their_own_balances_and_nobody_elses(
    client, admin_headers, shopper_headers
):
    customer_id, shopper = await shopper_headers()
    other_id, _ = await shopper_headers()
    granted = await client.post(
        f"{LOYALTY}/store-credit/{customer_id}",
        json={"amount": 1_200, "currency": "USD", "reason": "late delivery"},
        headers=admin_headers | key(),
    )
    assert granted.status_code == 200, granted.text
    card = await issue_card(client, admin_headers, 300, customer_id=customer_id)

    mine = (await client.get(f"{LOYALTY}/me", headers=shopper)).json()
    assert [(a["unit"], a["balance"]) for a in mine["store_credit"]] == [("USD", 1_200)]
    assert [c["id"] for c in mine["gift_cards"]] == [card["id"]]
    assert all("code" not in c for c in mine["gift_cards"])
    own = await client.get(f"{LOYALTY}/store-credit/{customer_id}", headers=shopper)
    assert own.status_code == 200
    for url in (
        f"{LOYALTY}/store-credit/{other_id}",
        f"{LOYALTY}/accounts/{(await _any_card(client, admin_headers))['id']}/postings",
    ):
        assert (await client.get(url, headers=shopper)).status_code == 404


async def _any_card(client, admin_headers):
    return await issue_card(client, admin_headers, 100)


async def test_store_credit_for_an_unknown_customer_is_refused(client, admin_headers):
    response = await client.post(
        f"{LOYALTY}/store-credit/cus_{uuid.uuid4().hex[:26]}",
        json={"amount": 100, "currency": "USD", "reason": "goodwill"},
        headers=admin_headers | key(),
    )
    assert response.status_code == 422


async def test_the_history_of_a_card_names_each_source(client, admin_headers):
    issued = await issue_card(client, admin_headers, 1_000)
    await client.post(
        f"{GIFT_CARDS}/{issued['id']}/top-ups", json={"amount": 500}, headers=admin_headers | key()
    )
    page = await client.get(
        f"{LOYALTY}/accounts/{issued['id']}/postings", params={"limit": 1}, headers=admin_headers
    )
    [latest] = page.json()["items"]
    assert (latest["kind"], latest["amount"], latest["balance_after"]) == ("top_up", 500, 1_500)
    rest = await client.get(
        f"{LOYALTY}/accounts/{issued['id']}/postings",
        params={"cursor": page.json()["next_cursor"]},
        headers=admin_headers,
    )
    [first] = rest.json()["items"]
    assert (first["kind"], first["amount"], first["source_type"]) == ("issue", 1_000, "request")
