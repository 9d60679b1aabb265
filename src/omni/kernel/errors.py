"""Domain errors carry a stable ``code`` and an HTTP status.

They are rendered as RFC 9457 problem+json in exactly one place (``omni.http.problems``),
so modules raise meaningful errors and never build HTTP responses themselves.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidInput(DomainError):
    """Well-formed input that breaks a business rule (bad GTIN, unknown currency…)."""

    status = 422
    code = "invalid"
    title = "Invalid input"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"
    title = "Precondition failed"


class TooManyRequests(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"
