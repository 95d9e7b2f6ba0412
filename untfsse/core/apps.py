from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kit: base model, cache, e-mail, uploads, Markdown, health check, project commands."""

    name = "untfsse.core"
    label = "core"
    verbose_name = _("Portal kit")
