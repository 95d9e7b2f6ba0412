import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel
from untfsse.core.uploads import validate_image_upload

# Paths under /members/ that are pages, not organisations: no organisation may take them as slug.
RESERVED_SLUGS = frozenset({"governance", "affiliation", "invitation", "export"})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account, identified by its e-mail address (verified through django-allauth)."""

    content_areas = ()  # shown on no cached page

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can sign in to the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email


class OrganisationKind(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    PARTNER = "partner", _("Partner")


class OrganisationQuerySet(models.QuerySet):
    def current(self, on=None):
        """Organisations whose membership is running on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def former(self, on=None):
        on = on or timezone.localdate()
        return self.filter(left_on__lte=on)

    def members(self):
        return self.filter(kind=OrganisationKind.MEMBER)

    def observers(self):
        return self.filter(kind=OrganisationKind.OBSERVER)


class Organisation(TimeStampedModel):
    """A member (UN entity or other intergovernmental body), an observer network, or a partner."""

    content_areas = (ContentArea.MEMBERS,)

    name = models.CharField(_("full name"), max_length=255)
    acronym = models.CharField(
        _("acronym or short name"),
        max_length=40,
        help_text=_("How the Task Force usually writes it, e.g. ILO, UN DESA, Euclid Network."),
    )
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        help_text=_("The organisation's page is /members/<address>/. Lower-case; keep it stable."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    country = CountryField(_("headquarters country"), blank=True)
    description = models.TextField(_("description"), blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Leave empty while the membership runs.")
    )
    logo = models.ImageField(
        _("logo"), upload_to="logos/", blank=True, validators=[validate_image_upload]
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), name="organisation_acronym_unique"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="organisation_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "acronym"], name="organisation_kind_acronym")]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("members:organisation", kwargs={"slug": self.slug})

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()

    @property
    def display_name(self) -> str:
        """ "International Labour Organization (ILO)", or the name alone when they coincide."""
        if self.acronym.lower() == self.name.lower():
            return self.name
        return f"{self.name} ({self.acronym})"

    def clean(self) -> None:
        if not self.slug and self.acronym:
            self.slug = slugify(self.acronym)
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by a page of the portal.")})
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("An organisation cannot leave before it joined.")})


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Zurich or America/Santiago."),
            params={"value": value},
        )


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who agreed to a public profile: the only ones a visitor may see."""
        return self.filter(public_profile=True)


class Person(TimeStampedModel):
    """Someone the Task Force works with. E-mail address and contact details are private."""

    content_areas = (ContentArea.MEMBERS,)

    name = models.CharField(_("name"), max_length=150)
    honorific = models.CharField(
        _("honorific"), max_length=20, blank=True, help_text=_("Ms, Mr, Dr, ...")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail address (private)"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("Show this person's name and position on the public pages."),
    )
    preferred_language = models.CharField(
        _("language for e-mails"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone for e-mails"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    receives_reminders = models.BooleanField(
        _("receives meeting reminders"),
        default=True,
        help_text=_("Turned off by the person's one-click unsubscribe link."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "public_profile"], name="person_org_public")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class Office(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-Chair")
    SECRETARIAT = "secretariat", _("Technical Secretariat")
    COMMUNICATIONS = "communications", _("Communications")
    KNOWLEDGE_HUB = "knowledge_hub", _("Knowledge Hub coordination")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class RoleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def past(self):
        return self.filter(ended_on__isnull=False)


class Role(TimeStampedModel):
    """A governance office held by a person and/or an organisation over a span of dates.

    The source documents often give only a year ("Chair until 2022"); the precision fields say
    how much of each date is known, so the pages never show a day nobody recorded.
    """

    content_areas = (ContentArea.MEMBERS,)

    office = models.CharField(_("office"), max_length=20, choices=Office.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation holding the office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
    )
    title = models.CharField(
        _("title as written"),
        max_length=150,
        blank=True,
        help_text=_("Optional wording such as “Communications Consultant”."),
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    started_precision = models.CharField(
        _("precision of the start"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while the office is held.")
    )
    ended_precision = models.CharField(
        _("precision of the end"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("office held")
        verbose_name_plural = _("offices held")
        ordering = ["office", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(office="chair", ended_on__isnull=True),
                name="role_one_current_chair",
                violation_error_message=_(
                    "There is already a current Chair: end that office first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="role_dates_in_order",
                violation_error_message=_("An office cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="role_has_holder",
                violation_error_message=_(
                    "Name the person or the organisation holding the office."
                ),
            ),
        ]

    def __str__(self) -> str:
        holder = self.person.name if self.person_id else str(self.organisation)
        return f"{self.get_office_display()}: {holder}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class AffiliationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AffiliationRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AffiliationStatus.PENDING)


class AffiliationRequest(TimeStampedModel):
    """A user asking to be linked to an organisation as its focal point."""

    content_areas = ()  # shown on no cached page

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="affiliation_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliation_requests",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("existing person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliation_requests",
        help_text=_("The person record to link, when the user is already known."),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=255, blank=True)
    message = models.TextField(_("message to the secretariat"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AffiliationStatus.choices,
        default=AffiliationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(
        _("note to the user"), blank=True, help_text=_("Sent with the decision.")
    )
    decision_emailed_at = models.DateTimeField(_("decision e-mailed at"), null=True, blank=True)
    secretariat_notified_at = models.DateTimeField(
        _("secretariat notified at"), null=True, blank=True
    )

    objects = AffiliationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation request")
        verbose_name_plural = _("affiliation requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="affiliation_one_pending_per_user",
                violation_error_message=_(
                    "You already have a request waiting for the secretariat."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="affiliation_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class AffiliationInvitation(TimeStampedModel):
    """The secretariat's invitation: a signed link that links the new account at sign-up."""

    content_areas = ()  # shown on no cached page

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="account_invitations",
        help_text=_("Leave empty to create a person from the name below."),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""),
                name="invitation_names_someone",
                violation_error_message=_("Choose a person or give a name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
