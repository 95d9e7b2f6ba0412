"""The secretariat's desk: what needs doing now, gathered from every area of the portal.

Each section lists rows that link to the place where the work is done (mostly the admin). A row
disappears by itself once its condition no longer holds; nothing here is stored.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actionplan.models import ActionItem, ActionItemStatus
from knowledgehub.models import Review, ReviewAssignment, Submission, SubmissionState
from meetings.models import (
    DeliveryState,
    InvitationResponse,
    Meeting,
    MeetingKind,
    Minutes,
    ReminderDelivery,
)
from meetings.reminders.schedule import heartbeat_is_stale, heartbeat_last_run
from members.models import AffiliationRequest

UPCOMING_WINDOW = datetime.timedelta(days=30)
MINUTES_EXPECTED_WITHIN = datetime.timedelta(days=180)
STALE_ITEM_AFTER = datetime.timedelta(days=90)
# Meetings of the Task Force itself keep minutes; external events and webinars do not.
MEETINGS_WITH_MINUTES = (MeetingKind.REGULAR, MeetingKind.RETREAT, MeetingKind.TECHNICAL_SYMPOSIUM)


@dataclass
class DashboardRow:
    title: str
    detail: str
    url: str


@dataclass
class DashboardSection:
    key: str
    title: str | Promise
    empty_text: str | Promise
    rows: list[DashboardRow] = field(default_factory=list)


def _admin_change(model, pk: int) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def affiliation_section() -> DashboardSection:
    section = DashboardSection(
        "affiliations", _("Affiliation requests waiting"), _("No request is waiting.")
    )
    for request in AffiliationRequest.objects.pending().select_related("user", "organisation"):
        section.rows.append(
            DashboardRow(
                title=f"{request.name} → {request.organisation.acronym}",
                detail=_("asked on %(date)s") % {"date": request.created_at.date().isoformat()},
                url=_admin_change(AffiliationRequest, request.pk),
            )
        )
    return section


def meetings_section(now: datetime.datetime) -> DashboardSection:
    section = DashboardSection(
        "meetings", _("Meetings"), _("Every meeting of the next 30 days is prepared.")
    )
    upcoming = (
        Meeting.objects.upcoming(now)
        .not_cancelled()
        .filter(start__lte=now + UPCOMING_WINDOW)
        .annotate(
            invitations_count=Count("invitations"),
            unanswered=Count(
                "invitations", filter=Q(invitations__response=InvitationResponse.NONE)
            ),
        )
    )
    for meeting in upcoming:
        url = _admin_change(Meeting, meeting.pk)
        if meeting.invitations_count == 0:
            section.rows.append(DashboardRow(meeting.title, str(_("no invitations sent yet")), url))
        elif meeting.unanswered:
            detail = ngettext(
                "%(count)d of %(total)d invitation unanswered",
                "%(count)d of %(total)d invitations unanswered",
                meeting.invitations_count,
            ) % {"count": meeting.unanswered, "total": meeting.invitations_count}
            section.rows.append(DashboardRow(meeting.title, detail, url))
    without_minutes = (
        Meeting.objects.past(now)
        .not_cancelled()
        .filter(kind__in=MEETINGS_WITH_MINUTES, end__gte=now - MINUTES_EXPECTED_WITHIN)
        .exclude(Exists(Minutes.objects.filter(meeting=OuterRef("pk"))))
    )
    for meeting in without_minutes:
        section.rows.append(
            DashboardRow(
                meeting.title,
                str(_("held, but no minutes yet")),
                _admin_change(Meeting, meeting.pk),
            )
        )
    return section


def reminders_section(now: datetime.datetime) -> DashboardSection:
    section = DashboardSection(
        "reminders", _("Reminders"), _("Reminders are going out; none has failed.")
    )
    if heartbeat_is_stale(now):
        last_run = heartbeat_last_run()
        detail = (
            _("last run %(when)s UTC") % {"when": last_run.strftime("%Y-%m-%d %H:%M")}
            if last_run
            else _("never ran")
        )
        section.rows.append(
            DashboardRow(
                str(_("The reminder scheduler is not running")),
                detail,
                reverse("admin:meetings_reminderdelivery_changelist"),
            )
        )
    failed = (
        ReminderDelivery.objects.filter(state=DeliveryState.FAILED)
        .values("meeting_id", "meeting__title")
        .annotate(count=Count("pk"))
        .order_by("meeting__title")
    )
    for row in failed:
        section.rows.append(
            DashboardRow(
                row["meeting__title"],
                ngettext("%(count)d delivery failed", "%(count)d deliveries failed", row["count"])
                % {"count": row["count"]},
                reverse("admin:meetings_reminderdelivery_changelist")
                + f"?state__exact=failed&meeting__id__exact={row['meeting_id']}",
            )
        )
    return section


def action_items_section(today: datetime.date) -> DashboardSection:
    section = DashboardSection(
        "action_items",
        _("Action items overdue and quiet"),
        _("No action item is past its target date without a recent update."),
    )
    items = (
        ActionItem.objects.filter(target_date__lt=today)
        .exclude(status__in=[ActionItemStatus.COMPLETED, ActionItemStatus.DISCONTINUED])
        .annotate(last_update=Max("updates__date"))
        .filter(Q(last_update__isnull=True) | Q(last_update__lt=today - STALE_ITEM_AFTER))
        .select_related("plan")
        .order_by("target_date", "code")
    )
    for item in items:
        detail = _("target %(target)s; last update %(update)s") % {
            "target": item.target_date.isoformat(),
            "update": item.last_update.isoformat() if item.last_update else _("never"),
        }
        section.rows.append(
            DashboardRow(
                f"{item.plan.slug} {item.code} {item.title}",
                detail,
                _admin_change(ActionItem, item.pk),
            )
        )
    return section


def submissions_section(
    today: datetime.date, *, viewer=None, name_reviewers: bool
) -> DashboardSection:
    """Submissions waiting for the secretariat. Never the viewer's own (a submitter does not
    follow their own review), and reviewers are named only on the viewer's own page, not in
    the shared digest."""
    section = DashboardSection(
        "submissions",
        _("Knowledge Hub submissions"),
        _("No submission is waiting for the secretariat."),
    )
    submissions = (
        Submission.objects.exclude(submitter=viewer) if viewer else Submission.objects.all()
    )
    waiting = submissions.filter(
        state__in=[SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW]
    ).annotate(
        reviewers=Count("assignments", distinct=True),
        reviews_of_current=Count(
            "assignments__reviews",
            filter=Q(assignments__reviews__version=F("current_version")),
            distinct=True,
        ),
    )
    for submission in waiting.order_by("state_changed_at", "pk"):
        if submission.reviewers == 0:
            detail = _("waiting for a reviewer to be assigned")
        elif submission.reviews_of_current >= submission.reviewers:
            detail = _("every review is in: a decision is due")
        else:
            continue
        section.rows.append(
            DashboardRow(submission.title, str(detail), submission.get_review_url())
        )
    accepted = Submission.objects.filter(state=SubmissionState.ACCEPTED).order_by(
        "state_changed_at", "pk"
    )
    for submission in accepted:
        section.rows.append(
            DashboardRow(
                submission.title, str(_("accepted: ready to publish")), submission.get_review_url()
            )
        )
    assignments = (
        ReviewAssignment.objects.exclude(submission__submitter=viewer)
        if viewer
        else ReviewAssignment.objects
    )
    overdue = (
        assignments.filter(
            due_on__lt=today,
            submission__state__in=[SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW],
        )
        .exclude(
            Exists(
                Review.objects.filter(
                    assignment=OuterRef("pk"), version=OuterRef("submission__current_version")
                )
            )
        )
        .select_related("submission", "reviewer")
        .order_by("due_on", "pk")
    )
    for assignment in overdue:
        section.rows.append(
            DashboardRow(
                assignment.submission.title,
                _("review by %(reviewer)s was due on %(date)s")
                % {
                    "reviewer": assignment.reviewer.get_full_name(),
                    "date": assignment.due_on.isoformat(),
                },
                assignment.submission.get_review_url(),
            )
        )
    return section


def secretariat_dashboard(
    now: datetime.datetime | None = None, *, viewer=None
) -> list[DashboardSection]:
    """Every section of the desk, in a fixed number of queries whatever the number of rows.

    `viewer` is the secretariat member looking at it; without one (the weekly digest to the
    shared inbox) reviewers are not named."""
    now = now or timezone.now()
    return [
        affiliation_section(),
        submissions_section(
            timezone.localdate(now), viewer=viewer, name_reviewers=viewer is not None
        ),
        meetings_section(now),
        reminders_section(now),
        action_items_section(timezone.localdate(now)),
    ]
