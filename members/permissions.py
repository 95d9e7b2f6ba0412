"""One mixin per permission rule, shared by every app's views."""

from allauth.account.models import EmailAddress
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from members.standing import standing_of


def has_verified_email(user) -> bool:
    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


class SignedInMixin(AccessMixin):
    """Anonymous visitors are sent to the sign-in page and come back afterwards."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class VerifiedEmailRequiredMixin(SignedInMixin):
    """Signed in with a verified e-mail address; others get 403 with an explanation."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_verified_email(request.user):
            raise PermissionDenied("A verified e-mail address is required.")
        return super().dispatch(request, *args, **kwargs)


class AffiliatedRequiredMixin(SignedInMixin):
    """A confirmed focal point of a current member or observer, or secretariat staff."""

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not standing_of(request.user).sees_members_only_content
        ):
            raise PermissionDenied("Only focal points of member and observer organisations.")
        return super().dispatch(request, *args, **kwargs)


class SecretariatRequiredMixin(SignedInMixin):
    """Secretariat staff only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not standing_of(request.user).is_secretariat:
            raise PermissionDenied("Only the secretariat.")
        return super().dispatch(request, *args, **kwargs)
