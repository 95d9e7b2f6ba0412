"""Reads of action plans shared by the pages, the CSV export and the organisation page.

Each selector asks a fixed number of queries, however many areas, items and updates a plan has.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from actionplan.models import ActionItem, ActionItemStatus, ActionPlan, PriorityArea, ProgressUpdate
from meetings.models import AgendaItem, Meeting
from members.models import Organisation


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class StatusSegment:
    """One status's share of a status bar, in percent of the bar's width."""

    status: str
    label: str
    count: int
    start: float
    width: float


# The order a status bar is read in: what is done first, what has not begun last.
STATUS_BAR_ORDER = (
    ActionItemStatus.COMPLETED,
    ActionItemStatus.IN_PROGRESS,
    ActionItemStatus.ONGOING,
    ActionItemStatus.NOT_STARTED,
    ActionItemStatus.DISCONTINUED,
)


@dataclass
class ProgressSummary:
    """Counts by status and the average progress of a set of items.

    The average covers only items with a progress estimate (a reported percentage, or
    completion): an item nobody has reported on is "no estimate", not 0%, so the pages never
    show a figure the records do not support. Discontinued items are counted but left out of
    the average: they will never reach 100%.
    """

    counts_by_status: dict[str, int] = field(default_factory=dict)
    progress_total: int = 0
    estimated_items: int = 0
    unestimated_items: int = 0

    def add(self, *, status: str, count: int, estimated: int, progress_sum: int | None) -> None:
        self.counts_by_status[status] = self.counts_by_status.get(status, 0) + count
        if status != ActionItemStatus.DISCONTINUED:
            self.progress_total += progress_sum or 0
            self.estimated_items += estimated
            self.unestimated_items += count - estimated

    @property
    def total(self) -> int:
        return sum(self.counts_by_status.values())

    @property
    def average_progress(self) -> int | None:
        """The average estimate, or None when no item has one."""
        if not self.estimated_items:
            return None
        return round(self.progress_total / self.estimated_items)

    @property
    def completed(self) -> int:
        return self.counts_by_status.get(ActionItemStatus.COMPLETED, 0)

    @property
    def status_bar(self) -> list[StatusSegment]:
        """Every action of the set by status, completed first: the headline of a plan or an
        area, which counts each action whether or not anyone estimated its progress."""
        total = self.total
        segments, start = [], 0.0
        for status in STATUS_BAR_ORDER:
            count = self.counts_by_status.get(status, 0)
            if not count:
                continue
            width = round(100 * count / total, 2)
            segments.append(StatusSegment(status, status.label, count, round(start, 2), width))
            start += width
        return segments

    @property
    def status_counts(self) -> list[StatusCount]:
        """The statuses that occur, in the order of the status list."""
        return [
            StatusCount(status, label, self.counts_by_status[status])
            for status, label in ActionItemStatus.choices
            if self.counts_by_status.get(status)
        ]


@dataclass
class AreaDashboard:
    area: PriorityArea
    summary: ProgressSummary
    items: list[ActionItem]  # the items that pass the page's filters (those shown of them)
    matching: int = -1  # how many items pass the filters; -1: all of them are in `items`

    def __post_init__(self):
        if self.matching < 0:
            self.matching = len(self.items)

    @property
    def has_more(self) -> bool:
        """More items pass the filters than are shown: the area's own list has them."""
        return self.matching > len(self.items)


@dataclass
class PlanDashboard:
    plan: ActionPlan
    areas: list[AreaDashboard]
    summary: ProgressSummary

    @property
    def shown_items(self) -> int:
        """The items that pass the filters, listed or not."""
        return sum(area.matching for area in self.areas)


def current_plan() -> ActionPlan | None:
    return ActionPlan.objects.current().select_related("adopted_at").first()


def plan_by_slug(slug: str) -> ActionPlan:
    """The plan with the meeting that adopted it. Raises ActionPlan.DoesNotExist."""
    return ActionPlan.objects.select_related("adopted_at").get(slug=slug)


def plan_areas(plan: ActionPlan) -> list[PriorityArea]:
    return list(plan.areas.order_by("order", "pk"))


def other_plans(plan: ActionPlan | None) -> list[ActionPlan]:
    plans = ActionPlan.objects.order_by("-period_start", "-pk")
    return list(plans.exclude(pk=plan.pk) if plan else plans)


