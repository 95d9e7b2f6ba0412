from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from actionplan.filters import ActionItemFilter
from actionplan.forms import PlanChangesForm, ProgressUpdateForm
from actionplan.models import ActionItem, ActionPlan
from actionplan.permissions import (
    LeadFocalPointRequiredForPostMixin,
    can_post_progress_update,
    can_post_to_item_at,
)
from actionplan.selectors import (
    EXPORT_HEADER,
    current_plan,
    item_heading,
    item_page_details,
    other_plans,
    plan_areas,
    plan_by_slug,
    plan_dashboard,
    plan_export_rows,
    plan_report_items,
    updates_between,
)
from actionplan.services import progress_update_post
from members.standing import reader_key
from untfsse.core.cache import (
    NOT_KEPT,
    ContentArea,
    PublicPageCacheMixin,
    lazy_parts,
    render_part,
)
from untfsse.core.exports import csv_response
from untfsse.core.views import InvalidFiltersAnswer400Mixin


class PlanMixin:
    def get_plan(self) -> ActionPlan:
        try:
            return plan_by_slug(self.kwargs["plan_slug"])
        except ActionPlan.DoesNotExist as error:
            raise Http404(_("No action plan at this address.")) from error


# A plan's page lists this many actions of each area at most, with a link to the area's own
# list, which shows them all this many a page: a plan of thousands of actions stays a page a
# reader can take in (the 2022-2024 plan, 18 actions, shows them all).
AREA_PREVIEW = 10
AREA_PAGE_SIZE = 50


