"""One Settings object, read from ``OMNI_*`` environment variables (and ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "omni.db"
# For development and tests only: refused when environment is "production".
DEV_PAYMENTS_TEST_SECRET = "dev-only-NOT-FOR-PRODUCTION-omni-test-provider"
DEV_LOYALTY_CODE_SECRET = "dev-only-NOT-FOR-PRODUCTION-omni-gift-card-codes"
DEV_WEB_SESSION_SECRET = "dev-only-NOT-FOR-PRODUCTION-omni-web-session"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMNI_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…",
    )
    environment: str = "development"
    log_json: bool = True
    log_level: str = "INFO"
    # Pool size per API process; PostgreSQL's max_connections caps processes x pool.
    db_pool_size: int = 10
    db_max_overflow: int = 10
    sql_echo: bool = False
    # Shopper and staff session tokens (opaque, stored hashed).
    session_ttl_hours: int = 12
    password_reset_ttl_minutes: int = 30
    idempotency_ttl_hours: int = 48
    # Argon2id cost (RFC 9106 second recommendation by default; tests lower it).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # An Idempotency-Key still "in flight" after this long is treated as abandoned.
    idempotency_lock_seconds: int = 60
    dispatcher_enabled: bool = True
    dispatcher_max_attempts: int = 8
    dispatcher_poll_seconds: float = 2.0
    # Where messages to people go: file (JSON lines, development), console, or smtp.
    notify_transport: str = "file"
    notify_file_path: str = "var/notifications.jsonl"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_sender: str = "Omni <no-reply@localhost>"
    smtp_starttls: bool = False
    # How people reach the web apps (links in messages; https also marks cookies Secure).
    public_base_url: str = "http://127.0.0.1:8000"
    # Signs the web apps' session cookie; refused in production while it is the default.
    web_session_secret: str = DEV_WEB_SESSION_SECRET
    # Largest request body accepted (CSV imports are the big ones).
    max_request_bytes: int = 64 * 1024 * 1024
    # Carts: how long a hold keeps stock by default; idle time before "abandoned".
    cart_hold_minutes: int = 15
    cart_abandon_minutes: int = 60
    # Orders waiting for payment keep their stock this long: 3-D Secure, a payment link.
    payment_action_minutes: int = 30
    payment_link_minutes: int = 2880
    page_size_default: int = 50
    page_size_max: int = 500
    # Payments (PAY1): which provider adapter ("test": the built-in fake that moves no
    # money). Every process must share the test secret: the fake's ids are signed with it.
    payments_provider: str = "test"
    payments_test_secret: str = DEV_PAYMENTS_TEST_SECRET
    # Webhook signing secrets, newest first (several during a rotation); empty: the test
    # provider derives one from its secret.
    payments_webhook_secrets: list[str] = Field(default_factory=list)
    payments_webhook_tolerance_seconds: int = 300
    # Loyalty (LOY1-LOY4): gift card codes are stored as HMAC-SHA256 under this key (refused
    # in production while it is the default; changing it orphans every issued card).
    loyalty_code_secret: str = DEV_LOYALTY_CODE_SECRET
    # Gift card balance checks per client and minute (and burst): against code guessing.
    loyalty_balance_checks_per_minute: int = 10
    # Points: earned per whole currency unit of a placed order; worth this many minor
    # units each when spent as a tender.
    loyalty_points_per_unit: int = 1
    loyalty_point_value: int = 1

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
