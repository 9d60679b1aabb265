"""Browser tests of the web apps: a fresh small demo (built once per run by ``omni demo
--build-only``), ``omni serve`` on a free port as a subprocess, and the system Chromium
driven by Playwright — real HTTP, real browser, real database.

In CI (``CI=true``) a missing Chromium fails the run; locally the tests are skipped
only when ``/usr/bin/chromium`` is absent (``make test`` installs it when root)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_SCALE = "0.05"
DEMO_PASSWORD = "omni-demo-pass"
START_TIMEOUT_SECONDS = 90
OMNI = Path(sys.executable).parent / "omni"
WEB_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests run once per ``make test``, in its SQLite pass: they build their
    own SQLite demo, so the PostgreSQL pass would repeat exactly the same run."""
    if not os.environ.get("OMNI_TEST_POSTGRES_URL"):
        return
    web = [item for item in items if WEB_TESTS in Path(str(item.fspath)).parents]
    if web:
        config.hook.pytest_deselected(items=web)
        items[:] = [item for item in items if item not in web]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (make chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (make chromium, as root)")


@dataclass(frozen=True)
class LiveStore:
    base_url: str
    database: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def rows(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        """Read the live database directly (read-only), to check what was stored."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            db.row_factory = sqlite3.Row
            return list(db.execute(sql, params))

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"omni serve exited with {server.returncode}")
        try:
            if httpx.get(base_url + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"omni serve was not ready within {START_TIMEOUT_SECONDS} s")


@pytest.fixture(scope="session")
def live_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStore]:
    _require_chromium()
    database = tmp_path_factory.mktemp("web") / "omni.db"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "OMNI_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "OMNI_PUBLIC_BASE_URL": base_url,  # where the test provider's 3-D Secure page is
        "OMNI_LOG_JSON": "false",
        "OMNI_LOG_LEVEL": "WARNING",
        "OMNI_NOTIFY_FILE_PATH": str(database.parent / "notifications.jsonl"),
    }
    env.pop("OMNI_TEST_POSTGRES_URL", None)
    subprocess.run(
        [OMNI, "demo", "--build-only", "--seed", "42", "--scale", DEMO_SCALE],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = (database.parent / "serve.log").open("wb")
    server = subprocess.Popen(
        [OMNI, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_ready(base_url, server)
        yield LiveStore(base_url, database)
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def browser(live_store: LiveStore) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, live_store: LiveStore) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: its own cookies, so its own session."""
    opened = browser.new_context(base_url=live_store.base_url)
    opened.set_default_timeout(15_000)
    yield opened
    opened.close()


@pytest.fixture
def new_context(browser: Browser, live_store: LiveStore) -> Iterator[Callable[[], BrowserContext]]:
    """Another browser profile (another device), as many as a test needs."""
    opened: list[BrowserContext] = []

    def make() -> BrowserContext:
        opened.append(browser.new_context(base_url=live_store.base_url))
        return opened[-1]

    yield make
    for each in opened:
        each.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab that records any Content-Security-Policy violation or script error."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.console_errors = errors  # type: ignore[attr-defined]
    return tab


@pytest.fixture(scope="session")
def sold_out_product(live_store: LiveStore) -> dict[str, str]:
    """A product made sold out everywhere through the API (a planner's stock adjustment),
    for the "in stock only" filter: its handle and name."""
    product = live_store.rows(
        "SELECT p.id, p.handle, p.name FROM catalog_products p"
        " JOIN catalog_variants v ON v.product_id = p.id"
        " WHERE p.status = 'active' AND p.name LIKE '%Tee%'"
        " GROUP BY p.id ORDER BY count(v.id), p.id LIMIT 1"
    )[0]
    levels = live_store.rows(
        "SELECT l.location_id, l.variant_id, l.on_hand - l.reserved AS free FROM stock_levels l"
        " JOIN catalog_variants v ON v.id = l.variant_id"
        " WHERE v.product_id = ? AND l.on_hand - l.reserved > 0",
        product["id"],
    )
    with httpx.Client(base_url=live_store.base_url + "/api/v1", timeout=30) as api:
        signed_in = api.post(
            "/auth/staff/sign-in",
            json={"email": "planner@demo.omni.dev", "password": DEMO_PASSWORD},
        )
        signed_in.raise_for_status()
        api.headers["Authorization"] = f"Bearer {signed_in.json()['access_token']}"
        by_location: dict[str, list[dict[str, Any]]] = {}
        for level in levels:
            by_location.setdefault(level["location_id"], []).append(
                {"variant_id": level["variant_id"], "quantity": -level["free"]}
            )
        for location_id, lines in by_location.items():
            api.post(
                "/inventory/stock/adjustments",
                json={"location_id": location_id, "lines": lines, "reason": "Sold out (test)"},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            ).raise_for_status()
    return {"handle": product["handle"], "name": product["name"]}
