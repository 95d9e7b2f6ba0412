"""The Task Force's action plans: priority areas, action items and their progress updates.

Models hold data, constraints and cheap properties. An item's status and progress are never
typed by hand: they are its latest update's, kept so by `actionplan.services`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import DatePrecision, Organisation, Person
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel

# "1.1", "3.5", "T.2": area number (or T for the transversal area), a dot, the item's number.
# Upper-case letters only, so no code can shadow the plan's own pages ("changes", "report", "export.csv").
validate_item_code = RegexValidator(
    r"^[0-9A-Z]+(\.[0-9A-Za-z]+)+$",
    message=_("Write the code as in the plan, e.g. 1.1 or T.2."),
)
TRANSVERSAL_KEY = "T"


def latest_possible_today() -> datetime.date:
    """Today's date where the day is furthest ahead (UTC+14): a focal point in the Pacific may
    date an update today while it is still yesterday in UTC."""
    return (timezone.now() + datetime.timedelta(hours=14)).date()


class ActionItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class ActionPlanQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class ActionPlan(TimeStampedModel):
    """A plan the Task Force adopted for a period, e.g. the Action Plan 2022-2024."""

    content_areas = (ContentArea.ACTION_PLAN,)

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        help_text=_("The plan's page is /action-plan/<address>/, e.g. 2022-2024. Keep it stable."),
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown under the title."))
    adopted_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("adopted at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_action_plans",
    )
    source_title = models.CharField(_("source document"), max_length=300, blank=True)
    source_url = models.URLField(_("link to the source document"), max_length=500, blank=True)
    source_text = models.TextField(
        _("text of the source"),
        blank=True,
        help_text=_("The plan as the source document words it, for reference."),
    )
    is_current = models.BooleanField(
        _("current plan"),
        default=False,
        help_text=_("The plan shown at /action-plan/. Only one plan can be current."),
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="actionplan_one_current",
                violation_error_message=_(
                    "Another plan is the current one: untick it there first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="actionplan_period_in_order",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:plan", kwargs={"plan_slug": self.slug})

    @property
    def period(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}-{self.period_end}"


class PriorityArea(TimeStampedModel):
    """A priority area of a plan: numbered 1..n, or the unnumbered transversal area."""

    content_areas = (ContentArea.ACTION_PLAN,)

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for the transversal area."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=Q(number__isnull=False),
                name="priorityarea_number_unique_per_plan",
                violation_error_message=_("This plan already has an area with this number."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(number__isnull=True),
                name="priorityarea_one_transversal_per_plan",
                violation_error_message=_("This plan already has a transversal area."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="priorityarea_number_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.title}"

    @property
    def is_transversal(self) -> bool:
        return self.number is None

    @property
    def key(self) -> str:
        """What item codes and the area filter use: "1", "2", ... or "T"."""
        return TRANSVERSAL_KEY if self.number is None else str(self.number)

    @property
    def label(self) -> str:
        if self.number is None:
            return str(_("Transversal area"))
        return str(_("Priority area %(number)s")) % {"number": self.number}


class ActionItem(TimeStampedModel):
    """One action of a plan. `status` and `progress` mirror the latest progress update."""

    # Meeting pages list, under each agenda item, the action items it discusses.
    content_areas = (ContentArea.ACTION_PLAN, ContentArea.MEETINGS)

    # Repeats area.plan so that the database can keep codes unique within a plan; clean()
    # and the services set it from the area, forms never show it.
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="items",
        editable=False,
    )
    area = models.ForeignKey(
        PriorityArea,
        verbose_name=_("priority area"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(
        _("code"), max_length=12, validators=[validate_item_code], help_text=_("e.g. 1.1 or T.2")
    )
    order = models.PositiveSmallIntegerField(_("order within the area"), default=1)
    title = models.CharField(_("title as written in the plan"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("lead organisations"),
        blank=True,
        related_name="led_action_items",
        help_text=_("Their focal points can post progress updates from the item's page."),
    )
    contributing_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("contributing organisations"),
        blank=True,
        related_name="contributed_action_items",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.NOT_STARTED,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem",
        verbose_name=_("discussed in agenda items"),
        blank=True,
        related_name="action_items",
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["plan", "area__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="actionitem_code_unique_per_plan",
                violation_error_message=_("This plan already has an item with this code."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="actionitem_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionItemStatus.values), name="actionitem_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="actionitem_plan_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("actionplan:item", kwargs={"plan_slug": self.plan.slug, "code": self.code})

    def clean(self) -> None:
        if self.area_id is not None:
            self.plan_id = self.area.plan_id
        if self.plan_id is not None and self.code:
            taken = ActionItem.objects.filter(plan_id=self.plan_id, code=self.code)
            if taken.exclude(pk=self.pk).exists():
                raise ValidationError({"code": _("This plan already has an item with this code.")})


class ProgressUpdate(TimeStampedModel):
    """What happened to an action item, when, and where it was reported."""

    content_areas = (ContentArea.ACTION_PLAN,)

    item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    # The documents sometimes give only a month ("in June 2022"): the page then shows no day.
    date_precision = models.CharField(
        _("precision of the date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("For a month or a year only, enter its first day."),
    )
    text = models.TextField(_("what happened"))
    reported_by = models.ForeignKey(
        Person,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_item_updates",
    )
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("reported at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_item_updates",
    )
    source_title = models.CharField(
        _("source document"),
        max_length=300,
        blank=True,
        help_text=_("A news item or report that states the progress."),
    )
    source_url = models.URLField(_("link to the source document"), max_length=500, blank=True)
    status = models.CharField(_("new status"), max_length=12, choices=ActionItemStatus.choices)
    progress = models.PositiveSmallIntegerField(
        _("new progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty when the update gives no estimate: the progress stays as it was."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | (Q(progress__gte=0) & Q(progress__lte=100)),
                name="progressupdate_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionItemStatus.values),
                name="progressupdate_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["item", "date"], name="progressupdate_item_date")]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.date.isoformat()}"

    def clean(self) -> None:
        if self.date and self.date > latest_possible_today():
            raise ValidationError({"date": _("An update cannot be dated in the future.")})
        if self.status == ActionItemStatus.COMPLETED:
            # A completed action is done in full: no other percentage would be honest.
            if self.progress is None:
                self.progress = 100
            elif self.progress != 100:
                raise ValidationError({"progress": _("A completed action is at 100%.")})
