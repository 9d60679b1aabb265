"""The demo is ready to sell: a demo shopper fills a cart on the web channel and checks
out (taxes and promotions configured), on a copy of the demo."""

import shutil
import uuid

import httpx

from omni.db.database import Database
from omni.demo.data.accounts import DEMO_PASSWORD
from omni.main import create_app
from tests import support
from tests.demo.conftest import sqlite_url

ADDRESS = {
    "line1": "350 5th Ave",
    "city": "New York",
    "region": "NY",
    "postal_code": "10118",
    "country": "US",
}


async def test_a_demo_shopper_checks_out_on_the_web(small_demo, tmp_path):
    copy = tmp_path / "shop.db"
    shutil.copy(small_demo.path, copy)
    web = small_demo.scalar("SELECT id FROM channels WHERE code = 'web'")
    variant = small_demo.scalar(
        "SELECT v.id FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id "
        "JOIN catalog_publications pub ON pub.product_id = p.id AND pub.channel_id = ? "
        "JOIN stock_levels s ON s.variant_id = v.id "
        "WHERE p.status = 'active' AND v.status = 'active' AND NOT v.is_bundle "
        "AND s.on_hand - s.reserved - s.unsellable - s.safety_stock > 5 ORDER BY v.id LIMIT 1",
        web,
    )
    settings = support.test_settings(sqlite_url(copy))
    db = Database(settings)
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://omni.test") as client:
        signed_in = await client.post(
            "/api/v1/auth/sign-in", json={"email": "maya@demo.omni.dev", "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        me = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        cart = (await client.post("/api/v1/carts", json={"channel_id": web}, headers=me)).json()
        added = await client.post(
            f"/api/v1/carts/{cart['id']}/lines",
            json={"variant_id": variant, "quantity": 2},
            headers=me,
        )
        assert added.status_code == 200, added.text
        body = {
            "cart_id": cart["id"],
            "method": "ship",
            "shipping_address": ADDRESS,
            "contact": {"email": "maya@demo.omni.dev"},
            "coupon_codes": ["WELCOME10"],
            "payment": [{"kind": "card_online", "reference": "tok_visa"}],
        }
        placed = await client.post(
            "/api/v1/orders/checkout", json=body, headers=me | {"Idempotency-Key": uuid.uuid4().hex}
        )
        assert placed.status_code == 201, placed.text
        order = (await client.get(f"/api/v1/orders/{placed.json()['order_id']}", headers=me)).json()
    await db.dispose()
    assert order["discount_total"] > 0  # WELCOME10
    assert order["coupon_codes"] == ["WELCOME10"]
    assert order["total"] == (
        order["subtotal"] - order["discount_total"] + order["shipping_total"] + order["tax_total"]
    )
