"""Generated from the OpenAPI document: every non-public operation refuses anonymous
callers with 401 and changes nothing; every route declares who may call it."""

import re

from sqlalchemy import func, select

from omni.db.all_models import metadata
from omni.http.access_check import access_declaration, api_routes
from omni.http.system_routes import router as system_router
from omni.main import API_PREFIX
from omni.wiring import api_routers

PLACEHOLDER = "01JD5Z6Q6X9K2V3M4N5P6R7S8T"


def public_operations() -> set[tuple[str, str]]:
    public = set()
    for prefix, routers in (("", [system_router]), (API_PREFIX, api_routers())):
        for route in api_routes(routers):
            if (access_declaration(route) or {}).get("public"):
                public |= {(method, prefix + route.path) for method in route.methods}
    return public


async def row_counts(database) -> dict[str, int]:
    async with database.reader() as session:
        return {
            table.name: await session.scalar(select(func.count()).select_from(table))
            for table in metadata.sorted_tables
        }


async def test_every_route_declares_its_access():
    for route in api_routes([system_router, *api_routers()]):
        declaration = access_declaration(route)
        assert declaration is not None, route.path
        who = ("public", "signed_in", "customers", "permissions", "any_of")
        assert any(declaration[key] for key in who), f"{route.path} declares nobody"


async def test_anonymous_calls_to_non_public_operations_get_401_and_change_nothing(
    app, client, database
):
    public = public_operations()
    await app.state.dispatcher.drain()
    before = await row_counts(database)
    checked = 0
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            method = method.upper()
            if (method, path) in public:
                continue
            url = re.sub(r"\{[^}]+\}", PLACEHOLDER, path)
            response = await client.request(
                method, url, json={}, headers={"Idempotency-Key": "walk"}
            )
            assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"] == "Bearer"
            checked += 1
    assert checked >= 10
    assert await row_counts(database) == before


async def test_the_openapi_document_is_3_1_and_lists_the_foundation(app):
    document = app.openapi()
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {"/api/v1/auth/sign-in", "/api/v1/staff", "/api/v1/audit"} <= paths
