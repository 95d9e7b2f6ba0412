from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shell: home page, /me/, the secretariat's dashboard and digest, the site's texts."""

    name = "untfsse.portal"
    # The label the shell's models have always had: their tables, migrations, permissions and
    # admin addresses stay as they were when the site package was one app.
    label = "untfsse"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Imported here because Django's app loading requires it: the digest reads the
        # models, which exist only once every app's models are loaded.
        from untfsse.core.outbox.kinds import register_kind
        from untfsse.portal.digest import WEEKLY_DIGEST_EMAIL

        register_kind(WEEKLY_DIGEST_EMAIL)


class DeskAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the secretariat's desk as its default site (the site's module
    reads models, so it is named here and imported once the apps are loaded)."""

    default = False  # PortalConfig stays this module's default
    default_site = "untfsse.portal.admin_site.DeskAdminSite"
