"""Building: same seed, same retailer; sizes follow the scale; a built demo is reused."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from omni.cli import app
from omni.demo.builder import DemoError, build_demo
from omni.demo.data.apparel import APPAREL_LINES
from omni.demo.data.home import HOME_LINES, KITS
from tests import support
from tests.demo.conftest import SMALL, Stored, sqlite_url

# Content that must not depend on ids or the clock, one query per kind of thing.
SNAPSHOT = {
    "locations": "SELECT code, name, latitude, longitude, opening_hours, capabilities "
    "FROM locations ORDER BY code",
    "channels": "SELECT code, kind, tax_region, fulfillment_methods FROM channels ORDER BY code",
    "products": "SELECT handle, name, status, attributes, option_names FROM catalog_products "
    "ORDER BY handle",
    "variants": "SELECT sku, gtin, option_values, status, is_bundle FROM catalog_variants "
    "ORDER BY sku",
    "prices": "SELECT v.sku, l.code, p.min_quantity, p.amount, p.compare_at_amount FROM prices p "
    "JOIN catalog_variants v ON v.id = p.variant_id JOIN price_lists l "
    "ON l.id = p.price_list_id ORDER BY v.sku, l.code, p.min_quantity",
    "customers": "SELECT g.person_key, c.first_name, c.last_name, c.email, c.phone, "
    "c.birth_date, c.communication FROM customers c JOIN demo_ground_truth g "
    "ON g.customer_id = c.id ORDER BY g.person_key, c.first_name, c.last_name, c.email",
    "identities": "SELECT kind, value, verified FROM customer_identities "
    "ORDER BY kind, value, verified",
    "addresses": "SELECT recipient, line1, line2, city, postal_code FROM customer_addresses "
    "ORDER BY recipient, line1, line2",
    "staff": "SELECT email, name, roles FROM staff_users ORDER BY email",
    # Which orders the sales were (amounts and shoppers also depend on the time of day
    # the demo is built: customers cannot order before their profile's creation time).
    "orders": "SELECT c.code, o.status, count(DISTINCT o.id), sum(l.quantity) FROM orders o "
    "JOIN channels c ON c.id = o.channel_id JOIN order_lines l ON l.order_id = o.id "
    "GROUP BY c.code, o.status ORDER BY c.code, o.status",
}


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        return {name: db.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        db.close()


def test_same_seed_builds_the_same_retailer(small_demo: Stored, tmp_path: Path) -> None:
    # Built again by another process with another hash seed: content must not depend
    # on set or dict order, on ids, or on the clock.
    again = tmp_path / "again.db"
    omni = Path(sys.executable).parent / "omni"
    command = [str(omni), "demo", "--build-only", "--scale", str(SMALL)]
    env = {**os.environ, "PYTHONHASHSEED": "4242", "OMNI_DATABASE_URL": sqlite_url(again)}
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    first, second = snapshot(small_demo.path), snapshot(again)
    for name in SNAPSHOT:
        assert first[name] == second[name], name
        assert first[name], name


def test_another_seed_builds_other_customers(small_demo: Stored, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    build_demo(sqlite_url(other), seed=7, scale=SMALL)
    first, second = snapshot(small_demo.path), snapshot(other)
    assert first["customers"] != second["customers"]
    assert first["locations"] == second["locations"]  # the places are the retailer's own


def line_products(scale: float) -> int:
    """Each line gives len(names) x scale products, at least one."""
    lines = (*APPAREL_LINES, *HOME_LINES)
    return sum(max(1, round(len(line.names) * scale)) for line in lines)


def test_counts_follow_the_scale(small_demo: Stored, tmp_path: Path) -> None:
    bigger = build_demo(sqlite_url(tmp_path / "bigger.db"), seed=42, scale=0.2)
    for scale, counts in ((SMALL, small_demo.result.counts), (0.2, bigger.counts)):
        assert counts["customers"] == round(5000 * scale)
        assert counts["locations"] == 18  # 12 stores, 2 DCs, 4 pickup points and lockers
        # Kits come on top, as far as their components are in the (smaller) catalog.
        kits = counts["catalog_products"] - line_products(scale)
        assert 1 <= kits <= len(KITS)
        assert 6 <= counts["catalog_variants"] / counts["catalog_products"] <= 14
        assert counts["staff_users"] >= 12 + 2 * 12
        assert counts["demo_ground_truth"] == counts["customers"]
    assert line_products(1.0) + len(KITS) == pytest.approx(300, rel=0.05)


def test_rebuilding_reuses_the_existing_demo(small_demo: Stored) -> None:
    result = build_demo(small_demo.url, seed=1, scale=0.5)
    assert not result.built
    assert (result.seed, result.scale) == (42, SMALL)
    assert small_demo.scalar("SELECT count(*) FROM customers") == round(5000 * SMALL)


def test_refuses_a_database_with_someone_elses_data(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    build_demo(sqlite_url(path), seed=42, scale=SMALL)
    db = sqlite3.connect(path)
    db.execute("DELETE FROM demo_builds")
    db.execute("DELETE FROM staff_users")
    db.commit()
    db.close()
    with pytest.raises(DemoError):
        build_demo(sqlite_url(path), seed=42, scale=SMALL)


def test_cli_builds_then_reuses_and_resets(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "var" / "cli.db")  # var/ does not exist yet
    args = ["demo", "--build-only", "--scale", "0.02", "--database-url", url]
    runner = CliRunner()
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "Built Harbor & Pine" in first.output and "admin@demo.omni.dev" in first.output
    second = runner.invoke(app, args)
    assert "already in this database" in second.output
    third = runner.invoke(app, [*args, "--reset"])
    assert "Built Harbor & Pine" in third.output


@pytest.mark.postgres
def test_builds_on_postgresql() -> None:
    admin_url = os.environ["OMNI_TEST_POSTGRES_URL"]
    name = f"omni_demo_{uuid.uuid4().hex[:10]}"
    support.create_postgres_database(admin_url, name)
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    try:
        result = build_demo(url.render_as_string(hide_password=False), seed=42, scale=SMALL)
        assert result.built and result.counts["customers"] == round(5000 * SMALL)
    finally:
        import asyncio

        asyncio.run(support.drop_postgres_database(admin_url, name))
