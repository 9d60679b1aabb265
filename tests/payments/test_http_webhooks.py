"""Provider webhooks through HTTP: genuine ones apply once; unsigned, forged, stale,
malformed and replayed deliveries change nothing. The test provider's pages complete
3-D Secure and pay links by posting the signed webhook to that same route. Payment
links (PAY3) end to end."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.payments import api, webhook_handling
from omni.payments.webhooks import compute_signature
from tests.payments.support import (
    PAYMENTS,
    RecordingProvider,
    eur,
    events,
    payment,
    place,
    snapshot,
    webhook_events,
)

WEBHOOK = f"{PAYMENTS}/webhooks/test"


async def waiting_for_3ds(database, provider):
    _, [payment_id], [outcome] = await place(
        database,
        provider,
        api.Tender(api.TenderKind.CARD_ONLINE, eur(3_000), reference="tok_3ds"),
    )
    return payment_id, outcome.action.action_id


def event_id(body: bytes) -> str:
    return json.loads(body)["id"]


async def test_a_genuine_webhook_applies_once_and_its_replay_changes_nothing(
    client, database, provider
):
    payment_id, action_id = await waiting_for_3ds(database, provider)
    delivery = provider.complete_action(action_id)

    first = await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "applied"
    after = await snapshot(database, payment_id)
    assert after["payment"]["status"] == "authorized"

    # The provider retries (re-signed with a new time, or the same bytes again).
    resigned = provider.webhooks.sign(delivery.body)
    for headers in (delivery.headers, resigned):
        replay = await client.post(WEBHOOK, content=delivery.body, headers=headers)
        assert replay.status_code == 200 and replay.json()["status"] == "replayed"
    assert await snapshot(database, payment_id) == after
    assert [n for n, _ in await events(database, payment_id)] == ["payment.authorized"]
    assert await webhook_events(database, event_id(delivery.body)) == 1


def stale_headers(provider, body: bytes) -> dict[str, str]:
    return provider.webhooks.sign(body, at=datetime.now(UTC) - timedelta(minutes=10))


def future_headers(provider, body: bytes) -> dict[str, str]:
    return provider.webhooks.sign(body, at=datetime.now(UTC) + timedelta(minutes=10))


def wrong_secret_headers(provider, body: bytes) -> dict[str, str]:
    t = int(time.time())
    return {"Omni-Signature": f"t={t},v1={compute_signature('whsec_forger_0123456789', t, body)}"}


@pytest.mark.parametrize(
    ("forge", "code"),
    [
        (lambda provider, body: {}, "webhook_unsigned"),
        (lambda provider, body: {"Omni-Signature": "v1=abc"}, "webhook_signature_malformed"),
        (wrong_secret_headers, "webhook_signature_mismatch"),
        (stale_headers, "webhook_timestamp_stale"),
        (future_headers, "webhook_timestamp_in_future"),
    ],
)
async def test_forged_or_stale_webhooks_are_refused_and_change_nothing(
    client, database, provider, forge, code
):
    payment_id, action_id = await waiting_for_3ds(database, provider)
    delivery = provider.complete_action(action_id)
    before = await snapshot(database, payment_id)

    response = await client.post(
        WEBHOOK, content=delivery.body, headers=forge(provider, delivery.body)
    )

    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    assert await snapshot(database, payment_id) == before
    assert await webhook_events(database, event_id(delivery.body)) == 0
    # The genuine delivery is still processed afterwards: nothing was remembered.
    genuine = await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    assert genuine.json()["status"] == "applied"


async def test_a_tampered_body_is_refused(client, database, provider):
    payment_id, action_id = await waiting_for_3ds(database, provider)
    delivery = provider.complete_action(action_id)
    tampered = delivery.body.replace(b'"authorization.approved"', b'"authorization.declined"')
    response = await client.post(WEBHOOK, content=tampered, headers=delivery.headers)
    assert (response.status_code, response.json()["code"]) == (400, "webhook_signature_mismatch")
    assert (await payment(database, payment_id))["status"] == "requires_action"


async def test_a_signed_body_that_is_no_event_is_refused(client, provider):
    body = b'{"hello": "world"}'
    response = await client.post(WEBHOOK, content=body, headers=provider.webhooks.sign(body))
    assert (response.status_code, response.json()["code"]) == (400, "webhook_payload_malformed")


async def test_an_event_about_nothing_we_know_is_acknowledged(client, provider):
    stranger = await provider.authorize(eur(100), "tok_3ds", idempotency_key=new_id("key"))
    delivery = provider.complete_action(stranger.action_id)
    response = await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    assert response.status_code == 200 and response.json()["status"] == "ignored"


async def test_webhooks_of_another_provider_name_are_not_found(client, provider):
    link = await provider.create_payment_link(eur(100), "x", idempotency_key=new_id("key"))
    delivery = provider.pay_link(link.id)
    response = await client.post(
        f"{PAYMENTS}/webhooks/stripe", content=delivery.body, headers=delivery.headers
    )
    assert response.status_code == 404


async def test_the_3ds_page_completes_authentication_through_our_webhook(
    client, database, provider
):
    payment_id, _action_id = await waiting_for_3ds(database, provider)
    url = (await payment(database, payment_id))["next_action_url"]
    path = url.removeprefix("http://127.0.0.1:8000")

    page = await client.get(path)
    assert page.status_code == 200 and "3-D Secure" in page.text and "30.00" in page.text
    done = await client.post(path, params={"outcome": "pass"})
    assert done.status_code == 200, done.text
    assert done.json()["webhook"]["status"] == "applied"
    assert (await payment(database, payment_id))["status"] == "authorized"
    again = await client.post(path, params={"outcome": "pass"})
    assert again.json()["webhook"]["status"] == "replayed"


async def test_the_3ds_page_can_fail_authentication(client, database, provider):
    payment_id, action_id = await waiting_for_3ds(database, provider)
    path = f"{PAYMENTS}/test-provider/3ds/{action_id}"
    done = await client.post(path, params={"outcome": "fail"}, headers={"Accept": "text/html"})
    assert done.status_code == 200 and "Done" in done.text
    assert (await payment(database, payment_id))["status"] == "failed"


async def test_test_provider_pages_refuse_forged_ids(client):
    for path in ("3ds/act_forged.00", "links/plink_forged.00"):
        assert (await client.get(f"{PAYMENTS}/test-provider/{path}")).status_code == 404
        assert (await client.post(f"{PAYMENTS}/test-provider/{path}")).status_code == 404


async def test_test_provider_pages_exist_only_with_the_test_provider(app, client, provider):
    app.state.payment_provider = RecordingProvider(provider, name="acme")
    try:
        link = await provider.create_payment_link(eur(100), "x", idempotency_key=new_id("key"))
        response = await client.get(f"{PAYMENTS}/test-provider/links/{link.id}")
        assert response.status_code == 404
    finally:
        app.state.payment_provider = provider


async def test_a_payment_link_is_created_once_and_paid_on_its_page(client, database, provider):
    order_id = new_id("ord")
    link = await api.create_payment_link(database, provider, order_id, eur(7_500))
    assert link.url.startswith("http://127.0.0.1:8000/api/v1/payments/test-provider/links/")
    assert await api.create_payment_link(database, provider, order_id, eur(7_500)) == link
    stored = await payment(database, link.payment_id)
    assert (stored["status"], stored["payment_link_url"]) == ("pending", link.url)
    async with database.reader() as session:
        assert (await api.order_payments(session, order_id)).due_later == 7_500

    path = link.url.removeprefix("http://127.0.0.1:8000")
    assert (await client.get(path)).status_code == 200
    paid = await client.post(path)
    assert paid.status_code == 200, paid.text

    stored = await payment(database, link.payment_id)
    assert (stored["status"], stored["captured"]) == ("captured", 7_500)
    names = [name for name, _ in await events(database, link.payment_id)]
    assert names == ["payment.captured", "payment.link_paid"]
    # Paid by a link, refunded through the provider.
    await api.refund(database, provider, link.payment_id, eur(2_500), "goodwill")
    assert (await payment(database, link.payment_id))["refunded"] == 2_500


async def test_an_order_placed_with_a_link_tender_gets_its_link_afterwards(database, provider):
    order_id, [payment_id], _ = await place(
        database, provider, api.Tender(api.TenderKind.PAYMENT_LINK, eur(1_900))
    )
    link = await api.create_payment_link(database, provider, order_id, eur(1_900))
    assert link.payment_id == payment_id
    with pytest.raises(DomainError) as refused:
        await api.create_payment_link(database, provider, order_id, eur(2_000))
    assert refused.value.code == "conflict"


async def test_a_failed_handling_forgets_the_event_so_the_retry_is_processed(
    database, provider, monkeypatch
):
    payment_id, action_id = await waiting_for_3ds(database, provider)
    delivery = provider.complete_action(action_id)

    async def broken(*args):
        raise RuntimeError("database blip")

    with monkeypatch.context() as patched:
        patched.setattr(webhook_handling, "_apply", broken)
        with pytest.raises(RuntimeError):
            await api.handle_webhook(database, provider, delivery.headers, delivery.body)
    assert await webhook_events(database, event_id(delivery.body)) == 0
    assert (await payment(database, payment_id))["status"] == "requires_action"

    retried = await api.handle_webhook(database, provider, delivery.headers, delivery.body)
    assert retried.status == "applied"
    assert (await payment(database, payment_id))["status"] == "authorized"
