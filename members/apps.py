from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and observers")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from members.groups import ensure_staff_groups
        from untfsse.core import navigation

        navigation.register(label=_("Members"), url_name="members:directory", order=10)
        # Permissions only exist after migrate has created them, so the groups are
        # brought up to date then, on every migrate (it is idempotent).
        post_migrate.connect(ensure_staff_groups, dispatch_uid="members.ensure_staff_groups")
