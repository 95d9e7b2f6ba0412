"""Signed tokens for links sent by e-mail that work without signing in."""

from django.core import signing

INVITATION_SALT = "members.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # an invitation link works for 30 days


def invitation_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=INVITATION_SALT)


def invitation_id_from_token(token: str) -> int | None:
    """The invitation's id, or None when the token is forged, malformed or expired."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
