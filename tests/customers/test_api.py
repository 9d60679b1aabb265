"""What other modules call: summaries, lookups by identifier, CSV import and export."""

from __future__ import annotations

from datetime import date

import pytest

from omni.customers import api
from omni.kernel.errors import InvalidInput
from tests.customers.helpers import (
    create_customer,
    customers_named,
    snapshot,
    unique_last_name,
    unique_loyalty_card,
    unique_phone,
)
from tests.support import unique_email


def _row(**fields: str) -> dict[str, str]:
    return {"first_name": "Grace", "last_name": unique_last_name("Hopper"), **fields}


async def test_a_customer_summary_is_plain_data(client, agent, database):
    created = await create_customer(
        client, agent, email=unique_email(), communication={"email": True, "push": True}
    )
    async with database.reader() as session:
        summary = await api.get_customer_summary(session, created["id"])
        missing = await api.get_customer_summary(session, "cus_nobody")
    assert summary is not None
    assert (summary.id, summary.email) == (created["id"], created["email"])
    assert summary.marketing_channels == frozenset({"email", "push"})
    assert missing is None


async def test_find_by_identity_normalizes_the_value(client, agent, database):
    phone = unique_phone()
    created = await create_customer(client, agent, phone=phone)
    async with database.reader() as session:
        found = await api.find_by_identity(session, "phone", phone.replace(" ", ""))
        garbage = await api.find_by_identity(session, "phone", "not a phone")
    assert found is not None
    assert found.id == created["id"]
    assert garbage is None


async def test_find_by_identity_prefers_the_verified_holder(client, agent, database):
    # given an older profile claiming a loyalty card that a newer one holds verified
    card = unique_loyalty_card()
    older = await create_customer(client, agent, loyalty_card=card)
    newer = await create_customer(client, agent)
    await client.post(
        f"/api/v1/customers/{newer['id']}/identities",
        json={"kind": "loyalty_card", "value": card, "verified": True},
        headers=agent,
    )
    async with database.reader() as session:
        found = await api.find_by_identity(session, "loyalty_card", card)
    assert found is not None
    assert found.id == newer["id"] != older["id"]


async def test_find_by_identity_refuses_an_unknown_kind(database):
    async with database.reader() as session:
        with pytest.raises(InvalidInput):
            await api.find_by_identity(session, "passport", "X123")


def test_a_valid_row_has_no_errors():
    row = _row(
        email="grace@example.com",
        phone="+1 212 555 0100",
        loyalty_card="1234 5678 9012",
        birth_date="1906-12-09",
        locale="en-US",
        email_opt_in="yes",
        sms_opt_in="",
        id="",
    )
    assert api.validate_customer_row(row) == []


def test_a_row_reports_every_problem_at_once():
    row = _row(
        first_name="",
        email="nope",
        birth_date="09/12/1906",
        sms_opt_in="maybe",
        favourite_colour="blue",
        id="cus_123",
    )
    errors = api.validate_customer_row(row, today=date(2025, 1, 1))
    assert {error.field for error in errors} == {
        "first_name",
        "email",
        "birth_date",
        "sms_opt_in",
        "favourite_colour",
        "id",
    }


async def test_import_adds_rows_in_the_callers_unit_of_work_without_committing(database):
    rows = [_row(email=unique_email()), _row(loyalty_card=unique_loyalty_card())]
    async with database.uow() as uow:
        report = await api.import_customers(uow, rows)
        assert report.ok
        assert len(report.created_ids) == 2
    # the caller never committed: nothing was stored
    assert await customers_named(database, rows[0]["last_name"]) == 0


async def test_imported_rows_are_stored_when_the_caller_commits(database):
    rows = [_row(email=unique_email(), sms_opt_in="true")]
    async with database.uow() as uow:
        report = await api.import_customers(uow, rows)
        await uow.commit()
    assert await customers_named(database, rows[0]["last_name"]) == 1
    async with database.reader() as session:
        summary = await api.get_customer_summary(session, report.created_ids[0])
    assert summary is not None
    assert summary.marketing_channels == frozenset({"sms"})


async def test_import_reports_rows_the_database_refuses(client, database, shopper_headers, agent):
    # given a shopper whose email is verified, and a store that does not exist
    shopper_id, _ = await shopper_headers()
    shopper, _ = await snapshot(client, agent, shopper_id)
    rows = [
        _row(),
        _row(email=shopper["email"]),
        _row(preferred_store_id="loc_nowhere"),
        _row(email="bad"),
    ]
    async with database.uow() as uow:
        report = await api.import_customers(uow, rows)
    assert len(report.created_ids) == 1
    assert {index: [e.field for e in errors] for index, errors in report.errors.items()} == {
        1: ["email"],
        2: ["preferred_store_id"],
        3: ["email"],
    }
    assert not report.ok


async def test_export_rows_are_flat_strings_in_the_export_columns(client, agent, database):
    card = unique_loyalty_card()
    created = await create_customer(
        client,
        agent,
        email=unique_email(),
        loyalty_card=card,
        birth_date="1990-05-01",
        communication={"post": True},
        note="Likes linen",
    )
    async with database.reader() as session:
        rows = [row async for row in api.export_rows(session)]
    [row] = [row for row in rows if row["id"] == created["id"]]
    assert tuple(row) == api.EXPORT_COLUMNS
    assert all(isinstance(value, str) for value in row.values())
    assert (row["email"], row["loyalty_card"], row["birth_date"]) == (
        created["email"],
        card,
        "1990-05-01",
    )
    assert (row["post_opt_in"], row["email_opt_in"], row["phone"]) == ("true", "false", "")
    assert row["note"] == "Likes linen"
    ids = [row["id"] for row in rows]
    assert ids == sorted(ids)


async def test_an_exported_row_without_its_id_imports_cleanly(client, agent, database):
    created = await create_customer(client, agent, email=unique_email())
    async with database.reader() as session:
        [row] = [row async for row in api.export_rows(session) if row["id"] == created["id"]]
    assert [e.field for e in api.validate_customer_row(row)] == ["id"]
    assert api.validate_customer_row({**row, "id": ""}) == []
