"""A real local SMTP server (aiosmtpd) for tests and benchmarks that run a real Celery worker.

It listens on 127.0.0.1 on a free port chosen by the system and records, for every message it
accepts, each recipient with the message's Message-ID (and the message itself, `parsed()`), and when it accepted it and when the
client then said QUIT (`on_quit`, if given, is called at that moment, before the reply).
"""

import asyncio
import logging
import threading
import time
from collections import Counter
from email import policy
from email.parser import BytesHeaderParser, BytesParser

from aiosmtpd.controller import Controller


class _FreePortController(Controller):
    """aiosmtpd's Controller, bound to port 0: the system picks a free port, read back here
    before the controller's own readiness check connects to it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Use as a context manager: `with SmtpSink() as sink: ... sink.port ... sink.received`.

    `delay` (seconds) holds each message before answering 250, like a slow server; other
    connections are served meanwhile.
    """

    def __init__(self, *, delay: float = 0.0, on_quit=None):
        self.delay = delay
        self.on_quit = on_quit
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID), in arrival order
        self.arrivals: list[float] = []  # time.monotonic() of each message, as 250 is answered
        self.quits: list[float] = []  # time.monotonic() of each QUIT
        self.messages: list[bytes] = []  # each accepted message as it arrived, for parsing
        self._lock = threading.Lock()
        self._controller = _FreePortController(self, hostname="127.0.0.1", port=0)

    # aiosmtpd calls this for each message.
    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        message_id = headers.get("Message-ID", "")
        with self._lock:
            self.received.extend((recipient, message_id) for recipient in envelope.rcpt_tos)
            self.messages.append(envelope.original_content or envelope.content)
            self.arrivals.append(time.monotonic())
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        moment = time.monotonic()
        if self.on_quit is not None:
            self.on_quit()
        with self._lock:
            self.quits.append(moment)
        return "221 Bye"

    @property
    def port(self) -> int:
        return self._controller.port

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def snapshot(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.received)

    def wait_for(self, count: int, *, timeout: float) -> bool:
        """Wait until at least `count` messages arrived; False when the time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= count:
                return True
            time.sleep(0.02)
        return self.count() >= count

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.messages.clear()
            self.arrivals.clear()
            self.quits.clear()

    def parsed(self) -> list:
        """The accepted messages as `email.message.EmailMessage` objects, in arrival order."""
        with self._lock:
            raw = list(self.messages)
        return [BytesParser(policy=policy.default).parsebytes(content) for content in raw]

    def message_ids_by_recipient(self) -> dict[str, Counter]:
        """For each recipient, how many times each Message-ID arrived."""
        result: dict[str, Counter] = {}
        for recipient, message_id in self.snapshot():
            result.setdefault(recipient, Counter())[message_id] += 1
        return result

    def __enter__(self) -> "SmtpSink":
        # aiosmtpd logs every SMTP command at INFO level.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()
