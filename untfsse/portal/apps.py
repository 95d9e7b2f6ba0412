from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shell: home page, /me/, the secretariat's dashboard and digest, the site's texts."""

    name = "untfsse.portal"
    # The label the shell's models have always had: their tables, migrations, permissions and
    # admin addresses stay as they were when the site package was one app.
    label = "untfsse"
    verbose_name = _("Portal")