def has_progress_estimate():
    """An item has a progress estimate when an update reported a percentage, or it is
    completed; otherwise its progress is unknown, whatever the stored default says."""
    return ExpressionWrapper(
        Q(status=ActionItemStatus.COMPLETED)
        | Q(Exists(ProgressUpdate.objects.filter(item=OuterRef("pk"), progress__isnull=False))),
        output_field=BooleanField(),
    )


def plan_dashboard(
    *,
    plan: ActionPlan,
    areas: list[PriorityArea],
    items: QuerySet[ActionItem],
    per_area: int | None = None,
    offset: int = 0,
) -> PlanDashboard:
    """Every area of the plan with its (filtered) items, and progress summaries per area and
    for the whole plan. The summaries always cover every item, whatever the filters.

    With `per_area`, each area lists at most that many of its items, from its `offset`-th
    (a page of one area's list), and says how many pass the filters (`matching`): a plan of
    thousands of actions is not one page.

    Three queries: the filtered items, their lead organisations, and the counts per area and
    status.
    """
    shown = (
        items.prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.order_by("acronym"))
        )
        .annotate(has_progress_estimate=has_progress_estimate())
        .order_by("order", "pk")
    )
    matching: dict[int, int] = {}
    if per_area is not None:
        # Numbered within each area in the list's order, with the area's count, in the same
        # query: the database returns only the rows shown.
        shown = shown.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("order").asc(), F("pk").asc()],
            ),
            area_matching=Window(Count("pk"), partition_by=[F("area_id")]),
        ).filter(position__gt=offset, position__lte=offset + per_area)
    items_by_area: dict[int, list[ActionItem]] = {area.pk: [] for area in areas}
    for item in shown:
        items_by_area.setdefault(item.area_id, []).append(item)
        if per_area is not None:
            matching[item.area_id] = item.area_matching

    summaries = {area.pk: ProgressSummary() for area in areas}
    overall = ProgressSummary()
    estimated = Q(has_progress_estimate=True)
    rows = (
        ActionItem.objects.filter(plan=plan)
        .annotate(has_progress_estimate=has_progress_estimate())
        .order_by()
        .values("area_id", "status")
        .annotate(
            count=Count("pk"),
            estimated=Count("pk", filter=estimated),
            progress_sum=Sum("progress", filter=estimated),
        )
    )
    for row in rows:
        for summary in (summaries[row["area_id"]], overall):
            summary.add(
                status=row["status"],
                count=row["count"],
                estimated=row["estimated"],
                progress_sum=row["progress_sum"],
            )
    return PlanDashboard(
        plan=plan,
        areas=[
            AreaDashboard(
                area=area,
                summary=summaries[area.pk],
                items=items_by_area[area.pk],
                matching=matching.get(area.pk, 0) if per_area is not None else -1,
            )
            for area in areas
        ],
        summary=overall,
    )


def item_heading(*, plan_slug: str, code: str) -> ActionItem:
    """The item with its plan and area and whether it has lead organisations, in one query:
    what its page needs for every reader (title, who may post). The rest of the page is
    added by item_page_details, only when the cache lacks it. Raises ActionItem.DoesNotExist."""
    leads = ActionItem.lead_organisations.through.objects.filter(actionitem=OuterRef("pk"))
    return (
        ActionItem.objects.select_related("plan", "area")
        .annotate(has_lead_organisations=Exists(leads))
        .get(plan__slug=plan_slug, code=code)
    )


def _item_page_lookups() -> tuple:
    return (
        Prefetch("lead_organisations", queryset=Organisation.objects.order_by("acronym")),
        Prefetch("contributing_organisations", queryset=Organisation.objects.order_by("acronym")),
        Prefetch(
            "updates",
            queryset=ProgressUpdate.objects.select_related(
                "source_meeting", "reported_by", "reported_by__organisation"
            ).order_by("-date", "-pk"),
            to_attr="timeline",
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("meeting").order_by(
                "meeting__start", "order", "pk"
            ),
            to_attr="discussed_in",
        ),
    )


def item_page_details(item: ActionItem) -> ActionItem:
    """`item` with its organisations, agenda items and timeline (newest first): four
    queries."""
    prefetch_related_objects([item], *_item_page_lookups())
    return item


