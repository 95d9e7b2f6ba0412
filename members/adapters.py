from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class PortalAccountAdapter(DefaultAccountAdapter):
    """django-allauth customised for the portal.

    Without django.contrib.sites, allauth would call the site by its host name ("Hello from
    portal.example.org!"); its e-mails carry the portal's own name instead.
    """

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request") or self.request
        site = SimpleNamespace(
            name=settings.SITE_NAME, domain=request.get_host() if request else settings.SITE_NAME
        )
        super().send_mail(template_prefix, email, {**context, "current_site": site})
