"""Stand-ins for an SMTP server that misbehaves (the only fakes: the mail server is outside)."""

import smtplib
import threading

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """Refuses the next `FlakyBackend.failures` messages (-1: all of them), then delivers."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            if FlakyBackend.failures > 0:
                FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class BlockingBackend(locmem.EmailBackend):
    """Holds each message until the test releases it: a slow SMTP server, so that a second
    worker tries the same delivery while the first one is still sending."""

    entered = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        BlockingBackend.entered.set()
        if not BlockingBackend.release.wait(timeout=60):
            raise RuntimeError("the test never released the message")
        return super().send_messages(messages)
