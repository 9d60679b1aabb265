"""The test provider's 3-D Secure page sends the shopper back to the storefront page it
was given (``return_to``) — a path on this site only, never another site."""

from __future__ import annotations

from tests.payments.support import payment
from tests.payments.test_http_webhooks import waiting_for_3ds


async def test_the_3ds_page_sends_the_shopper_back_after_authenticating(client, database, provider):
    payment_id, _ = await waiting_for_3ds(database, provider)
    url = (await payment(database, payment_id))["next_action_url"]
    path = url.removeprefix("http://127.0.0.1:8000")

    page = await client.get(path, params={"return_to": "/orders/ord_1"})
    assert "return_to=%2Forders%2Ford_1&amp;outcome=pass" in page.text
    done = await client.post(path, params={"return_to": "/orders/ord_1", "outcome": "pass"})

    assert done.status_code == 303 and done.headers["location"] == "/orders/ord_1"
    assert (await payment(database, payment_id))["status"] == "authorized"


async def test_the_3ds_page_never_sends_the_shopper_to_another_site(client, database, provider):
    payment_id, _ = await waiting_for_3ds(database, provider)
    url = (await payment(database, payment_id))["next_action_url"]
    path = url.removeprefix("http://127.0.0.1:8000")

    for elsewhere in ("//evil.example/x", "https://evil.example/x", "/\\evil.example"):
        page = await client.get(path, params={"return_to": elsewhere})
        assert "evil" not in page.text
    done = await client.post(
        path, params={"return_to": "//evil.example/x", "outcome": "pass"},
        headers={"Accept": "text/html"},
    )  # fmt: skip
    assert done.status_code == 200 and "Done" in done.text
