"""A cap on request body size, enforced while the body streams in.

A declared ``Content-Length`` over the cap is refused before reading anything; a
chunked body is counted as it arrives and refused the moment it passes the cap, so a
client can never make a process hold an unbounded body in memory.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omni.http.problems import problem
from omni.kernel.errors import DomainError


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class MaxBodySizeMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            response = problem(413, PayloadTooLarge.code, PayloadTooLarge.title, self._detail())
            await response(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise PayloadTooLarge(self._detail())
            return message

        async def answer_413_if_exceeded(message: Message) -> None:
            # Frameworks may turn the aborted read into a generic 400; say what happened.
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                response = problem(413, PayloadTooLarge.code, PayloadTooLarge.title, self._detail())
                await response(scope, receive, send)

        await self.app(scope, counting_receive, answer_413_if_exceeded)

    def _detail(self) -> str:
        return f"Request bodies are limited to {self.max_bytes // (1024 * 1024)} MiB."


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
