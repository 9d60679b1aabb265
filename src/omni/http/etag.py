"""ETags on updatable resources: ``"v<version>"``; PATCH honours ``If-Match``."""

from __future__ import annotations

import re

from fastapi import Response

from omni.kernel.errors import PreconditionFailed

_ETAG = re.compile(r'^(?:W/)?"v(\d+)"$')


def etag_for(version: int) -> str:
    return f'"v{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def parse_if_match(header: str | None) -> int | None:
    """The version a client expects, or None when it sent no precondition (or ``*``)."""
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.match(header.strip())
    if match is None:
        raise PreconditionFailed("If-Match must be an ETag this API returned.")
    return int(match.group(1))


def check_version(expected: int | None, actual: int, what: str) -> None:
    if expected is not None and expected != actual:
        raise PreconditionFailed(
            f"The {what} changed since you read it.", current_etag=etag_for(actual)
        )
