"""The storefront in a real browser: find, buy, pay, see the order; a declined card; a
guest cart that follows the shopper at sign-in; 3-D Secure and back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import DEMO_PASSWORD, LiveStore

NYC = {"Street address": "120 Broadway", "City": "New York", "State": "NY", "ZIP code": "10271"}


def in_stock_product(live_store: LiveStore) -> str:
    """The handle of a product sold on the web with plenty of stock in every variant."""
    return str(
        live_store.scalar(
            "SELECT p.handle FROM catalog_products p"
            " JOIN catalog_variants v ON v.product_id = p.id"
            " JOIN stock_levels l ON l.variant_id = v.id"
            " WHERE p.status = 'active' AND p.name LIKE '%Sweater%'"
            " GROUP BY p.id ORDER BY min(l.on_hand) DESC, p.id LIMIT 1"
        )
    )


def add_to_cart(page: Page, handle: str) -> None:
    page.goto(f"/products/{handle}")
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))


def check_out(page: Page, card_token: str, option: str = "Delivery to your address") -> None:
    page.get_by_role("link", name="Check out").click()
    for label, value in NYC.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="See delivery options").click()
    page.get_by_label(re.compile(option)).first.check()
    email = page.get_by_label("Email for your receipt")
    if not email.input_value():  # a guest; a signed-in shopper's email is filled in
        email.fill("guest@example.com")
    page.get_by_label("Card token (test provider)").fill(card_token)
    page.get_by_role("button", name="Place order").click()


def sign_up(page: Page) -> str:
    email = f"web-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/account/sign-up")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("analytical-engine-1843")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    return email


def sign_in(page: Page, email: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def test_shopper_searches_in_stock_buys_and_finds_the_order_in_their_account(
    page: Page, live_store: LiveStore, sold_out_product: dict[str, str]
) -> None:
    # Given a new shopper, and a tee sold out everywhere
    email = sign_up(page)
    # When they search for tees: the sold-out one is listed, until "in stock only"
    page.goto("/")
    page.get_by_label("Search products").fill("Tee")
    page.get_by_label("Search products").press("Enter")
    results = page.locator(".card-name")
    expect(results.filter(has_text=sold_out_product["name"])).to_have_count(1)
    page.get_by_label("In stock only").check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"in_stock=true"))
    expect(results.filter(has_text=sold_out_product["name"])).to_have_count(0)
    expect(results.first).to_be_visible()
    # …open a product, pick a variant and buy it, shipped, with an approved card
    results.first.click()
    picker = page.get_by_test_id("variant-picker")
    picker.select_option(index=1)
    chosen = picker.locator("option:checked").inner_text().split(" — ")[0].strip()
    expect(page.get_by_test_id("chosen-variant")).to_have_text(chosen)  # htmx reloaded it
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    expect(page.get_by_test_id("cart-line")).to_contain_text(chosen)
    check_out(page, "tok_visa")
    # Then the confirmation shows the order, and their account lists it
    expect(page.get_by_role("heading", name=re.compile("is placed"))).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    page.goto("/account")
    expect(page.get_by_test_id("my-orders")).to_contain_text(number)
    stored = live_store.rows(
        "SELECT o.status, o.channel_kind, o.contact FROM orders o"
        " JOIN shopper_accounts s ON s.customer_id = o.customer_id WHERE s.email = ?",
        email,
    )
    assert [(row["status"], row["channel_kind"]) for row in stored] == [("placed", "web")]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_declined_card_shows_the_message_and_makes_no_order(
    page: Page, live_store: LiveStore
) -> None:
    # Given a guest with an item in their cart
    add_to_cart(page, in_stock_product(live_store))
    orders_before = live_store.scalar("SELECT count(*) FROM orders")
    # When the card is declined
    check_out(page, "tok_decline")
    # Then they are told, no order exists, and the cart is still theirs to pay
    expect(page.get_by_test_id("checkout-error")).to_have_text(
        "The payment was declined; try another card."
    )
    assert live_store.scalar("SELECT count(*) FROM orders") == orders_before
    expect(page.get_by_test_id("cart-count")).to_have_text("1")


def test_a_guest_cart_is_the_shoppers_cart_after_sign_in_on_every_device(
    page: Page, live_store: LiveStore, new_context: Callable[[], BrowserContext]
) -> None:
    # Given a guest who put an item in the cart
    add_to_cart(page, in_stock_product(live_store))
    title = page.get_by_test_id("cart-line").locator("td").first.inner_text().splitlines()[0]
    # When they sign in from the checkout
    page.get_by_role("link", name="Check out").click()
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Email").fill("priya@demo.omni.dev")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Then they are back at the checkout, with the item in their own cart — here, and on
    # another device signed in as them
    expect(page).to_have_url(re.compile(r"/checkout$"))
    page.goto("/cart")
    expect(page.get_by_test_id("cart-line").filter(has_text=title)).to_have_count(1)
    other = new_context().new_page()
    sign_in(other, "priya@demo.omni.dev")
    other.goto("/cart")
    expect(other.get_by_test_id("cart-line").filter(has_text=title)).to_have_count(1)


def test_3d_secure_sends_the_shopper_to_the_bank_page_and_back(
    page: Page, live_store: LiveStore
) -> None:
    # Given a guest checking out with a card that needs 3-D Secure
    add_to_cart(page, in_stock_product(live_store))
    check_out(page, "tok_3ds")
    # When they authenticate on the provider's page
    expect(page.get_by_role("heading", name="3-D Secure (test)")).to_be_visible()
    page.get_by_role("button", name="Authenticate").click()
    # Then they are back on the confirmation, and the order is placed once paid
    expect(page).to_have_url(re.compile(r"/orders/ord_"))
    expect(page.get_by_role("heading", name=re.compile("is placed"))).to_be_visible(timeout=20_000)


def test_click_and_collect_shows_nearby_stores_with_their_promise(
    page: Page, live_store: LiveStore
) -> None:
    # Given a guest with an item, checking out in Manhattan
    add_to_cart(page, in_stock_product(live_store))
    page.get_by_role("link", name="Check out").click()
    for label, value in NYC.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="See delivery options").click()
    # Then the options include collecting at a named store, ready by a given time
    collect = page.get_by_test_id("delivery-option").filter(has_text="Click & collect in store")
    expect(collect.first).to_contain_text(re.compile(r"at Harbor & Pine .+\s+— ready by"))
    expect(
        page.get_by_test_id("delivery-option").filter(has_text="Delivery to your address")
    ).to_have_count(1)
    # …and the order is placed for pickup there
    collect.first.get_by_role("radio").check()
    page.get_by_label("Email for your receipt").fill("collector@example.com")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name=re.compile("is placed"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Click & collect in store")


def test_the_same_checkout_form_posted_twice_places_one_order(
    page: Page, context: BrowserContext, live_store: LiveStore
) -> None:
    # Given a filled-in checkout form (a guest, shipping)
    add_to_cart(page, in_stock_product(live_store))
    page.get_by_role("link", name="Check out").click()
    for label, value in NYC.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="See delivery options").click()
    page.get_by_label(re.compile("Delivery to your address")).check()
    page.get_by_label("Email for your receipt").fill("twice@example.com")
    fields = page.locator("form.place-order").evaluate("f => Object.fromEntries(new FormData(f))")
    orders_before = live_store.scalar("SELECT count(*) FROM orders")
    # When it is posted twice (a retry after a lost answer), with the browser's session
    first = context.request.post("/checkout", form=fields, max_redirects=0)
    again = context.request.post("/checkout", form=fields, max_redirects=0)
    # Then both answers lead to the same confirmation, and there is one order
    assert (first.status, again.status) == (303, 303)
    assert first.headers["location"] == again.headers["location"]
    assert live_store.scalar("SELECT count(*) FROM orders") == orders_before + 1
