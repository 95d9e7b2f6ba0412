"""Resources of the Knowledge Hub: the published items, their authors, SDGs and themes.

A resource is written only through `knowledgehub.services`: the services keep the derived
fields (slug, authors text, search vector, extracted text) in step with what the secretariat
or a published submission typed.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from knowledgehub.storage import private_resource_storage
from members.models import DatePrecision, Organisation, Person
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel
from untfsse.core.uploads import validate_pdf_upload


class ResourceKind(models.TextChoices):
    RESEARCH_PAPER = "research_paper", _("Research paper")
    WORKING_PAPER = "working_paper", _("Working paper")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    REPORT = "report", _("Report")
    POSITION_PAPER = "position_paper", _("Position paper")
    ENCYCLOPEDIA_ENTRY = "encyclopedia_entry", _("Encyclopedia entry")
    TRAINING_MATERIAL = "training_material", _("Training and awareness material")
    VIDEO = "video", _("Video")


class ResourceStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TextExtractionStatus(models.TextChoices):
    NO_FILE = "no_file", _("No PDF")
    PENDING = "pending", _("Waiting for extraction")
    DONE = "done", _("Text extracted")
    NO_TEXT = "no_text", _("No text could be extracted")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC_BY_NC = "cc-by-nc-4.0", _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)")
    CC_BY_NC_SA = (
        "cc-by-nc-sa-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0)"),
    )
    CC_BY_ND = "cc-by-nd-4.0", _("Creative Commons Attribution-NoDerivatives 4.0 (CC BY-ND 4.0)")
    CC0 = "cc0-1.0", _("Public domain dedication (CC0 1.0)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    # For records of documents whose terms the source does not state: never guess a licence.
    NOT_STATED = "not-stated", _("Licence not stated")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class ResourceLanguage(models.TextChoices):
    """The language a resource is written in (ISO 639-1), with the PostgreSQL text-search
    configuration its words are stemmed with (see `SEARCH_CONFIGS`)."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ITALIAN = "it", _("Italian")
    GERMAN = "de", _("German")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    KOREAN = "ko", _("Korean")
    OTHER = "other", _("Other")


# PostgreSQL's built-in stemmers; the other languages are indexed word for word.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "it": "italian",
    "de": "german",
    "ru": "russian",
}
DEFAULT_SEARCH_CONFIG = "simple"


def search_config_expression():
    """The text-search configuration of each row, from its language (english, french, ...)."""
    return models.Case(
        *[
            models.When(language=code, then=models.Value(config))
            for code, config in SEARCH_CONFIGS.items()
        ],
        default=models.Value(DEFAULT_SEARCH_CONFIG),
    )


DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """ "https://doi.org/10.1234/x" or "doi:10.1234/x" as the bare DOI "10.1234/x"."""
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :].strip()
    return value


validate_doi = RegexValidator(
    DOI_PATTERN,
    message=_("Enter a DOI such as 10.1234/abcd.5678 (without https://doi.org/)."),
    code="invalid_doi",
)


# The goals' short names, translated for the pages (the table keeps the English ones).
SDG_NAMES = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}


class Sdg(models.Model):
    """One of the 17 Sustainable Development Goals (created by the initial migration)."""

    content_areas = (ContentArea.KNOWLEDGE_HUB,)

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"
            )
        ]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.name}"

    @property
    def label(self) -> str:
        """ "SDG 8" (ODD 8 in French and Spanish once translated)."""
        return gettext("SDG %(number)d") % {"number": self.number}

    @property
    def display_name(self) -> str:
        return str(SDG_NAMES.get(self.number, self.name))


class Theme(models.Model):
    """A keyword the secretariat files resources under (e.g. "Public policies")."""

    content_areas = (ContentArea.KNOWLEDGE_HUB,)

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:100]


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ResourceStatus.PUBLISHED)

    def withdrawn(self):
        return self.filter(status=ResourceStatus.WITHDRAWN)

    def of_organisation(self, organisation):
        return self.filter(organisations=organisation)


