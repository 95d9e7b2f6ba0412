"""Who acts on meetings: a user (the secretariat for most changes) or the portal itself."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.standing import standing_of


class _SystemActor:
    """The portal itself acting (seed data, management commands): allowed everything."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _SystemActor()


def require_secretariat(by) -> None:
    """Raise PermissionDenied unless `by` is secretariat staff or SYSTEM."""
    if by is SYSTEM:
        return
    if by is None or not standing_of(by).is_secretariat:
        raise PermissionDenied(_("Only the secretariat can do this."))


def user_or_none(by):
    """The user to record as having acted (None for SYSTEM)."""
    return None if by is SYSTEM else by
