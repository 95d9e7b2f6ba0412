"""What the home page gathers from every area of the portal (the shell may import every app)."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import get_language

from actionplan.models import ActionItem
from actionplan.selectors import PlanDashboard, current_plan, plan_areas, plan_dashboard
from knowledgehub.models import CallForPapers, Resource
from meetings.models import Meeting, MeetingStatus
from members.models import Organisation, OrganisationKind
from untfsse.portal.models import LocalizedText, SiteText

NEXT_MEETINGS = 3
LATEST_REPORTS = 3
LATEST_RESOURCES = 4
OPEN_CALLS = 3


@dataclass
class HomePage:
    intro: LocalizedText | None  # in the page's language, or English
    next_meetings: list[Meeting]
    latest_reports: list[Meeting]
    plan: PlanDashboard | None
    latest_resources: list[Resource]
    open_calls: list[CallForPapers]
    member_count: int
    observer_count: int


def home_page() -> HomePage:
    """Everything the home page shows, in a fixed number of queries (nine)."""
    counts = dict(
        Organisation.objects.current()
        .filter(kind__in=[OrganisationKind.MEMBER, OrganisationKind.OBSERVER])
        .order_by()
        .values_list("kind")
        .annotate(number=Count("pk"))
    )
    plan = current_plan()
    intro = SiteText.objects.filter(key="home-intro").first()
    return HomePage(
        intro=intro.in_language(get_language()) if intro else None,
        next_meetings=list(Meeting.objects.upcoming().not_cancelled()[:NEXT_MEETINGS]),
        latest_reports=list(
            Meeting.objects.past()
            .filter(status=MeetingStatus.HELD)
            .with_public_summary()[:LATEST_REPORTS]
        ),
        plan=plan_dashboard(plan=plan, areas=plan_areas(plan), items=ActionItem.objects.none())
        if plan
        else None,
        latest_resources=list(
            Resource.objects.published()
            .defer("extracted_text", "search_vector")
            .order_by("-published_on", "-pk")[:LATEST_RESOURCES]
        ),
        open_calls=list(CallForPapers.objects.open().order_by("closes_at", "pk")[:OPEN_CALLS]),
        member_count=counts.get(OrganisationKind.MEMBER, 0),
        observer_count=counts.get(OrganisationKind.OBSERVER, 0),
    )
