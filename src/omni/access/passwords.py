"""Argon2id password hashing, off the event loop (it is deliberately slow)."""

from __future__ import annotations

from functools import lru_cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from omni.settings import get_settings


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=1,
    )


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher().hash, password)


def hash_password_sync(password: str) -> str:
    return _hasher().hash(password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists (pass None for unknown accounts)."""
    target = password_hash or _dummy_hash()

    def check() -> bool:
        try:
            return _hasher().verify(target, password)
        except (VerificationError, InvalidHashError):
            return False

    ok = await anyio.to_thread.run_sync(check)
    return ok and password_hash is not None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-0")
