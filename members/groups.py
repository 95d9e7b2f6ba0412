"""The staff groups the portal relies on, and the permissions each one carries."""

from django.contrib.auth.models import Group, Permission

SECRETARIAT_GROUP = "Secretariat"

# The secretariat edits every record of the portal's own apps and the account e-mails.
SECRETARIAT_APP_LABELS = ("untfsse", "members", "meetings", "actionplan", "knowledgehub", "account")


def ensure_staff_groups(**kwargs) -> None:
    """Create the Secretariat group if needed and give it every permission on the portal's data."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APP_LABELS)
    group.permissions.add(*permissions)
