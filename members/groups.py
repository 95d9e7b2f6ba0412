"""The staff groups the portal relies on, and the permissions each one carries."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SECRETARIAT_GROUP = "Secretariat"

# The secretariat edits every record of the portal's own apps...
SECRETARIAT_APP_LABELS = ("untfsse", "members", "meetings", "actionplan", "knowledgehub")
# ...but accounts are the superuser's: whoever could create accounts, delete them or edit the
# e-mail addresses behind them could take any account over, staff ones included. The
# secretariat sees accounts and changes ordinary ones within the limits of UserAdmin.
WITHHELD = Q(content_type__app_label="members", codename__in=["add_user", "delete_user"])
VIEW_ONLY = Q(content_type__app_label="account", codename__startswith="view_")


def ensure_staff_groups(**kwargs) -> None:
    """Create the Secretariat group if needed and set its permissions to exactly the above
    (run after every migrate, so a permission granted by an earlier version is taken back)."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.filter(
        (Q(content_type__app_label__in=SECRETARIAT_APP_LABELS) & ~WITHHELD) | VIEW_ONLY
    )
    group.permissions.set(permissions)
