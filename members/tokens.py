"""Signed tokens for links sent by e-mail that work without signing in."""

from django.core import signing

from members.models import AffiliationInvitation

INVITATION_SALT = "members.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # an invitation link works for 30 days


def invitation_token(invitation: AffiliationInvitation) -> str:
    """The invitation's link token. It names the address it was sent to, so that a link sent
    to a mistyped address stops working once the secretariat corrects the address."""
    return signing.dumps(
        {"id": invitation.pk, "email": invitation.email.lower()}, salt=INVITATION_SALT
    )


def invitation_from_token(token: str) -> AffiliationInvitation | None:
    """The invitation, or None when the token is forged, malformed, expired, or was made for
    an address the invitation no longer has."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return None
    invitation = (
        AffiliationInvitation.objects.select_related("organisation").filter(pk=value["id"]).first()
    )
    if invitation is None or invitation.email.lower() != value.get("email"):
        return None
    return invitation
