"""Where messages go: SMTP in production, a JSON-lines file or the console in development.

Transports are the external edge; everything before them (which message, to whom,
rendered how) is ordinary tested code.
"""

from __future__ import annotations

import json
import smtplib
import sys
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import anyio

from omni.settings import Settings


@dataclass(frozen=True)
class Message:
    channel: str  # email | sms | push
    to: str
    subject: str
    body: str
    template: str
    reference: str  # what it is about (for support: which account, order, …)


class Transport(Protocol):
    async def send(self, message: Message) -> None:
        """Deliver ``message`` or raise (the dispatcher retries with backoff)."""


class FileTransport:
    """Appends each message as one JSON line: the demo's and developers' mailbox."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, message: Message) -> None:
        line = json.dumps(asdict(message)) + "\n"

        def append() -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as mailbox:
                mailbox.write(line)

        await anyio.to_thread.run_sync(append)


class ConsoleTransport:
    async def send(self, message: Message) -> None:
        print(
            f"[{message.channel} to {message.to}] {message.subject}\n{message.body}\n",
            file=sys.stderr,
        )


class SmtpTransport:
    def __init__(self, host: str, port: int, sender: str, *, starttls: bool) -> None:
        self.host, self.port, self.sender, self.starttls = host, port, sender, starttls

    async def send(self, message: Message) -> None:
        if message.channel != "email":
            raise ValueError(f"SMTP cannot send {message.channel} messages")
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.to, message.subject
        email.set_content(message.body)

        def deliver() -> None:
            with smtplib.SMTP(self.host, self.port, timeout=30) as server:
                if self.starttls:
                    server.starttls()
                server.send_message(email)

        await anyio.to_thread.run_sync(deliver)


def transport_from_settings(settings: Settings) -> Transport:
    if settings.notify_transport == "smtp":
        return SmtpTransport(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            starttls=settings.smtp_starttls,
        )
    if settings.notify_transport == "console":
        return ConsoleTransport()
    return FileTransport(Path(settings.notify_file_path))
