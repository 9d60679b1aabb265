"""Transports deliver messages: SMTP to a (fake) mail server, files as JSON lines."""

import asyncio
import email
import json

from omni.notifications.templates import render
from omni.notifications.transports import FileTransport, Message, SmtpTransport


class FakeMailServer:
    """A minimal SMTP receiver at the external edge: records each message's DATA."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 fake ESMTP\r\n")
        while line := await reader.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                writer.write(b"250 fake\r\n")
            elif command == "DATA":
                writer.write(b"354 go ahead\r\n")
                await writer.drain()
                self.messages.append(await self._read_data(reader))
                writer.write(b"250 queued\r\n")
            elif command == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    async def _read_data(self, reader: asyncio.StreamReader) -> str:
        lines = []
        while (line := await reader.readline()) != b".\r\n":
            lines.append(line.decode())
        return "".join(lines)


def a_message(to: str = "ada@example.com") -> Message:
    subject, body = render(
        "password_reset", token="omni_rt_abc", minutes=30, base_url="https://shop"
    )
    return Message(
        channel="email", to=to, subject=subject, body=body, template="password_reset", reference="x"
    )


async def test_smtp_transport_delivers_subject_recipient_and_body():
    server = FakeMailServer()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    async with listener:
        await SmtpTransport("127.0.0.1", port, "Shop <no-reply@shop.test>", starttls=False).send(
            a_message()
        )
    [raw] = server.messages
    delivered = email.message_from_string(raw)
    assert delivered["To"] == "ada@example.com"
    assert delivered["Subject"] == "Reset your password"
    body = delivered.get_payload(decode=True).decode()
    assert "https://shop/reset-password?token=omni_rt_abc" in body


async def test_file_transport_appends_one_json_line_per_message(tmp_path):
    mailbox = tmp_path / "mail" / "box.jsonl"
    transport = FileTransport(mailbox)
    await transport.send(a_message("one@example.com"))
    await transport.send(a_message("two@example.com"))
    lines = [json.loads(line) for line in mailbox.read_text().splitlines()]
    assert [line["to"] for line in lines] == ["one@example.com", "two@example.com"]
    assert lines[0]["subject"] == "Reset your password"
