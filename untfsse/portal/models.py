"""The shell's own records: texts the secretariat edits for the site, and the weekly digest."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel
from untfsse.core.outbox.models import Delivery


@dataclass(frozen=True)
class LocalizedText:
    """A site text as one language's page shows it, with the language it is written in (for
    the `lang` attribute): English when the page's language has no version yet."""

    title: str
    body: str
    language: str


class SiteText(TimeStampedModel):
    """A short text of the site that the secretariat edits in the admin (e.g. the home page's
    "who we are"). Markdown, sanitised when shown. Written in English, and in French and
    Spanish where the secretariat gave those versions; a page in a language without one shows
    the English text, marked as English."""

    content_areas = (ContentArea.SITE,)
    # The languages a text may have besides English, with their fields.
    TRANSLATED = ("fr", "es")

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("Where the text appears, e.g. home-intro."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    # db_default: rows written without these columns (by an older release during a deploy)
    # read as "no translation".
    title_fr = models.CharField(
        _("title in French"), max_length=200, blank=True, default="", db_default=""
    )
    body_fr = models.TextField(
        _("text in French (Markdown)"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Leave empty to show the English text on French pages."),
    )
    title_es = models.CharField(
        _("title in Spanish"), max_length=200, blank=True, default="", db_default=""
    )
    body_es = models.TextField(
        _("text in Spanish (Markdown)"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Leave empty to show the English text on Spanish pages."),
    )

    class Meta:
        verbose_name = _("site text")
        verbose_name_plural = _("site texts")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def in_language(self, language: str) -> LocalizedText:
        """The version for a page in `language` ("fr", "fr-ch"...), or the English one."""
        code = (language or "en").split("-")[0]
        if code in self.TRANSLATED and getattr(self, f"body_{code}").strip():
            title = getattr(self, f"title_{code}").strip() or self.title
            return LocalizedText(title=title, body=getattr(self, f"body_{code}"), language=code)
        return LocalizedText(title=self.title, body=self.body, language="en")


class DigestDelivery(Delivery):
    """The secretariat's weekly digest: one row per week, so it goes out once per week however
    many workers run the task; a kind of delivery of the outbox (untfsse.core.outbox), built by
    untfsse/portal/digest.py."""

    content_areas = ()  # shown on no cached page

    week_starting = models.DateField(_("week starting"), unique=True)

    class Meta(Delivery.Meta):
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_starting"]

    def __str__(self) -> str:
        return self.week_starting.isoformat()
