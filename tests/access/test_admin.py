"""Admins manage staff, API clients and read the audit log; nobody else may."""

import uuid

from sqlalchemy import select

from omni.access.models import ApiClient, StaffUser
from tests.support import TEST_PASSWORD, unique_email


def new_staff(roles: list[str], stores: list[str] | None = None, **extra) -> dict:
    return {
        "email": unique_email("staff"),
        "name": "Sam Staff",
        "password": TEST_PASSWORD,
        "roles": roles,
        "store_ids": stores or [],
        **extra,
    }


async def a_store(client, admin_headers) -> str:
    code = f"T{uuid.uuid4().hex[:8].upper()}"
    response = await client.post(
        "/api/v1/locations",
        json={
            "code": code,
            "name": f"Store {code}",
            "kind": "store",
            "time_zone": "America/New_York",
            "latitude": 40.72,
            "longitude": -74.0,
            "capabilities": ["sell_in_store"],
            "address": {
                "line1": "1 Test St",
                "city": "New York",
                "postal_code": "10012",
                "country": "US",
            },
        },
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_admin_creates_a_store_associate_who_can_sign_in_and_see_their_scope(
    client, admin_headers
):
    store = await a_store(client, admin_headers)
    body = new_staff(["associate"], [store])
    created = await client.post("/api/v1/staff", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"v1"'
    signed_in = await client.post(
        "/api/v1/auth/staff/sign-in", json={"email": body["email"], "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 200
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    )
    assert me.json()["roles"] == ["associate"] and me.json()["store_ids"] == [store]


async def test_store_scoped_roles_need_a_real_store(client, database, admin_headers):
    no_store = new_staff(["associate"])
    unknown_store = new_staff(["store_manager"], ["loc_01JD5Z6Q6X9K2V3M4N5P6R7S8T"])
    assert (
        await client.post("/api/v1/staff", json=no_store, headers=admin_headers)
    ).status_code == 422
    assert (
        await client.post("/api/v1/staff", json=unknown_store, headers=admin_headers)
    ).status_code == 422
    async with database.reader() as session:
        emails = {no_store["email"], unknown_store["email"]}
        assert (
            list(await session.scalars(select(StaffUser).where(StaffUser.email.in_(emails)))) == []
        )


async def test_unknown_roles_and_weak_passwords_are_refused(client, admin_headers):
    assert (
        await client.post("/api/v1/staff", json=new_staff(["wizard"]), headers=admin_headers)
    ).status_code == 422
    weak = new_staff(["analyst"], password="short")
    response = await client.post("/api/v1/staff", json=weak, headers=admin_headers)
    assert response.status_code == 422 and response.json()["field"] == "password"


async def test_deactivating_a_user_ends_their_sessions_at_once(client, admin_headers):
    body = new_staff(["analyst"])
    created = (await client.post("/api/v1/staff", json=body, headers=admin_headers)).json()
    token = (
        await client.post(
            "/api/v1/auth/staff/sign-in", json={"email": body["email"], "password": TEST_PASSWORD}
        )
    ).json()
    their_headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert (await client.get("/api/v1/auth/me", headers=their_headers)).status_code == 200
    patched = await client.patch(
        f"/api/v1/staff/{created['id']}",
        json={"active": False},
        headers={**admin_headers, "If-Match": '"v1"'},
    )
    assert patched.status_code == 200 and patched.headers["etag"] == '"v2"'
    assert (await client.get("/api/v1/auth/me", headers=their_headers)).status_code == 401


async def test_a_stale_if_match_changes_nothing(client, admin_headers):
    created = (
        await client.post("/api/v1/staff", json=new_staff(["analyst"]), headers=admin_headers)
    ).json()
    stale = await client.patch(
        f"/api/v1/staff/{created['id']}",
        json={"name": "Renamed"},
        headers={**admin_headers, "If-Match": '"v7"'},
    )
    assert stale.status_code == 412
    current = await client.get(f"/api/v1/staff/{created['id']}", headers=admin_headers)
    assert current.json()["name"] == "Sam Staff"


async def test_only_admins_manage_staff(client, staff_headers):
    for role in ("merchandiser", "planner", "agent", "analyst"):
        headers = await staff_headers(role)
        assert (await client.get("/api/v1/staff", headers=headers)).status_code == 403
        refused = await client.post("/api/v1/staff", json=new_staff(["admin"]), headers=headers)
        assert refused.status_code == 403


async def test_a_shopper_cannot_reach_staff_administration(client, shopper_headers):
    _, headers = await shopper_headers()
    assert (await client.get("/api/v1/staff", headers=headers)).status_code == 403
    assert (await client.get("/api/v1/audit", headers=headers)).status_code == 403


async def test_api_client_key_is_shown_once_and_grants_exactly_its_scopes(
    client, database, admin_headers
):
    created = await client.post(
        "/api/v1/api-clients",
        json={"name": "ERP sync", "scopes": ["catalog.read"]},
        headers=admin_headers,
    )
    assert created.status_code == 201
    key = created.json()["api_key"]
    assert key.startswith("omni_sk_")
    async with database.reader() as session:
        stored = await session.get(ApiClient, created.json()["id"])
    assert key not in (stored.key_hash, stored.key_hint) and stored.key_hint == key[:12]

    key_headers = {"Authorization": f"Bearer {key}"}
    me = await client.get("/api/v1/auth/me", headers=key_headers)
    assert me.json()["kind"] == "api_client" and me.json()["scopes"] == ["catalog.read"]
    assert (await client.get("/api/v1/catalog/variants", headers=key_headers)).status_code == 200
    assert (await client.get("/api/v1/staff", headers=key_headers)).status_code == 403

    listed = await client.get("/api/v1/api-clients", headers=admin_headers)
    assert all("api_key" not in item for item in listed.json()["items"])


async def test_a_revoked_api_key_stops_working(client, admin_headers):
    created = (
        await client.post(
            "/api/v1/api-clients",
            json={"name": "POS bridge", "scopes": ["catalog.read"]},
            headers=admin_headers,
        )
    ).json()
    key_headers = {"Authorization": f"Bearer {created['api_key']}"}
    assert (
        await client.post(f"/api/v1/api-clients/{created['id']}/revoke", headers=admin_headers)
    ).status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=key_headers)).status_code == 401


async def test_unknown_scopes_are_refused(client, admin_headers):
    response = await client.post(
        "/api/v1/api-clients",
        json={"name": "x", "scopes": ["everything.please"]},
        headers=admin_headers,
    )
    assert response.status_code == 422 and response.json()["field"] == "scopes"


async def test_the_audit_log_says_who_changed_what_from_which_channel(client, admin_headers):
    headers = {**admin_headers, "Omni-Channel": "back-office", "X-Request-Id": "audit-trail-1"}
    created = (
        await client.post("/api/v1/staff", json=new_staff(["analyst"]), headers=headers)
    ).json()
    me = (await client.get("/api/v1/auth/me", headers=admin_headers)).json()
    log = await client.get(
        "/api/v1/audit", params={"object_id": created["id"]}, headers=admin_headers
    )
    assert log.status_code == 200
    [entry] = log.json()["items"]
    assert entry["action"] == "staff.created"
    assert entry["actor_kind"] == "staff" and entry["actor_id"] == me["id"]
    assert entry["channel"] == "back-office" and entry["request_id"] == "audit-trail-1"
    assert entry["changes"]["roles"] == ["analyst"]
