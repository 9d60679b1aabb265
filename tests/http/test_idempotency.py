"""Idempotency-Key semantics (IETF draft), shown on staff creation (an unsafe POST)."""

import asyncio
import uuid

from sqlalchemy import func, select

from omni.access.models import StaffUser
from omni.db.platform_models import IdempotencyRecord
from tests.support import TEST_PASSWORD, unique_email


def staff_body(email: str) -> dict:
    return {"email": email, "name": "Retry Tester", "password": TEST_PASSWORD, "roles": ["analyst"]}


async def count_staff(database, email: str) -> int:
    async with database.reader() as session:
        return await session.scalar(
            select(func.count()).select_from(StaffUser).where(StaffUser.email == email)
        )


async def test_twenty_sequential_retries_have_one_effect_and_identical_answers(
    client, database, admin_headers
):
    email = unique_email("staff")
    headers = {**admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    responses = [
        await client.post("/api/v1/staff", json=staff_body(email), headers=headers)
        for _ in range(20)
    ]
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert "idempotent-replayed" not in responses[0].headers
    assert all(r.headers["idempotent-replayed"] == "true" for r in responses[1:])
    assert responses[1].headers["etag"] == responses[0].headers["etag"]
    assert await count_staff(database, email) == 1


async def test_same_key_with_another_body_is_422_and_changes_nothing(
    client, database, admin_headers
):
    headers = {**admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    first, second = unique_email("staff"), unique_email("staff")
    assert (
        await client.post("/api/v1/staff", json=staff_body(first), headers=headers)
    ).status_code == 201
    reused = await client.post("/api/v1/staff", json=staff_body(second), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert await count_staff(database, second) == 0


async def test_keys_are_scoped_to_the_caller(client, database, staff_headers):
    key = str(uuid.uuid4())
    one, two = await staff_headers("admin"), await staff_headers("admin")
    email_one, email_two = unique_email("staff"), unique_email("staff")
    first = await client.post(
        "/api/v1/staff", json=staff_body(email_one), headers={**one, "Idempotency-Key": key}
    )
    other = await client.post(
        "/api/v1/staff", json=staff_body(email_two), headers={**two, "Idempotency-Key": key}
    )
    assert first.status_code == other.status_code == 201
    assert await count_staff(database, email_two) == 1


async def test_a_refused_request_releases_nothing_it_did_not_do(client, database, admin_headers):
    """A 4xx answer is stored and replayed: the same request gets the same refusal."""
    headers = {**admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    body = {**staff_body(unique_email("staff")), "roles": ["associate"]}  # no store: refused
    first = await client.post("/api/v1/staff", json=body, headers=headers)
    again = await client.post("/api/v1/staff", json=body, headers=headers)
    assert first.status_code == again.status_code == 422
    assert await count_staff(database, body["email"]) == 0


async def test_overlong_key_is_400(client, admin_headers):
    headers = {**admin_headers, "Idempotency-Key": "k" * 300}
    response = await client.post(
        "/api/v1/staff", json=staff_body(unique_email("staff")), headers=headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"


async def test_anonymous_callers_get_401_before_any_key_is_recorded(client, database):
    key = str(uuid.uuid4())
    response = await client.post(
        "/api/v1/staff", json=staff_body(unique_email()), headers={"Idempotency-Key": key}
    )
    assert response.status_code == 401
    async with database.reader() as session:
        assert (
            await session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
            is None
        )


async def test_concurrent_retries_run_exactly_once(client, database, admin_headers):
    email = unique_email("staff")
    headers = {**admin_headers, "Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(
        *(client.post("/api/v1/staff", json=staff_body(email), headers=headers) for _ in range(32))
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}
    created = [r for r in responses if r.status_code == 201]
    assert len({r.json()["id"] for r in created}) == 1
    conflicts = [r for r in responses if r.status_code == 409]
    assert all(r.json()["code"] == "idempotency_key_in_flight" for r in conflicts)
    assert await count_staff(database, email) == 1
