"""The /imports and /exports endpoints: who may call them, what bodies they take, and
how a file that cannot be read is refused (always with nothing changed)."""

from __future__ import annotations

import pytest

from omni.http.access_check import access_declaration, api_routes
from omni.integrations import ENTITIES, IMPORT_ONLY_ENTITIES, routes
from omni.integrations.registry import EXPORTS as EXPORT_SPECS
from omni.integrations.registry import IMPORTS as IMPORT_SPECS
from omni.locations.api import CSV_COLUMNS
from omni.locations.models import Location
from tests.integrations.helpers import EXPORTS, IMPORTS, count, csv_text, new_key, problems, upload
from tests.integrations.test_locations_csv import location_row

COLUMNS = list(CSV_COLUMNS)


def test_every_entity_has_an_import_and_an_export_with_its_own_permission():
    assert set(EXPORT_SPECS) == set(ENTITIES)
    assert set(IMPORT_SPECS) == {*ENTITIES, *IMPORT_ONLY_ENTITIES}
    declared = {
        (sorted(route.methods)[0], route.path): access_declaration(route)["permissions"]  # type: ignore[index]
        for route in api_routes([routes.router])
    }
    assert declared == {
        ("POST", "/imports/products"): ("catalog.write",),
        ("POST", "/imports/prices"): ("prices.write",),
        ("POST", "/imports/locations"): ("locations.write",),
        ("POST", "/imports/customers"): ("customers.import",),
        ("POST", "/imports/po_receipts"): ("inventory.write",),
        ("POST", "/imports/asns"): ("inventory.write",),
        ("GET", "/exports/products"): ("catalog.export",),
        ("GET", "/exports/prices"): ("prices.export",),
        ("GET", "/exports/locations"): ("locations.export",),
        ("GET", "/exports/customers"): ("customers.export",),
    }


def test_imports_require_an_idempotency_key_in_the_openapi_document(app):
    paths = app.openapi()["paths"]
    for entity in (*ENTITIES, *IMPORT_ONLY_ENTITIES):
        operation = paths[f"{IMPORTS}/{entity}"]["post"]
        assert operation["x-idempotency"] == "required"
        assert set(operation["requestBody"]["content"]) == {"text/csv", "multipart/form-data"}


@pytest.mark.parametrize("entity", ENTITIES)
async def test_anonymous_callers_get_401(client, entity):
    response = await upload(client, entity, "a\n1\n", {})
    assert response.status_code == 401
    assert (await client.get(f"{EXPORTS}/{entity}")).status_code == 401


@pytest.mark.parametrize(
    ("role", "entity"),
    [
        ("analyst", "products"),
        ("analyst", "prices"),
        ("planner", "prices"),
        ("merchandiser", "locations"),
        ("merchandiser", "customers"),
        ("agent", "customers"),
    ],
)
async def test_roles_without_the_write_permission_get_403(client, staff_headers, role, entity):
    headers = await staff_headers(role)
    response = await upload(client, entity, "a\n1\n", headers)
    assert response.status_code == 403
    assert response.json()["required"]


@pytest.mark.parametrize(
    ("role", "entity", "status"),
    [
        ("associate", "products", 403),
        ("associate", "prices", 403),
        ("merchandiser", "locations", 403),
        ("analyst", "customers", 403),
        ("analyst", "products", 200),
        ("merchandiser", "prices", 200),
        ("planner", "locations", 200),
    ],
)
async def test_exports_need_the_export_permission(client, staff_headers, role, entity, status):
    response = await client.get(f"{EXPORTS}/{entity}", headers=await staff_headers(role))
    assert response.status_code == status


async def test_missing_and_unknown_columns_are_reported_on_row_1(client, planner, database):
    row = location_row()
    columns = [c for c in COLUMNS if c != "time_zone"] + ["colour"]
    response = await upload(client, "locations", csv_text(columns, [row]), planner)
    assert problems(response) == [(1, "time_zone"), (1, "colour")]
    assert response.json()["rows"] == 0
    doubled = await upload(client, "locations", csv_text([*COLUMNS, "name"], [row]), planner)
    assert problems(doubled) == [(1, "name")]
    assert await count(database, Location, Location.code == row["code"]) == 0


async def test_a_file_that_is_not_utf8_changes_nothing(client, planner, database):
    rows = [location_row(), location_row(city="Zürich", country="CH", time_zone="Europe/Zurich")]
    data = csv_text(COLUMNS, rows).encode("latin-1")
    response = await upload(client, "locations", data, planner)
    assert problems(response) == [(3, "")]
    assert "UTF-8" in response.json()["errors"][0]["message"]
    assert await count(database, Location, Location.code.in_([r["code"] for r in rows])) == 0


async def test_a_row_longer_than_the_header_is_refused(client, planner, database):
    row = location_row()
    text = csv_text(COLUMNS, [row]).rstrip("\n") + ",surprise\n"
    response = await upload(client, "locations", text, planner)
    assert problems(response) == [(2, "")]
    assert await count(database, Location, Location.code == row["code"]) == 0


async def test_an_empty_file_is_refused_and_a_header_alone_does_nothing(client, planner):
    assert problems(await upload(client, "locations", "", planner)) == [(1, "")]
    response = await upload(client, "locations", ",".join(COLUMNS) + "\n", planner)
    assert response.status_code == 200
    assert (response.json()["rows"], response.json()["counts"]) == (0, {})


async def test_a_dry_run_of_a_valid_file_changes_nothing(client, planner, database):
    row = location_row()
    response = await upload(client, "locations", csv_text(COLUMNS, [row]), planner, dry_run=True)
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["applied"], body["counts"]) == (True, False, {"created": 1})
    assert await count(database, Location, Location.code == row["code"]) == 0


async def test_bodies_other_than_csv_are_415(client, planner):
    response = await client.post(
        f"{IMPORTS}/locations",
        json={"code": "X"},
        headers={**planner, "Idempotency-Key": new_key()},
    )
    assert response.status_code == 415
    form = await client.post(
        f"{IMPORTS}/locations",
        files={"other": ("x.csv", b"a\n", "text/csv")},
        headers={**planner, "Idempotency-Key": new_key()},
    )
    assert form.status_code == 400


async def test_files_over_the_limit_are_413(client, planner, database, monkeypatch):
    monkeypatch.setattr(routes, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr(routes, "MULTIPART_OVERHEAD", 0)
    row = location_row()
    text = csv_text(COLUMNS, [row])
    assert (await upload(client, "locations", text, planner)).status_code == 413
    multipart = await upload(client, "locations", text, planner, multipart=True)
    assert multipart.status_code == 413
    assert await count(database, Location, Location.code == row["code"]) == 0
