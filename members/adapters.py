from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.models import AffiliationInvitation
from members.services import affiliation_invitation_accept

INVITATION_SESSION_KEY = "members_invitation_id"


class PortalAccountAdapter(DefaultAccountAdapter):
    """django-allauth customised for the portal.

    E-mails carry the portal's name (without django.contrib.sites allauth would use the host
    name), and a sign-up that follows a secretariat invitation links the new account to the
    invited organisation.
    """

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request") or self.request
        site = SimpleNamespace(
            name=settings.SITE_NAME, domain=request.get_host() if request else settings.SITE_NAME
        )
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        invitation_id = request.session.pop(INVITATION_SESSION_KEY, None) if request else None
        if commit and invitation_id:
            invitation = AffiliationInvitation.objects.filter(pk=invitation_id).first()
            if invitation is not None:
                try:
                    affiliation_invitation_accept(invitation=invitation, user=user)
                except ValidationError as error:
                    messages.warning(request, " ".join(error.messages))
                else:
                    messages.success(
                        request,
                        _("Your account is now linked to %(organisation)s.")
                        % {"organisation": invitation.organisation},
                    )
        return user