def item_for_page(*, plan_slug: str, code: str) -> ActionItem:
    """The item with its plan, area, organisations, agenda items and timeline (newest first),
    in five queries. Raises ActionItem.DoesNotExist."""
    return (
        ActionItem.objects.select_related("plan", "area")
        .prefetch_related(*_item_page_lookups())
        .get(plan__slug=plan_slug, code=code)
    )


def source_meeting_choices(*, plan: ActionPlan) -> QuerySet[Meeting]:
    """Meetings an update of the plan can cite, most recent first: those that have started,
    from the year before the plan's period on (the plan's own adoption meeting included)."""
    return (
        Meeting.objects.not_cancelled()
        .filter(start__lte=timezone.now(), start__year__gte=plan.period_start - 1)
        .order_by("-start")
    )


def updates_between(
    *, plan: ActionPlan, since: Meeting, until: Meeting | None
) -> list[ProgressUpdate]:
    """The plan's updates dated after the `since` meeting and up to the `until` meeting's
    last day (or up to now), grouped by item in the plan's order, in one query.

    Updates dated on the `since` meeting's own days were reported there, so they are left
    out; those dated on the `until` meeting's days are what it will hear, so they are in.
    """
    updates = ProgressUpdate.objects.filter(item__plan=plan, date__gt=since.last_day)
    if until is not None:
        updates = updates.filter(date__lte=until.last_day)
    return list(
        updates.select_related("item", "item__area", "source_meeting").order_by(
            "item__area__order", "item__order", "item__pk", "date", "pk"
        )
    )


EXPORT_HEADER = [
    "code",
    "title",
    "area",
    "status",
    "progress",
    "lead organisations",
    "last update date",
    "last update",
]


def plan_report_items(plan: ActionPlan) -> list[ActionItem]:
    """Every item of the plan in the plan's order, with its area, lead organisations and the
    date and text of its latest update (two queries): for the CSV export and the report."""
    latest = ProgressUpdate.objects.filter(item=OuterRef("pk")).order_by("-date", "-pk")
    return list(
        ActionItem.objects.filter(plan=plan)
        .select_related("area")
        .prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.order_by("acronym"))
        )
        .annotate(
            last_update_date=Subquery(latest.values("date")[:1]),
            last_update_precision=Subquery(latest.values("date_precision")[:1]),
            last_update_text=Subquery(latest.values("text")[:1]),
            has_progress_estimate=has_progress_estimate(),
        )
        .order_by("area__order", "order", "pk")
    )


def plan_export_rows(plan: ActionPlan) -> list[list]:
    """One row per item of the plan, in the plan's order (two queries)."""
    return [
        [
            item.code,
            item.title,
            item.area.label,
            item.get_status_display(),
            item.progress if item.has_progress_estimate else "",
            "; ".join(organisation.acronym for organisation in item.lead_organisations.all()),
            item.last_update_date.isoformat() if item.last_update_date else "",
            item.last_update_text or "",
        ]
        for item in plan_report_items(plan)
    ]


def items_led_by(organisation: Organisation) -> list[ActionItem]:
    """The action items an organisation leads, current plan first (one query)."""
    return list(
        ActionItem.objects.filter(lead_organisations=organisation)
        .select_related("plan")
        .order_by("-plan__is_current", "-plan__period_start", "area__order", "order", "pk")
    )


def plans_and_items_for_sitemap() -> list:
    """The plans, then their items with the plan each needs for its address (two queries)."""
    plans = list(ActionPlan.objects.order_by("-period_start", "pk"))
    items = list(ActionItem.objects.select_related("plan").order_by("plan", "area__order", "order"))
    return [*plans, *items]


def action_items_by_agenda_item(agenda_item_ids) -> dict[int, list[ActionItem]]:
    """The action items each of these agenda items discusses, in plan order (one query): what
    the meeting page lists under each item."""
    links = (
        ActionItem.agenda_items.through.objects.filter(agendaitem_id__in=list(agenda_item_ids))
        .select_related("actionitem__plan")
        .order_by("actionitem__plan__period_start", "actionitem__order", "actionitem__pk")
    )
    by_agenda_item: dict[int, list[ActionItem]] = {}
    for link in links:
        by_agenda_item.setdefault(link.agendaitem_id, []).append(link.actionitem)
    return by_agenda_item
