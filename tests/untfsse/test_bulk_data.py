"""`manage.py generate_bulk_data`: how much it makes, that the same seed makes the same data,
that it refuses a second run, and that what it makes is what the services would have made."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict

from actionplan.models import ActionItem, ActionPlan, PriorityArea, ProgressUpdate
from actionplan.services import action_item_refresh_state
from knowledgehub.models import Resource, ResourceAuthor
from knowledgehub.search import search_resources
from knowledgehub.services import resources_refresh_search_vectors
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Organisation, Person


def generate(scale: float, seed: int = 2024) -> str:
    out = StringIO()
    call_command("generate_bulk_data", scale=scale, seed=seed, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "attendance": Attendance.objects.count(),
        "plans": ActionPlan.objects.count(),
        "areas": PriorityArea.objects.count(),
        "action items": ActionItem.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "resources": Resource.objects.count(),
        "resource authors": ResourceAuthor.objects.count(),
        "resource organisations": Resource.organisations.through.objects.count(),
        "resource SDGs": Resource.sdgs.through.objects.count(),
        "resource themes": Resource.themes.through.objects.count(),
    }


def digest() -> str:
    """A fingerprint of the generated data through natural keys, not ids (which a second
    database may number differently)."""
    parts = [
        Organisation.objects.order_by("acronym").values_list(
            "acronym", "name", "kind", "country", "joined_on", "left_on"
        ),
        Person.objects.order_by("email").values_list(
            "email", "name", "organisation__acronym", "public_profile", "time_zone"
        ),
        Meeting.objects.order_by("slug").values_list(
            "slug",
            "kind",
            "title",
            "start",
            "end",
            "time_zone",
            "schedule_precision",
            "mode",
            "city",
            "status",
            "organiser__acronym",
            "summary",
            "summary_published_on",
            "cancelled_at",
        ),
        AgendaItem.objects.order_by("meeting__slug", "order").values_list(
            "meeting__slug", "order", "title", "presenter__email", "presenter_organisation__acronym"
        ),
        Attendance.objects.order_by(
            "meeting__slug", "person__email", "organisation__acronym"
        ).values_list(
            "meeting__slug", "person__email", "organisation__acronym", "capacity", "status"
        ),
        ActionItem.objects.order_by("code").values_list(
            "code", "title", "status", "progress", "target_date", "area__number"
        ),
        ActionItem.lead_organisations.through.objects.order_by(
            "actionitem__code", "organisation__acronym"
        ).values_list("actionitem__code", "organisation__acronym"),
        ProgressUpdate.objects.order_by("item__code", "date", "pk").values_list(
            "item__code",
            "date",
            "date_precision",
            "text",
            "status",
            "progress",
            "reported_by__email",
            "source_meeting__slug",
        ),
        Resource.objects.order_by("pk").values_list(
            "kind",
            "title",
            "slug",
            "abstract",
            "authors_text",
            "published_on",
            "published_precision",
            "language",
            "status",
            "doi",
            "extracted_text",
        ),
        ResourceAuthor.objects.order_by("resource_id", "order").values_list(
            "order", "name", "person__email"
        ),
        Resource.sdgs.through.objects.order_by("resource_id", "sdg__number").values_list(
            "sdg__number"
        ),
        Resource.themes.through.objects.order_by("resource_id", "theme__slug").values_list(
            "theme__slug"
        ),
        Resource.organisations.through.objects.order_by(
            "resource_id", "organisation__acronym"
        ).values_list("organisation__acronym"),
    ]
    fingerprint = hashlib.sha256()
    for rows in parts:
        for row in rows:
            fingerprint.update(repr(row).encode())
    return fingerprint.hexdigest()


@pytest.mark.django_db
def test_bulk_data_row_counts_at_a_tiny_scale():
    output = generate(0.002)
    assert row_counts() == {
        "organisations": 1,
        "people": 40,
        "meetings": 10,
        "agenda items": 50,
        "attendance": 320,
        "plans": 1,
        "areas": 6,
        "action items": 4,
        "updates": 40,
        "resources": 200,
        "resource authors": 382,
        "resource organisations": 158,
        "resource SDGs": 290,
        "resource themes": 207,
    }
    # 8 of the 10 meetings were held, and each is attended by all 40 people: at this scale
    # there are too few people for the 400 attendance rows of the full proportion.
    assert Attendance.objects.values("meeting").distinct().count() == 8
    assert "200 resources" in output
    assert "Bulk data generated." in output


@pytest.mark.django_db
def test_bulk_data_refuses_a_second_run():
    generate(0.001)
    with pytest.raises(CommandError, match="already in this database"):
        generate(0.001)
    assert Meeting.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_bulk_data_is_the_same_for_the_same_seed():
    call_command("flush", interactive=False, verbosity=0)
    generate(0.002)
    first = digest()
    call_command("flush", interactive=False, verbosity=0)
    generate(0.002)
    assert digest() == first
    call_command("flush", interactive=False, verbosity=0)
    generate(0.002, seed=7)
    assert digest() != first


@pytest.mark.django_db
def test_bulk_action_items_follow_their_latest_update():
    generate(0.01)
    items = list(ActionItem.objects.filter(plan__slug="bulk-2019-2023").order_by("pk"))
    generated = [(item.code, item.status, item.progress) for item in items]
    # The services' own rule, applied afresh to every item, changes nothing.
    refreshed = [action_item_refresh_state(item=item) for item in items]
    assert [(item.code, item.status, item.progress) for item in refreshed] == generated
    assert len(generated) == 20
    assert {status for _, status, _ in generated} == {
        "in_progress",
        "ongoing",
        "completed",
        "discontinued",
    }
    assert ActionPlan.objects.get(slug="bulk-2019-2023").is_current is False


@pytest.mark.django_db
@pytest.mark.postgres
def test_bulk_resources_are_found_by_the_search():
    generate(0.002)
    stored = dict(Resource.objects.values_list("pk", "search_vector"))
    assert None not in stored.values()
    # The services' own refresh, run again over every resource, finds nothing to change.
    resources_refresh_search_vectors()
    assert dict(Resource.objects.values_list("pk", "search_vector")) == stored

    resource = Resource.objects.published().order_by("pk")[7]
    word = resource.extracted_text.split()[-1]
    containing = {
        pk
        for pk, text in Resource.objects.published().values_list("pk", "extracted_text")
        if word in text.split()
    }
    results = search_resources(QueryDict(f"q={word}"), page_size=200)
    found = {found.pk for found in results.page.object_list}
    assert resource.pk in found
    assert containing <= found
    assert results.total == len(found)
