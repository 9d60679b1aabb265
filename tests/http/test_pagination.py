"""Cursor pagination, shown on the staff list (admins)."""

from tests.support import create_staff_user


async def test_pages_walk_every_row_once_in_order(client, database, admin_headers):
    created = [await create_staff_user(database, ["analyst"], []) for _ in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, "role": "analyst"}
        if cursor:
            params["cursor"] = cursor
        response = await client.get("/api/v1/staff", params=params, headers=admin_headers)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen))
    assert {user.id for user in created} <= set(seen)


async def test_a_forged_cursor_is_a_clear_400(client, admin_headers):
    response = await client.get("/api/v1/staff", params={"cursor": "%%%"}, headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["param"] == "cursor"
