"""Reactions that send messages. Each runs after commit, once per event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from omni.access.events import PasswordResetRequested
from omni.db.uow import UnitOfWork
from omni.kernel.events import Event
from omni.notifications.templates import render
from omni.notifications.transports import Message, Transport
from omni.settings import Settings

Handler = Callable[[Event, UnitOfWork], Awaitable[None]]


def send_password_reset_email(transport: Transport, settings: Settings) -> Handler:
    async def handler(event: Event, uow: UnitOfWork) -> None:
        assert isinstance(event, PasswordResetRequested)
        subject, body = render(
            "password_reset",
            token=event.token,
            minutes=settings.password_reset_ttl_minutes,
            base_url=settings.public_base_url,
        )
        await transport.send(
            Message(
                channel="email",
                to=event.email,
                subject=subject,
                body=body,
                template="password_reset",
                reference=event.principal_id,
            )
        )

    return handler
