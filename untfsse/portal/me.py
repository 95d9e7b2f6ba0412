"""A focal point's own page: their invitations, their organisation's meetings and action items."""

from dataclasses import dataclass, field

from django.db.models import Max, Prefetch
from django.utils import timezone

from actionplan.models import ActionItem
from knowledgehub.models import Submission
from knowledgehub.selectors import submissions_of_submitter
from meetings.models import Invitation, Meeting
from members.models import AffiliationRequest
from members.selectors import pending_affiliation_request_of
from members.standing import Standing


@dataclass
class FocalPointPage:
    invitations: list[Invitation] = field(default_factory=list)
    organisation_meetings: list[Meeting] = field(default_factory=list)
    led_items: list[ActionItem] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    pending_request: AffiliationRequest | None = None


def focal_point_page(user, standing: Standing, now=None) -> FocalPointPage:
    """What the signed-in user has to answer and follow: their submissions, and for people
    linked to an organisation their invitations, its meetings and the action items it leads."""
    submissions = list(submissions_of_submitter(user))
    # Not linked yet: the request waiting for the secretariat, if one was sent.
    pending = pending_affiliation_request_of(user) if standing.organisation is None else None
    if standing.person is None:
        return FocalPointPage(submissions=submissions, pending_request=pending)
    now = now or timezone.now()
    invitations = list(
        Invitation.objects.filter(person=standing.person, meeting__end__gt=now)
        .select_related("meeting")
        .order_by("meeting__start")
    )
    page = FocalPointPage(invitations=invitations, submissions=submissions, pending_request=pending)
    if standing.organisation is not None:
        invited_meeting_ids = {invitation.meeting_id for invitation in invitations}
        page.organisation_meetings = [
            meeting
            for meeting in Meeting.objects.upcoming(now)
            .not_cancelled()
            .filter(invitations__person__organisation=standing.organisation)
            .distinct()[:10]
            if meeting.pk not in invited_meeting_ids
        ]
        page.led_items = list(
            ActionItem.objects.filter(lead_organisations=standing.organisation)
            .select_related("plan")
            .annotate(last_update=Max("updates__date"))
            .prefetch_related(Prefetch("lead_organisations"))
            .order_by("-plan__is_current", "plan__slug", "order")
        )
    return page
