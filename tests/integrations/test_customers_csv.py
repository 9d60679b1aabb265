"""Customers from and to CSV: new profiles only, formula-escaped exports, idempotency."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select

from omni.customers.api import EXPORT_COLUMNS, IMPORT_COLUMNS
from omni.customers.models import Customer
from omni.integrations.cli_tasks import run_import
from tests.customers.helpers import unique_last_name, unique_loyalty_card
from tests.integrations.helpers import (
    EXPORTS,
    IMPORTS,
    audit_entries,
    count,
    csv_text,
    export_rows,
    imported,
    new_key,
    problems,
    upload,
)
from tests.support import unique_email

COLUMNS = list(IMPORT_COLUMNS)


def customer_row(last_name: str, **cells: Any) -> dict[str, Any]:
    return {
        "first_name": "Grace",
        "last_name": last_name,
        "email": unique_email("csv"),
        "loyalty_card": unique_loyalty_card(),
        "birth_date": "1990-12-09",
        "locale": "en-US",
        "email_opt_in": "yes",
        **cells,
    }


async def named(database, last_name: str) -> list[Customer]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(Customer).where(Customer.last_name == last_name).order_by(Customer.email)
        )
        return list(rows)


async def test_a_valid_file_creates_profiles(client, admin_headers, database, store_id):
    family = unique_last_name()
    rows = [customer_row(family), customer_row(family, preferred_store_id=store_id, phone="")]
    report = await imported(
        client, "customers", csv_text(COLUMNS, rows), admin_headers, multipart=True
    )
    assert (report["rows"], report["counts"]) == (2, {"created": 2})
    stored = await named(database, family)
    assert sorted(c.email for c in stored) == sorted(row["email"] for row in rows)
    assert {c.preferred_store_id for c in stored} == {None, store_id}
    assert all(c.communication["email"] for c in stored)
    entry = (await audit_entries(database, "import.customers"))[-1]
    assert (entry.actor_kind, entry.changes) == ("staff", {"rows": 2, "created": 2})


async def test_the_cli_path_imports_as_the_system(database):
    family = unique_last_name()
    source = io.BytesIO(csv_text(COLUMNS, [customer_row(family)]).encode())
    report = await run_import(database, "customers", source)
    assert (report.applied, report.counts) == (True, {"created": 1})
    assert len(await named(database, family)) == 1
    entry = (await audit_entries(database, "import.customers"))[-1]
    assert entry.actor_kind == "system"
    assert (entry.request_id or "").startswith("cli-")


async def test_one_bad_email_refuses_the_whole_file(client, admin_headers, database):
    family = unique_last_name()
    rows = [
        customer_row(family),
        customer_row(family, email="grace@@example"),
        customer_row(family),
    ]
    response = await upload(client, "customers", csv_text(COLUMNS, rows), admin_headers)
    assert problems(response) == [(3, "email")]
    assert await named(database, family) == []


async def test_an_unknown_preferred_store_is_reported_by_row(client, admin_headers, database):
    family = unique_last_name()
    rows = [customer_row(family), customer_row(family, preferred_store_id="loc_nope")]
    response = await upload(client, "customers", csv_text(COLUMNS, rows), admin_headers)
    assert problems(response) == [(3, "preferred_store_id")]
    assert await named(database, family) == []


async def test_one_person_twice_in_a_file_is_refused(client, admin_headers, database):
    family = unique_last_name()
    first = customer_row(family)
    again = customer_row(family, email=first["email"].upper())
    response = await upload(client, "customers", csv_text(COLUMNS, [first, again]), admin_headers)
    assert problems(response) == [(3, "email")]
    assert await named(database, family) == []


async def test_exports_escape_formulas_and_re_import_as_they_were(client, admin_headers, database):
    family = unique_last_name()
    evil = '=HYPERLINK("http://evil.example","click")'
    rows = [customer_row(family, first_name=evil, note="+1 call back"), customer_row(family)]
    await imported(client, "customers", csv_text(COLUMNS, rows), admin_headers)

    response = await client.get(f"{EXPORTS}/customers", headers=admin_headers)
    assert response.status_code == 200
    raw = [line for line in csv.reader(io.StringIO(response.text)) if family in line]
    assert len(raw) == 2
    escaped = next(line for line in raw if "HYPERLINK" in line[1])
    assert escaped[1] == "'" + evil
    assert escaped[EXPORT_COLUMNS.index("note")] == "'+1 call back"

    # Re-imported under another name (import creates profiles; ids left empty). The
    # identifiers are unverified, so the same emails may start second profiles.
    header, exported = await export_rows(client, "customers", admin_headers)
    ours = [
        {**row, "id": "", "created_at": "", "last_name": family + "-2"}
        for row in exported
        if row["last_name"] == family
    ]
    assert len(ours) == 2
    await imported(client, "customers", csv_text(header, ours), admin_headers)
    again = await named(database, family + "-2")
    assert sorted(c.first_name for c in again) == sorted(["Grace", evil])
    assert sorted(c.note or "" for c in again) == ["", "+1 call back"]


async def test_a_row_with_an_id_is_refused_rather_than_duplicated(client, admin_headers):
    family = unique_last_name()
    row = customer_row(family, id="cus_0001")
    response = await upload(client, "customers", csv_text(["id", *COLUMNS], [row]), admin_headers)
    assert problems(response) == [(2, "id")]


async def test_a_retried_import_replays_without_creating_twice(client, admin_headers, database):
    family = unique_last_name()
    text = csv_text(COLUMNS, [customer_row(family), customer_row(family)])
    key = new_key()
    first = await upload(client, "customers", text, admin_headers, key=key)
    retry = await upload(client, "customers", text, admin_headers, key=key)
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    assert len(await named(database, family)) == 2

    other = await upload(client, "customers", text + "Ada,X\n", admin_headers, key=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


async def test_an_import_without_idempotency_key_is_refused(client, admin_headers, database):
    family = unique_last_name()
    response = await client.post(
        f"{IMPORTS}/customers",
        content=csv_text(COLUMNS, [customer_row(family)]),
        headers={**admin_headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    assert await named(database, family) == []


async def test_customer_imports_and_exports_are_for_admins(client, staff_headers, database):
    agent = await staff_headers("agent")
    family = unique_last_name()
    response = await upload(client, "customers", csv_text(COLUMNS, [customer_row(family)]), agent)
    assert response.status_code == 403
    assert (await client.get(f"{EXPORTS}/customers", headers=agent)).status_code == 403
    assert await count(database, Customer, Customer.last_name == family) == 0
