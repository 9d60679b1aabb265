"""Pure rules of access: credential formats, password policy, lockout."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

SESSION_TOKEN_PREFIX = "omni_at_"
API_KEY_PREFIX = "omni_sk_"
RESET_TOKEN_PREFIX = "omni_rt_"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_FAILED_SIGN_INS = 10
LOCKOUT = timedelta(minutes=15)


def new_secret(prefix: str) -> str:
    """A credential with 256 bits of randomness; only its hash is stored."""
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # Secrets are random and long, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why a new password is not acceptable, or None (NIST 800-63B: length, not rules)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if email and password.lower() == email.lower():
        return "The password must not be your email address."
    if len(set(password)) < 4:
        return "The password is too repetitive."
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now
