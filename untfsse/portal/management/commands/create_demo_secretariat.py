"""Create the demo secretariat account of the zero-setup mode and print its login."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.groups import SECRETARIAT_GROUP, ensure_staff_groups

DEMO_EMAIL = "secretariat@demo.untfsse.local"
DEMO_PASSWORD = "untfsse-demo"


class Command(BaseCommand):
    help = "Create (or reset) the demo secretariat login. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options) -> None:
        # A known password must never exist on a real deployment.
        if not settings.DEBUG:
            raise CommandError("The demo secretariat account exists only in DEBUG mode.")
        ensure_staff_groups()
        User = get_user_model()
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                email=DEMO_EMAIL, defaults={"name": "Demo Secretariat"}
            )
            user.is_staff = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            EmailAddress.objects.update_or_create(
                user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo secretariat login: {DEMO_EMAIL} / {DEMO_PASSWORD} "
                f"(sign in at {settings.PORTAL_URL}/accounts/login/ or {settings.PORTAL_URL}/admin/)"
            )
        )
