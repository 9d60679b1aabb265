"""A form that changes money or stock does its work once per key, like the API's
Idempotency-Key (same store, ``omni.db.idempotency``): the form carries a key made when
it was shown, so a double click, a reload that re-posts, or a retry after a lost answer
never places a second order. A repeat waits for the first to finish, then gets the
first answer: where to go next, and what was made (the browser may have dropped the
first answer, and the session cookie it carried)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Mapping

from omni.db import idempotency as store
from omni.db.database import Database
from omni.kernel.errors import Conflict

WAIT_ROUNDS = 30
WAIT_SECONDS = 0.5
NOT_FINGERPRINTED = frozenset({"csrf_token"})


def fingerprint(form: Mapping[str, str]) -> str:
    """The form's fields (not its CSRF token), so the key cannot be reused for another
    request."""
    fields = sorted((k, v) for k, v in form.items() if k not in NOT_FINGERPRINTED)
    return hashlib.sha256(repr(fields).encode()).hexdigest()


async def redirect_once(
    db: Database,
    scope: str,
    key: str,
    request_hash: str,
    work: Callable[[], Awaitable[dict[str, str]]],
) -> dict[str, str]:
    """Run ``work`` once for this key — it answers with at least ``location``, the URL to
    send the browser to; a repeat gets the first answer. An error releases the key: the
    shopper may try again."""
    for _ in range(WAIT_ROUNDS):
        claimed = await store.claim_key(db, scope, key, request_hash)
        if claimed.claim is store.Claim.NEW:
            break
        if claimed.claim is store.Claim.REPLAY and claimed.record is not None:
            return dict(claimed.record.response_headers or {})
        if claimed.claim is store.Claim.MISMATCH:
            raise Conflict("This form was already used; reload the page and try again.")
        await asyncio.sleep(WAIT_SECONDS)  # in flight: the first submit is still working
    else:
        raise Conflict("This is still being processed; check again in a moment.")
    try:
        answer = await work()
    except BaseException:
        await store.release_key(db, scope, key)
        raise
    await store.complete_key(db, scope, key, 303, answer, b"")
    return answer
