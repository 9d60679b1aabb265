"""The web apps' protections, seen from a browser: CSRF tokens on unsafe requests, the
Content-Security-Policy and security headers, the session cookie's flags, and htmx
working under that policy (no inline script, served from our own /static)."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import LiveStore
from tests.web.test_storefront import in_stock_product


def _a_variant(live_store: LiveStore) -> str:
    handle = in_stock_product(live_store)
    return str(
        live_store.scalar(
            "SELECT v.id FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id"
            " WHERE p.handle = ? ORDER BY v.position LIMIT 1",
            handle,
        )
    )


def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(
    page: Page, context: BrowserContext, live_store: LiveStore
) -> None:
    # Given a visitor with a session (its cookie goes with every request below)
    page.goto("/")
    variant_id = _a_variant(live_store)
    carts_before = live_store.scalar("SELECT count(*) FROM carts")
    # When a page posts the add-to-cart form without the token, or with a wrong one
    form = {"variant_id": variant_id, "quantity": "1"}
    missing = context.request.post("/cart/lines", form=form, max_redirects=0)
    wrong = context.request.post(
        "/cart/lines", form={**form, "csrf_token": "forged"}, max_redirects=0
    )
    # Then both are refused and no cart was opened
    assert (missing.status, wrong.status) == (403, 403)
    assert live_store.scalar("SELECT count(*) FROM carts") == carts_before
    # …while the page's own token is accepted
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    accepted = context.request.post(
        "/cart/lines", form={**form, "csrf_token": token or ""}, max_redirects=0
    )
    assert accepted.status == 303
    assert live_store.scalar("SELECT count(*) FROM carts") == carts_before + 1


def test_pages_carry_a_strict_content_security_policy_and_security_headers(
    page: Page,
) -> None:
    response = page.goto("/")
    assert response is not None
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_the_session_cookie_is_httponly_and_samesite_lax_and_nothing_is_in_storage(
    page: Page, context: BrowserContext
) -> None:
    page.goto("/")
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    session = cookies["omni_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length]")
    assert stored == [0, 0]


def test_nearby_stores_load_with_htmx_under_the_policy(page: Page, live_store: LiveStore) -> None:
    # Given a product page
    page.goto(f"/products/{in_stock_product(live_store)}")
    url = page.url
    # When the shopper asks for stores near a Manhattan ZIP code
    page.get_by_label("ZIP code").fill("10012")
    page.get_by_role("button", name="Find stores").click()
    # Then the stores appear in place (htmx swapped them in: no navigation), no errors
    expect(page.get_by_test_id("nearby-stores")).to_contain_text(re.compile(r"Harbor & Pine"))
    assert page.url == url
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_web_errors_are_pages_while_the_api_keeps_problem_json(
    page: Page, context: BrowserContext
) -> None:
    # A stale link on the site gets a page
    missing = page.goto("/no-such-page")
    assert missing is not None and missing.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    # An API client still gets RFC 9457 problem+json
    api = context.request.get("/api/v1/no-such-resource")
    assert api.status == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_sign_in_never_redirects_to_another_site(page: Page) -> None:
    page.goto("/account/sign-in?next=//evil.example/")
    assert page.locator('input[name="next"]').input_value() == ""
