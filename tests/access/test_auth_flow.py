"""Sign-up, sign-in, sign-out, password reset and "who am I" through HTTP."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support import TEST_PASSWORD, read_mailbox, unique_email


async def test_shopper_signs_up_then_signs_in_and_sees_themself(client):
    email = unique_email()
    signed_up = await client.post(
        "/api/v1/auth/sign-up",
        json={
            "email": email,
            "password": TEST_PASSWORD,
            "first_name": "Ada",
            "last_name": "Lovelace",
        },
    )
    assert signed_up.status_code == 201, signed_up.text
    customer_id = signed_up.json()["principal_id"]

    signed_in = await client.post(
        "/api/v1/auth/sign-in", json={"email": email, "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 200
    token = signed_in.json()["access_token"]

    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["kind"] == "customer"
    assert me.json()["id"] == customer_id


async def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    email = unique_email()
    await client.post(
        "/api/v1/auth/sign-up",
        json={"email": email, "password": TEST_PASSWORD, "first_name": "A", "last_name": "B"},
    )
    wrong = await client.post(
        "/api/v1/auth/sign-in", json={"email": email, "password": "nope nope nope"}
    )
    unknown = await client.post(
        "/api/v1/auth/sign-in", json={"email": unique_email(), "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["content-type"] == "application/problem+json"


async def test_sign_up_twice_with_one_email_is_a_conflict_and_creates_nothing(client, database):
    email = unique_email()
    body = {"email": email, "password": TEST_PASSWORD, "first_name": "A", "last_name": "B"}
    assert (await client.post("/api/v1/auth/sign-up", json=body)).status_code == 201
    again = await client.post("/api/v1/auth/sign-up", json=body)
    assert again.status_code == 409
    from omni.customers.models import Customer

    async with database.reader() as session:
        profiles = list(await session.scalars(select(Customer).where(Customer.email == email)))
    assert len(profiles) == 1


async def test_weak_password_is_refused(client):
    response = await client.post(
        "/api/v1/auth/sign-up",
        json={"email": unique_email(), "password": "short", "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "password"


async def test_signed_out_token_no_longer_works(client, shopper_headers):
    _, headers = await shopper_headers()
    assert (await client.post("/api/v1/auth/sign-out", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_password_reset_token_works_once_and_revokes_sessions(client, app, settings):
    email = unique_email()
    signed_up = await client.post(
        "/api/v1/auth/sign-up",
        json={"email": email, "password": TEST_PASSWORD, "first_name": "A", "last_name": "B"},
    )
    old_headers = {"Authorization": f"Bearer {signed_up.json()['access_token']}"}
    requested = await client.post("/api/v1/auth/password-reset/request", json={"email": email})
    assert requested.status_code == 202
    await app.state.dispatcher.drain()
    [message] = read_mailbox(settings, email)
    assert message["subject"] == "Reset your password"
    token = re.search(r"omni_rt_[\w-]+", message["body"]).group(0)

    new_password = "a brand new passphrase"
    done = await client.post(
        "/api/v1/auth/password-reset", json={"token": token, "new_password": new_password}
    )
    assert done.status_code == 204
    reused = await client.post(
        "/api/v1/auth/password-reset", json={"token": token, "new_password": new_password}
    )
    assert reused.status_code == 422
    assert (await client.get("/api/v1/auth/me", headers=old_headers)).status_code == 401
    signed_in = await client.post(
        "/api/v1/auth/sign-in", json={"email": email, "password": new_password}
    )
    assert signed_in.status_code == 200


async def test_unknown_email_reset_request_answers_the_same(client):
    response = await client.post(
        "/api/v1/auth/password-reset/request", json={"email": unique_email()}
    )
    assert response.status_code == 202


async def test_garbage_bearer_token_is_401(client):
    response = await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer omni_at_nope"})
    assert response.status_code == 401


async def test_concurrent_sign_ups_with_one_email_make_one_account(client, database):
    import asyncio

    from omni.access.models import ShopperAccount

    email = unique_email()
    body = {"email": email, "password": TEST_PASSWORD, "first_name": "A", "last_name": "B"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/auth/sign-up", json=body) for _ in range(10))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 9
    async with database.reader() as session:
        accounts = list(
            await session.scalars(select(ShopperAccount).where(ShopperAccount.email == email))
        )
    assert len(accounts) == 1
