"""Action plans, their areas and items with status and progress, and progress updates."""

from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.filters import BaseFilterBackend

from actionplan.filters import ActionItemFilter
from actionplan.models import ActionItem, ActionItemStatus, ActionPlan, ProgressUpdate
from actionplan.selectors import (
    ProgressSummary,
    has_progress_estimate,
    item_for_page,
    plan_areas,
    plan_dashboard,
)
from members.models import Organisation
from untfsse.core.cache import ContentArea
from untfsse.portal.api.filters import ProgressUpdateFilter
from untfsse.portal.api.serializers.actionplan import (
    ActionItemDetailSerializer,
    ActionItemSerializer,
    PlanDetailSerializer,
    PlanProgressUpdateSerializer,
    PlanSerializer,
)
from untfsse.portal.api.views.base import PublicApiView, PublicListView

AREAS = (ContentArea.ACTION_PLAN, ContentArea.MEETINGS, ContentArea.MEMBERS)


def progress_by_plan(plans: list[ActionPlan]) -> dict[int, ProgressSummary]:
    """Each plan's progress summary, as its page's dashboard counts it, in one query."""
    summaries = {plan.pk: ProgressSummary() for plan in plans}
    estimated = Q(has_progress_estimate=True)
    rows = (
        ActionItem.objects.filter(plan__in=plans)
        .annotate(has_progress_estimate=has_progress_estimate())
        .order_by()
        .values("plan_id", "status")
        .annotate(
            count=Count("pk"),
            estimated=Count("pk", filter=estimated),
            progress_sum=Sum("progress", filter=estimated),
        )
    )
    for row in rows:
        summaries[row["plan_id"]].add(
            status=row["status"],
            count=row["count"],
            estimated=row["estimated"],
            progress_sum=row["progress_sum"],
        )
    return summaries


def plan_or_404(pk: int) -> ActionPlan:
    plan = ActionPlan.objects.select_related("adopted_at").filter(pk=pk).first()
    if plan is None:
        raise Http404("No action plan has this id.")
    return plan


@extend_schema(
    summary="Action plans",
    description="Every action plan, the current one marked, latest period first, with its "
    "status counts and average progress.",
)
class PlanListView(PublicListView):
    cache_areas = AREAS
    serializer_class = PlanSerializer

    def get_queryset(self):
        return ActionPlan.objects.select_related("adopted_at").order_by("-period_start", "-pk")

    def get_serializer(self, *args, **kwargs):
        if args and isinstance(args[0], list):
            summaries = progress_by_plan(args[0])
            for plan in args[0]:
                plan.api_progress = summaries[plan.pk]
        return super().get_serializer(*args, **kwargs)


@extend_schema(
    summary="An action plan",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The plan's id."
        )
    ],
    description="The plan with its priority areas, each with its items and progress, as the "
    "plan's page shows it unfiltered.",
)
class PlanDetailView(PublicApiView):
    cache_areas = AREAS
    serializer_class = PlanDetailSerializer

    def answer(self, request, pk: int):
        plan = plan_or_404(pk)
        dashboard = plan_dashboard(
            plan=plan, areas=plan_areas(plan), items=ActionItem.objects.filter(plan=plan)
        )
        for area in dashboard.areas:
            for item in area.items:
                item.plan, item.area = plan, area.area  # known here: no query per item
        plan.api_progress = dashboard.summary
        plan.api_areas = dashboard.areas
        return self.respond(plan)


class PlanItemsFilterBackend(BaseFilterBackend):
    """The plan page's FilterSet, given the plan and its areas (the `area` and `lead` choices).

    Not a DjangoFilterBackend on purpose: drf-spectacular's extension for those builds the form
    field of each ChoiceFilter of the class's own filters to read its choices, and the field,
    once built, is kept and copied into every later instance, so the page's `area` filter,
    whose choices each instance fills in, would refuse every area in that process. The
    parameters are described on the view instead.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = ActionItemFilter(
            request.query_params,
            queryset=queryset,
            request=request,
            plan=view.plan,
            areas=plan_areas(view.plan),
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs


@extend_schema(
    summary="A plan's action items",
    description="The plan's items with the plan page's filters, in the plan's order (area, "
    "then item).",
    parameters=[
        OpenApiParameter(
            "plan_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The plan's id."
        ),
        OpenApiParameter(
            "area",
            OpenApiTypes.STR,
            description="A priority area of this plan: its number (1, 2, ...) or T for the "
            "transversal area; any other value is refused (400).",
        ),
        OpenApiParameter(
            "lead",
            OpenApiTypes.STR,
            description="A lead organisation of some item of this plan (its slug, e.g. ilo).",
        ),
        OpenApiParameter(
            "status",
            OpenApiTypes.STR,
            enum=ActionItemStatus.values,
            description="Only items with this status.",
        ),
    ],
)
class PlanItemListView(PublicListView):
    cache_areas = AREAS
    serializer_class = ActionItemSerializer
    filter_backends = [PlanItemsFilterBackend]
    filterset_class = ActionItemFilter

    def answer(self, request, plan_pk: int):
        self.plan = plan_or_404(plan_pk)
        return self.list(request)

    def get_queryset(self):
        return (
            ActionItem.objects.filter(plan=getattr(self, "plan", None))
            .select_related("plan", "area")
            .prefetch_related(
                Prefetch("lead_organisations", queryset=Organisation.objects.order_by("acronym"))
            )
            .annotate(has_progress_estimate=has_progress_estimate())
            .order_by("area__order", "area__pk", "order", "pk")
        )


@extend_schema(
    summary="A plan's progress updates",
    description="Every progress update on the plan's items, newest first (by date, then entry).",
    parameters=[
        OpenApiParameter(
            "plan_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The plan's id."
        ),
    ],
)
class PlanUpdateListView(PublicListView):
    cache_areas = AREAS
    serializer_class = PlanProgressUpdateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProgressUpdateFilter

    def answer(self, request, plan_pk: int):
        self.plan = plan_or_404(plan_pk)
        return self.list(request)

    def get_queryset(self):
        return (
            ProgressUpdate.objects.filter(item__plan=getattr(self, "plan", None))
            .select_related("item__plan", "source_meeting", "reported_by__organisation")
            .order_by("-date", "-pk")
        )


@extend_schema(
    summary="An action item",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The action item's id."
        )
    ],
    description="The item with its organisations, the meetings where it was discussed and "
    "its progress updates, as its page shows them.",
)
class ActionItemDetailView(PublicApiView):
    cache_areas = AREAS
    serializer_class = ActionItemDetailSerializer

    def answer(self, request, pk: int):
        found = ActionItem.objects.filter(pk=pk).values_list("plan__slug", "code").first()
        if found is None:
            raise Http404("No action item has this id.")
        item = item_for_page(plan_slug=found[0], code=found[1])
        # As the page decides it: a reported percentage, or completion.
        item.has_progress_estimate = item.status == ActionItemStatus.COMPLETED or any(
            update.progress is not None for update in item.timeline
        )
        return self.respond(item)
