"""Action plans, their priority areas and items, status and progress, and progress updates."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplan.models import ActionItemStatus
from members.models import DatePrecision
from untfsse.portal.api.serializers.common import (
    ApiUrlField,
    MeetingRefSerializer,
    OrganisationRefSerializer,
    PageUrlField,
    PartialDateField,
)


class ProgressSummarySerializer(serializers.Serializer):
    """Status counts and average progress, as the plan's page shows them."""

    items = serializers.IntegerField(source="total", read_only=True, help_text="Action items.")
    by_status = serializers.SerializerMethodField(
        help_text="How many items have each status (statuses with no item are left out)."
    )
    average_progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The average progress in percent over the items with an estimate (a reported "
        "percentage, or completion), discontinued items left out; null when none has one.",
    )
    estimated_items = serializers.IntegerField(
        read_only=True, help_text="Items the average covers."
    )
    unestimated_items = serializers.IntegerField(
        read_only=True, help_text="Items nobody has reported a percentage for (not counted as 0%)."
    )

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "example": {"in_progress": 5, "completed": 2},
        }
    )
    def get_by_status(self, summary):
        return {count.status: count.count for count in summary.status_counts}


class AreaRefSerializer(serializers.Serializer):
    key = serializers.CharField(
        read_only=True, help_text="1, 2, 3, ... or T for the transversal area (the `area` filter)."
    )
    number = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The area's number; null for the transversal area.",
    )
    title = serializers.CharField(read_only=True, help_text="The area's title.")


class ActionItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The action item's stable id.")
    code = serializers.CharField(
        read_only=True, help_text="Its code in the plan, e.g. 1.1 or T.2 (unique within a plan)."
    )
    title = serializers.CharField(read_only=True, help_text="The title as written in the plan.")
    description = serializers.CharField(read_only=True, help_text="Description (plain text).")
    area = AreaRefSerializer(read_only=True, help_text="The priority area it belongs to.")
    status = serializers.ChoiceField(
        choices=ActionItemStatus.choices,
        read_only=True,
        help_text="The status its latest progress update gave (not_started until one does).",
    )
    progress = serializers.SerializerMethodField(
        help_text="Progress in percent from the updates; null when nobody reported an estimate "
        "(the page says “no estimate”, never 0%)."
    )
    target_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The target date, if the plan gives one."
    )
    lead_organisations = OrganisationRefSerializer(
        many=True, read_only=True, source="lead_organisations.all", help_text="Lead organisations."
    )
    url = PageUrlField(help_text="The absolute address of the item's public page.")
    api_url = ApiUrlField("action-item-detail")

    def get_progress(self, item) -> int | None:
        return item.progress if item.has_progress_estimate else None


class ProgressUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The update's stable id.")
    date = PartialDateField(
        "date", "date_precision", help_text="When it happened, as precisely as known."
    )
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, read_only=True, help_text="How much of `date` is known."
    )
    text = serializers.CharField(read_only=True, help_text="What happened (plain text).")
    status = serializers.ChoiceField(
        choices=ActionItemStatus.choices, read_only=True, help_text="The status it reports."
    )
    progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The progress it reports in percent; null when it gives no estimate.",
    )
    reported_by = serializers.SerializerMethodField(
        help_text="Who reported it, as the page says: a person with a public profile by name, "
        "else their organisation's acronym; null if unrecorded."
    )
    source_meeting = MeetingRefSerializer(
        read_only=True, allow_null=True, help_text="The meeting it was reported at, if any."
    )
    source_title = serializers.CharField(
        read_only=True, help_text="A news item or report that states it; may be empty."
    )
    source_url = serializers.CharField(
        read_only=True, help_text="The address of that source; may be empty."
    )

    def get_reported_by(self, update) -> str | None:
        person = update.reported_by
        if person is None:
            return None
        if person.public_profile:
            return person.display_name
        return person.organisation.acronym if person.organisation_id else None


class ItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The action item's stable id.")
    code = serializers.CharField(read_only=True, help_text="Its code in the plan, e.g. 1.1.")
    title = serializers.CharField(read_only=True, help_text="Its title.")
    url = PageUrlField(help_text="The absolute address of the item's public page.")


class PlanProgressUpdateSerializer(ProgressUpdateSerializer):
    item = ItemRefSerializer(read_only=True, help_text="The action item it is about.")


class DiscussedAtSerializer(serializers.Serializer):
    meeting = MeetingRefSerializer(read_only=True, help_text="The meeting.")
    agenda_item = serializers.CharField(
        source="title", read_only=True, help_text="The agenda item's title."
    )


class ActionItemDetailSerializer(ActionItemSerializer):
    plan = serializers.SerializerMethodField(help_text="The plan the item belongs to.")
    contributing_organisations = OrganisationRefSerializer(
        many=True,
        read_only=True,
        source="contributing_organisations.all",
        help_text="Contributing organisations.",
    )
    discussed_at = DiscussedAtSerializer(
        source="discussed_in",
        many=True,
        read_only=True,
        help_text="Agenda items of meetings where the action was discussed, oldest first.",
    )
    updates = ProgressUpdateSerializer(
        source="timeline", many=True, read_only=True, help_text="Progress updates, newest first."
    )

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "The plan's stable id."},
                "slug": {"type": "string", "description": "The plan's address."},
                "title": {"type": "string", "description": "The plan's title."},
            },
            "required": ["id", "slug", "title"],
        }
    )
    def get_plan(self, item):
        return {"id": item.plan.pk, "slug": item.plan.slug, "title": item.plan.title}


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The plan's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The plan's address: its page is /action-plan/<slug>/."
    )
    title = serializers.CharField(read_only=True, help_text="e.g. Action Plan 2022-2024.")
    period_start = serializers.IntegerField(read_only=True, help_text="The plan's first year.")
    period_end = serializers.IntegerField(read_only=True, help_text="The plan's last year.")
    is_current = serializers.BooleanField(
        read_only=True, help_text="Whether it is the current plan (the one at /action-plan/)."
    )
    summary = serializers.CharField(read_only=True, help_text="Summary (plain text).")
    adopted_at = MeetingRefSerializer(
        read_only=True, allow_null=True, help_text="The meeting that adopted it, if recorded."
    )
    source_title = serializers.CharField(
        read_only=True, help_text="The source document's title; may be empty."
    )
    source_url = serializers.CharField(
        read_only=True, help_text="The source document's address; may be empty."
    )
    progress = ProgressSummarySerializer(
        source="api_progress",
        read_only=True,
        help_text="Status counts and average progress over all its items.",
    )
    url = PageUrlField(help_text="The absolute address of the plan's public page.")
    api_url = ApiUrlField("action-plan-detail")


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="area.pk", read_only=True, help_text="The area's id.")
    key = serializers.CharField(
        source="area.key", read_only=True, help_text="1, 2, 3, ... or T (the transversal area)."
    )
    number = serializers.IntegerField(
        source="area.number",
        read_only=True,
        allow_null=True,
        help_text="The area's number; null for the transversal area.",
    )
    title = serializers.CharField(source="area.title", read_only=True, help_text="Its title.")
    description = serializers.CharField(
        source="area.description", read_only=True, help_text="Description (plain text)."
    )
    progress = ProgressSummarySerializer(
        source="summary", read_only=True, help_text="Status counts and average progress."
    )
    items = ActionItemSerializer(many=True, read_only=True, help_text="Its action items, in order.")


class PlanDetailSerializer(PlanSerializer):
    areas = AreaSerializer(
        source="api_areas",
        many=True,
        read_only=True,
        help_text="The priority areas in the plan's order.",
    )
