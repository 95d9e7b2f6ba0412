"""The shell's own records: texts the secretariat edits for the site, and the weekly digest."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel


class SiteText(TimeStampedModel):
    """A short text of the site that the secretariat edits in the admin (e.g. the home page's
    "who we are"). Markdown, sanitised when shown."""

    content_areas = (ContentArea.SITE,)

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("Where the text appears, e.g. home-intro."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))

    class Meta:
        verbose_name = _("site text")
        verbose_name_plural = _("site texts")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class DigestDelivery(models.Model):
    """The secretariat's weekly digest: one row per week, so it goes out once per week however
    many workers run the task (the row is claimed with a lock, like a meeting reminder)."""

    content_areas = ()  # shown on no cached page

    week_starting = models.DateField(_("week starting"), unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_starting"]

    def __str__(self) -> str:
        return self.week_starting.isoformat()