def resource_file_path(resource: "Resource", filename: str) -> str:
    return f"knowledgehub/{filename}"


class Resource(TimeStampedModel):
    """An item of the Knowledge Hub: a paper, report, brief, video, ... with its metadata."""

    content_areas = (ContentArea.KNOWLEDGE_HUB,)

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(
        _("address"),
        max_length=120,
        editable=False,
        help_text=_("Made from the title; the page's address is /knowledge-hub/<id>-<address>/."),
    )
    abstract = models.TextField(_("abstract"), blank=True)
    # "Name; Name; Name" in author order, kept by the services for search and listings.
    authors_text = models.TextField(_("authors"), blank=True, editable=False)
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        blank=True,
        related_name="resources",
        help_text=_("The organisations that produced or published the resource."),
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the publication date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Say “Year only” when only the year is known: no day is ever invented."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=ResourceLanguage.choices, default="en"
    )
    sdgs = models.ManyToManyField(
        Sdg, verbose_name=_("Sustainable Development Goals"), blank=True, related_name="resources"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="resources"
    )
    pdf = models.FileField(
        _("PDF file"),
        upload_to=resource_file_path,
        storage=private_resource_storage,
        max_length=255,
        blank=True,
        validators=[validate_pdf_upload],
        help_text=_("Served through the portal so that downloads are counted; at most 20 MB."),
    )
    external_url = models.URLField(
        _("external address"),
        max_length=500,
        blank=True,
        help_text=_("Where the resource can be read elsewhere (publisher's page, video)."),
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY
    )
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("Optional, e.g. 10.1234/abcd.5678."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResourceStatus.choices,
        default=ResourceStatus.PUBLISHED,
        editable=False,
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    extracted_text = models.TextField(_("text of the PDF"), blank=True, editable=False)
    text_extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=TextExtractionStatus.choices,
        default=TextExtractionStatus.NO_FILE,
        editable=False,
    )
    # Title (A), authors (B), abstract (C) and PDF text (D), refreshed by the services: the
    # source of the search tables' rows (knowledgehub.indexing).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="published", withdrawn_at__isnull=True)
                | Q(status="withdrawn", withdrawn_at__isnull=False),
                name="resource_withdrawn_has_date",
            ),
        ]
        indexes = [
            # Nearly every resource is published, so no index leads with the status: the newest
            # first listing reads this one, OAI-PMH's date ranges the next.
            models.Index(fields=["-published_on", "-id"], name="resource_newest"),
            # The listing's newest-first order puts undated resources last, which the index
            # above (NULLS FIRST when descending) cannot give without sorting the whole table;
            # read backwards, that one serves the oldest-first order.
            models.Index(
                F("published_on").desc(nulls_last=True),
                F("id").desc(),
                name="resource_newest_dated_first",
            ),
            models.Index(fields=["updated_at", "id"], name="resource_updated"),
            # No text index here: the search reads its own tables (knowledgehub.indexing), and
            # the vector above is only their source.
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledgehub:resource", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self) -> None:
        if (
            self.published_on is None
            and self.published_precision
            and self.published_precision != DatePrecision.DAY
        ):
            raise ValidationError(
                {"published_on": _("Give the publication date the precision refers to.")}
            )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ResourceStatus.WITHDRAWN

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def search_config(self) -> str:
        return SEARCH_CONFIGS.get(self.language, DEFAULT_SEARCH_CONFIG)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class ResourceAuthor(models.Model):
    """An author of a resource, in order: a name as printed, optionally a known person."""

    content_areas = (ContentArea.KNOWLEDGE_HUB,)

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="authors"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(
        _("name as printed"),
        max_length=200,
        help_text=_("A person (“Ilcheong Yi”) or an institution writing as author."),
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=300,
        blank=True,
        help_text=_(
            "The author's institution as printed next to the name, as the authors gave it."
        ),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_resources",
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["resource", "order", "pk"]

    def __str__(self) -> str:
        return self.name
