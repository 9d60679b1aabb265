"""Card numbers never touch Omni: a payments or registers body carrying one is refused
with 422 naming where (never what), before anything parses, stores or logs it."""

import logging

import pytest
import structlog
from sqlalchemy import select

from omni.db.all_models import metadata
from omni.payments.card_data import redact_log_event
from tests.inventory.http_support import make_store
from tests.payments.support import PAYMENTS, REGISTERS, card_payment, key, snapshot

PAN = "4111111111111111"
SPACED = "4111 1111 1111 1111"
DASHED = "5555-5555-5555-4444"
DIGITS = (PAN, "5555555555554444")


@pytest.fixture
def rendered_logs():
    """Every structlog line rendered while the test runs (the renderer wrapped in place,
    so already-cached loggers are captured too)."""
    processors = structlog.get_config()["processors"]
    renderer = processors[-1]
    lines: list[str] = []

    def capture(logger, method, event_dict):
        line = renderer(logger, method, event_dict)
        lines.append(str(line))
        return line

    processors[-1] = capture
    yield lines
    processors[-1] = renderer


def leaks(text: str) -> bool:
    flat = text.replace(" ", "").replace("-", "")
    return any(digits in flat for digits in DIGITS)


async def database_text(database) -> str:
    async with database.reader() as session:
        chunks = []
        for table in metadata.sorted_tables:
            rows = await session.execute(select(table))
            chunks.extend(repr(tuple(row)) for row in rows)
        return "\n".join(chunks)


async def test_card_data_in_any_body_is_refused_unlogged_and_unstored(
    client, database, provider, admin_headers, staff_headers, caplog, rendered_logs
):
    caplog.set_level(logging.DEBUG)
    store = await make_store(client, admin_headers)
    associate = await staff_headers("associate", stores=[store])
    _, payment_id = await card_payment(database, provider, 1_000, location_id=store)
    opened = await client.post(
        f"{REGISTERS}/sessions",
        json={"location_id": store, "register_id": "till-1", "currency": "EUR", "opening_float": 0},
        headers=associate | key(),
    )
    session_id = opened.json()["id"]
    before = await snapshot(database, payment_id)

    attempts = [
        (
            f"{PAYMENTS}/{payment_id}/capture",
            admin_headers,
            {"amount": 100, "card_number": PAN},
            ["$.card_number"],
        ),
        (
            f"{PAYMENTS}/{payment_id}/refund",
            admin_headers,
            {"amount": 1, "reason": f"card {SPACED}"},
            ["$.reason"],
        ),
        (f"{PAYMENTS}/{payment_id}/void", admin_headers, {"pan": int(PAN)}, ["$.pan"]),
        (
            f"{REGISTERS}/sessions/{session_id}/movements",
            associate,
            {"kind": "pay_out", "amount": 100, "reason": f"paid to {DASHED}"},
            ["$.reason"],
        ),
        (
            f"{REGISTERS}/sessions",
            associate,
            {
                "location_id": store,
                "register_id": "t2",
                "currency": "EUR",
                "opening_float": 0,
                "cvv": "123",
            },
            ["$.cvv"],
        ),
    ]
    for url, headers, body, paths in attempts:
        response = await client.post(url, json=body, headers=headers | key())
        assert response.status_code == 422, (url, response.text)
        assert response.json()["code"] == "card_data_not_accepted"
        assert response.json()["paths"] == paths
        assert not leaks(response.text)
    as_text = await client.post(
        f"{PAYMENTS}/{payment_id}/refund",
        content=f"amount=1&note={PAN}".encode(),
        headers=admin_headers | key() | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (as_text.status_code, as_text.json()["paths"]) == (422, ["$"])

    assert await snapshot(database, payment_id) == before
    detail = await client.get(f"{REGISTERS}/sessions/{session_id}", headers=associate)
    assert detail.json()["movements"] == [] and detail.json()["pay_outs"] == 0
    assert not any(leaks(record.getMessage()) for record in caplog.records)
    assert not any(leaks(line) for line in rendered_logs)
    assert not leaks(await database_text(database))


async def test_log_lines_mask_card_numbers(app, rendered_logs):
    # ``app`` ran configure_logging; rendered_logs wraps its renderer.
    processors = structlog.get_config()["processors"]
    assert redact_log_event in processors
    assert processors.index(redact_log_event) == len(processors) - 2  # right before rendering

    structlog.get_logger("omni.test").warning("paid", note=f"card {SPACED}", nested={"pan": PAN})

    [line] = [line for line in rendered_logs if "paid" in line]
    assert not leaks(line) and "1111" in line
