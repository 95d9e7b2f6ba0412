from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from untfsse.core.invalidation import connect_content_receivers


class CoreConfig(AppConfig):
    """The kit: base model, cache, e-mail, uploads, Markdown, health check, project commands."""

    name = "untfsse.core"
    label = "core"
    verbose_name = _("Portal kit")

    def ready(self) -> None:
        # Every app's models are loaded by now: each one that declares content areas (and each
        # many-to-many table of one) gets the cache-invalidation receiver (invalidation.py).
        connect_content_receivers(apps.get_models(include_auto_created=True))
