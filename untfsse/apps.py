from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UntfsseConfig(AppConfig):
    """Site-wide pieces: base model, Markdown, uploads, health check, project commands."""

    name = "untfsse"
    verbose_name = _("Portal")
