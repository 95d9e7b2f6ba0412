"""Who is invited to a meeting and how they answered, and who attended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting
from members.models import Organisation, Person
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel


class InvitationResponse(models.TextChoices):
    NONE = "none", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TENTATIVE = "tentative", _("Tentative")


class InvitationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(response=InvitationResponse.ACCEPTED)

    def not_declined(self):
        return self.exclude(response=InvitationResponse.DECLINED)


class Invitation(TimeStampedModel):
    """A person invited to a meeting, and their answer."""

    content_areas = ()  # shown on no cached page

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    response = models.CharField(
        _("response"),
        max_length=10,
        choices=InvitationResponse.choices,
        default=InvitationResponse.NONE,
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Grows by one each time the invitation is answered through a signed e-mail link: the
    # links carry the number they were made for, so each works once (meetings.invitation_links).
    answer_version = models.PositiveIntegerField(
        _("answers through e-mail links"), default=0, editable=False
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="invitation_one_per_person",
                violation_error_message=_("This person is already invited to this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(response__in=InvitationResponse.values),
                name="invitation_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(response="none", responded_at__isnull=True)
                | (~Q(response="none") & Q(responded_at__isnull=False)),
                name="invitation_responded_at_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.meeting}"


class AttendanceCapacity(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    RESOURCE_PERSON = "resource_person", _("Resource person")
    GUEST = "guest", _("Guest")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status=AttendanceStatus.PRESENT)


class Attendance(TimeStampedModel):
    """Who took part in a meeting, and for which organisation at the time.

    A row names a person, or, when the records only say that an organisation was represented
    (the Third Technical Symposium's report lists organisations, not people), it names the
    organisation alone and counts as one participant: the page then says "at least".
    """

    content_areas = (ContentArea.MEETINGS,)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("Leave empty when only the organisation is known to have taken part."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("Filled from the person's organisation when left empty."),
    )
    capacity = models.CharField(
        _("capacity"),
        max_length=16,
        choices=AttendanceCapacity.choices,
        blank=True,
        help_text=_("Filled from the organisation's kind when left empty."),
    )
    status = models.CharField(
        _("attendance"),
        max_length=8,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__acronym", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="attendance_names_someone",
                violation_error_message=_("Name the person or the organisation that took part."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_one_per_person",
                violation_error_message=_("This person's attendance is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(person__isnull=True),
                name="attendance_one_unnamed_row_per_organisation",
                violation_error_message=_(
                    "This organisation's attendance is already recorded without a name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__in=AttendanceCapacity.values),
                name="attendance_capacity_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="attendance_org_status"),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else str(self.organisation)
        return f"{who} @ {self.meeting}"