class PlanDetailView(InvalidFiltersAnswer400Mixin, PublicPageCacheMixin, PlanMixin, TemplateView):
    """A plan's areas and items with progress bars, status counts and filters."""

    cache_areas = (ContentArea.ACTION_PLAN, ContentArea.MEETINGS, ContentArea.MEMBERS)
    cache_query_params = (*ActionItemFilter.base_filters, "page")
    cache_reader_key = reader_key

    template_name = "actionplan/plan_detail.html"

    def get(self, request, *args, **kwargs):
        self.page_number = self.requested_page()
        self.plan = self.get_plan()
        if self.plan is None:
            context = {"plan": None, "other_plans": other_plans(None), "shared_fragment": NOT_KEPT}
            return self.render_to_response(context, status=200)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read only when the shared part of the page is not in the cache already.
        found = SimpleLazyObject(self.dashboard)
        context.update(
            plan=self.plan,
            dashboard=SimpleLazyObject(lambda: found["dashboard"]),
            filter=SimpleLazyObject(lambda: found["filter"]),
            pages=SimpleLazyObject(lambda: found["pages"]),
            is_filtered=any(value for value in self.request.GET.values()),
            other_plans=SimpleLazyObject(lambda: other_plans(self.plan)),
        )
        return context

    def dashboard(self) -> dict:
        plan = self.plan
        areas = plan_areas(plan)
        filterset = ActionItemFilter(
            self.request.GET or None,
            queryset=ActionItem.objects.filter(plan=plan),
            plan=plan,
            areas=areas,
        )
        valid = not filterset.is_bound or filterset.is_valid()
        items = filterset.qs if valid else ActionItem.objects.none()
        chosen = valid and filterset.is_bound and filterset.form.cleaned_data.get("area")
        # The plan lists each area's first actions; an area's own list (the area filter) has
        # them all, a page at a time.
        size = AREA_PAGE_SIZE if chosen else AREA_PREVIEW
        page = self.page_number if chosen else 1
        dashboard = plan_dashboard(
            plan=plan, areas=areas, items=items, per_area=size, offset=(page - 1) * size
        )
        if chosen:
            dashboard.areas = [area for area in dashboard.areas if area.area.key == chosen]
        params = self.request.GET.copy()
        params.pop("page", None)
        for entry in dashboard.areas:
            params["area"] = entry.area.key
            entry.list_query = params.urlencode()
        pages = None
        if chosen and dashboard.areas:
            entry = dashboard.areas[0]
            pages = {
                "number": page,
                "total": max(1, -(-entry.matching // size)),
                "previous": page - 1 if page > 1 else None,
                "next": page + 1 if entry.matching > page * size else None,
                "query": entry.list_query,
            }
        return {"dashboard": dashboard, "filter": filterset, "pages": pages}

    def requested_page(self) -> int:
        """The page of an area's list asked for: a positive number, else 404."""
        value = self.request.GET.get("page", "1")
        # Only an area's list has pages; a number elsewhere would only make copies of one page.
        if value != "1" and not self.request.GET.get("area"):
            raise Http404(_("There is no such page of this list."))
        if not value.isdigit() or not 0 < int(value) < 100_000:
            raise Http404(_("There is no such page of this list."))
        return int(value)


class CurrentPlanView(PlanDetailView):
    """/action-plan/: the current plan, or the list of plans when none is current."""

    def get_plan(self) -> ActionPlan | None:
        return current_plan()


class ActionItemView(PublicPageCacheMixin, LeadFocalPointRequiredForPostMixin, TemplateView):
    """An item with its organisations and timeline; lead focal points post updates here.

    The page is the same for every reader but for the form (or the invitation to sign in):
    the rest is kept per content version for signed-in readers too (`shared_fragment`) and
    read (`shared_item`) only when the cache lacks it."""

    cache_areas = (ContentArea.ACTION_PLAN, ContentArea.MEETINGS, ContentArea.MEMBERS)
    cache_reader_key = reader_key

    template_name = "actionplan/item_detail.html"

    def get_item(self) -> ActionItem:
        if not hasattr(self, "_item"):
            try:
                self._item = item_heading(
                    plan_slug=self.kwargs["plan_slug"], code=self.kwargs["code"]
                )
            except ActionItem.DoesNotExist as error:
                raise Http404(_("No action item at this address.")) from error
        return self._item

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.get_item()
        # A copy kept for signed-in readers has a mark instead (reader_parts fills it).
        can_post = not getattr(
            self.request, "renders_shared_page", False
        ) and can_post_progress_update(self.request.user, item)
        if can_post and form is None:
            form = ProgressUpdateForm(plan=item.plan, initial={"status": item.status})

        def shared() -> dict:
            full = item_page_details(item)
            return {
                "shared_item": full,
                "has_progress_estimate": any(
                    update.progress is not None for update in full.timeline
                ),
            }

        context.update(
            item=item,
            plan=item.plan,
            can_post=can_post,
            form=form,
            **lazy_parts(shared, ("shared_item", "has_progress_estimate")),
        )
        return context

    def reader_parts(self, request) -> dict[str, str]:
        """The update form for a focal point of a lead organisation, for the copy of the page
        kept for readers of their standing: one query for a focal point of another
        organisation, none for a reader of none."""
        made = getattr(self, "_item", None)  # when this request made the page
        allowed = (
            can_post_progress_update(request.user, made)
            if made is not None
            else can_post_to_item_at(
                request.user, plan_slug=self.kwargs["plan_slug"], code=self.kwargs["code"]
            )
        )
        if not allowed:
            return {"post-update": ""}
        item = self.get_item()
        form = ProgressUpdateForm(plan=item.plan, initial={"status": item.status})
        return {"post-update": render_part(request, "actionplan/_post_update.html", {"form": form})}

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        form = ProgressUpdateForm(request.POST, plan=item.plan)
        if form.is_valid():
            try:
                progress_update_post(item=item, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your update has been added to the timeline."))
                return redirect(item.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanChangesView(PublicPageCacheMixin, PlanMixin, TemplateView):
    """What changed in a plan between two meetings: for preparing the next one."""

    cache_areas = (ContentArea.ACTION_PLAN, ContentArea.MEETINGS)
    cache_query_params = tuple(PlanChangesForm.base_fields)

    template_name = "actionplan/plan_changes.html"

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        form = PlanChangesForm(request.GET or None, plan=plan)
        updates = None
        if form.is_bound:
            if not form.is_valid():
                context = self.get_context_data(plan=plan, form=form, updates=None)
                return self.render_to_response(context, status=400)
            updates = updates_between(
                plan=plan, since=form.cleaned_data["since"], until=form.cleaned_data["until"]
            )
        return self.render_to_response(self.get_context_data(plan=plan, form=form, updates=updates))


class PlanExportView(PlanMixin, View):
    """The plan as CSV: each item with its status, progress, leads and last update."""

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        return csv_response(
            f"untfsse-action-plan-{plan.slug}.csv", EXPORT_HEADER, plan_export_rows(plan)
        )


class PlanReportView(PublicPageCacheMixin, PlanMixin, TemplateView):
    """The plan's status report as one clean page, laid out for printing (or saving as PDF
    from the browser): every area with its progress and every item with its latest update."""

    cache_areas = (ContentArea.ACTION_PLAN, ContentArea.MEMBERS)
    template_name = "actionplan/plan_report.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        items = plan_report_items(plan)
        dashboard = plan_dashboard(
            plan=plan, areas=plan_areas(plan), items=ActionItem.objects.none()
        )
        items_by_area: dict[int, list[ActionItem]] = {}
        for item in items:
            items_by_area.setdefault(item.area_id, []).append(item)
        return super().get_context_data(
            plan=plan,
            dashboard=dashboard,
            areas=[(entry, items_by_area.get(entry.area.pk, [])) for entry in dashboard.areas],
            generated_on=timezone.localdate(),
            **kwargs,
        )
