"""E-mails the portal writes to people, each in the recipient's own language."""

from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def message_id_domain() -> str:
    """The domain part of the deterministic Message-IDs the portal gives its e-mails: the
    sender's domain, so that resends of one message are folded by mail programs."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "untfsse-portal"


def absolute_url(path: str) -> str:
    """`path` on the portal's public address (PORTAL_URL), for links in e-mails."""
    return settings.PORTAL_URL.rstrip("/") + path


@dataclass
class TemplatedEmail:
    """One message to one recipient, rendered from `<template>_subject.txt`, `.txt` and `.html`."""

    to: str
    template: str
    context: dict
    language: str = "en"
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)

    def build(self) -> EmailMultiAlternatives:
        with translation.override(self.language):
            context = {"SITE_NAME": settings.SITE_NAME, **self.context}
            subject = render_to_string(f"{self.template}_subject.txt", context)
            subject = " ".join(subject.split())
            text = render_to_string(f"{self.template}.txt", context)
            try:
                html = render_to_string(f"{self.template}.html", context)
            except TemplateDoesNotExist:  # the HTML part is optional
                html = None
        message = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] {subject}",
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
            headers=self.headers,
        )
        if html:
            message.attach_alternative(html, "text/html")
        for name, content, mimetype in self.attachments:
            message.attach(name, content, mimetype)
        return message

    def send(self) -> None:
        self.build().send()
