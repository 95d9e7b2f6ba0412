"""Who is acting: a user, or the portal itself; and the one rule most writes ask for.

Every service of every app takes `by`: the user who acts, or `SYSTEM` for the portal's own
work (seed data, management commands, the scheduler), which runs on the server and needs no
account. `require_secretariat(by)` is the rule the secretariat's writes share; the admin is one
way in to them, the service is where the rule holds (`../shared/STYLE.md`, "The admin fails
closed").
"""

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


def require_secretariat(by, message: str | None = None) -> None:
    """Raise PermissionDenied (with `message`, or a general one) unless `by` is SYSTEM or an
    active secretariat staff account (members of the Secretariat group, or a superuser)."""
    if by is SYSTEM:
        return
    if by is None or not standing_of(by).is_secretariat:
        raise PermissionDenied(message or _("Only the secretariat can do this."))


def require_superuser(by, message: str | None = None) -> None:
    """Raise PermissionDenied unless `by` is SYSTEM or an active superuser: accounts and the
    addresses behind them are the superuser's (members.groups)."""
    if by is SYSTEM:
        return
    if by is None or not (by.is_authenticated and by.is_active and by.is_superuser):
        raise PermissionDenied(message or _("Only a superuser can do this."))


def user_or_none(by):
    """The user to record as having acted (None for SYSTEM)."""
    return None if by is SYSTEM else by
