import datetime

import pytest
from django.core.management import call_command

from actionplan.models import ActionItem, ActionItemStatus, ActionPlan, ProgressUpdate
from members.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("load_seed_data", verbosity=0)


def test_action_plan_2022_2024_as_the_symposium_laid_it_out(seeded):
    plan = ActionPlan.objects.get(slug="2022-2024")
    assert plan.title == "Action Plan 2022-2024"
    assert (plan.period_start, plan.period_end, plan.is_current) == (2022, 2024, True)
    assert plan.adopted_at.slug == "third-technical-symposium"
    assert [(area.number, area.title) for area in plan.areas.order_by("order")] == [
        (1, "Mainstreaming and enhancing the SSE international dimension and profile"),
        (2, "Boosting the creation and sharing of knowledge on SSE and SDGs"),
        (3, "Developing strategic areas of interventions on SSE"),
        (None, "Strengthening the UNTFSSE governance"),
    ]
    codes = list(
        ActionItem.objects.filter(plan=plan)
        .order_by("area__order", "order")
        .values_list("code", flat=True)
    )
    assert codes == [
        "1.1", "1.2", "1.3", "1.4", "1.5",
        "2.1", "2.2", "2.3", "2.4", "2.5",
        "3.1", "3.2", "3.3", "3.4", "3.5",
        "T.1", "T.2", "T.3",
    ]  # fmt: skip
    assert ActionItem.objects.get(plan=plan, code="2.3").title == (
        "Strengthen the accessibility of knowledge and launch a UNTFSSE awareness raising "
        "package on the SSE"
    )


def test_work_plan_2020_from_the_trento_retreat(seeded):
    plan = ActionPlan.objects.get(slug="2020")
    assert (plan.title, plan.is_current) == ("Work plan 2020", False)
    assert plan.adopted_at.slug == "retreat-trento-2019"
    assert list(plan.items.order_by("order").values_list("code", "title")) == [
        (
            "1.1",
            "Supporting the process, led by one or more UN member states, towards a possible UN "
            "Resolution on the SSE",
        ),
        ("1.2", "Improving communications"),
        ("1.3", "Adopting a programmatic approach"),
    ]
    assert ActionPlan.objects.current().get().slug == "2022-2024"


def test_leads_only_where_the_documents_name_them(seeded):
    leads = {
        item.code: sorted(o.slug for o in item.lead_organisations.all())
        for item in ActionItem.objects.filter(plan__slug="2022-2024")
        if item.lead_organisations.exists()
    }
    # Of 1.2 and 1.3 the report says only that the Task Force "will be informed and follow
    # the process"; the 44th meeting says the package (2.3) was "led by ITC-ILO".
    assert leads == {"2.3": ["itcilo"]}


def test_loading_again_removes_leads_an_earlier_load_wrote(seeded):
    item = ActionItem.objects.get(plan__slug="2022-2024", code="1.2")
    item.lead_organisations.add(Organisation.objects.get(slug="ilo"))
    ActionItem.objects.get(plan__slug="2022-2024", code="1.3").lead_organisations.add(
        Organisation.objects.get(slug="oecd")
    )
    call_command("load_seed_data", verbosity=0)
    assert list(item.lead_organisations.all()) == []
    assert not ActionItem.objects.get(
        plan__slug="2022-2024", code="1.3"
    ).lead_organisations.exists()


def test_no_target_day_that_no_document_gives(seeded):
    # "by September 2022" names a month: kept in the text, not stored as a day.
    assert not ActionItem.objects.filter(target_date__isnull=False).exists()
    paper = ActionItem.objects.get(plan__slug="2022-2024", code="2.2")
    assert "by September 2022" in paper.description


def test_progress_updates_as_the_documents_report_them(seeded):
    updates = ProgressUpdate.objects.select_related("item", "source_meeting").order_by(
        "date", "item__code"
    )
    assert [
        (
            u.item.code,
            u.date,
            u.date_precision,
            u.status,
            u.progress,
            u.source_meeting.slug if u.source_meeting else None,
        )
        for u in updates
    ] == [
        ("1.2", datetime.date(2022, 6, 1), "month", "completed", 100, None),
        ("1.1", datetime.date(2023, 4, 18), "day", "completed", 100,
         "ilo-briefing-government-groups-2023"),
        ("1.5", datetime.date(2023, 7, 11), "day", "in_progress", None, "44th-regular-meeting"),
        ("2.1", datetime.date(2023, 7, 11), "day", "ongoing", None, "44th-regular-meeting"),
        ("2.3", datetime.date(2023, 7, 11), "day", "ongoing", None, "44th-regular-meeting"),
        ("2.4", datetime.date(2023, 7, 11), "day", "ongoing", None, "44th-regular-meeting"),
    ]  # fmt: skip
    states = dict(ActionItem.objects.filter(plan__slug="2022-2024").values_list("code", "status"))
    assert states["1.1"] == states["1.2"] == ActionItemStatus.COMPLETED
    assert states["1.5"] == ActionItemStatus.IN_PROGRESS
    assert states["3.1"] == ActionItemStatus.NOT_STARTED
    assert ActionItem.objects.get(plan__slug="2022-2024", code="1.1").progress == 100
    assert ActionItem.objects.get(plan__slug="2022-2024", code="2.3").progress == 0


def test_items_are_linked_to_the_agenda_items_that_discussed_them(seeded):
    item = ActionItem.objects.get(plan__slug="2022-2024", code="2.3")
    assert [(a.meeting.slug, a.title) for a in item.agenda_items.all()] == [
        ("44th-regular-meeting", "Global awareness-raising package on the SSE")
    ]


def test_seed_is_idempotent(seeded):
    before = list(ProgressUpdate.objects.values_list("pk", "updated_at"))
    items_before = list(ActionItem.objects.values_list("pk", "updated_at"))
    call_command("load_seed_data", verbosity=0)
    assert list(ProgressUpdate.objects.values_list("pk", "updated_at")) == before
    assert list(ActionItem.objects.values_list("pk", "updated_at")) == items_before


def test_item_page_shows_the_april_2023_resolution(client, seeded):
    response = client.get("/action-plan/2022-2024/1.1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time datetime="2023-04-18">April 18, 2023</time>' in html
    assert "The UN General Assembly adopted its resolution on promoting the social" in html
    assert (
        '<a href="/meetings/ilo-briefing-government-groups-2023/">'
        "ILO briefing to regional government groups on the SSE</a>"
    ) in html
    assert '<span class="status status--completed">Completed</span>' in html


def test_plan_page_shows_four_areas_and_eighteen_items(client, seeded):
    response = client.get("/action-plan/2022-2024/")
    dashboard = response.context["dashboard"]
    assert [entry.area.key for entry in dashboard.areas] == ["1", "2", "3", "T"]
    assert dashboard.shown_items == 18
    assert dashboard.summary.total == 18
    # The two completed actions are the only ones with an estimate; the other sixteen have none
    # (nobody reported a percentage) and are left out of the average instead of counting as 0%.
    assert (dashboard.summary.estimated_items, dashboard.summary.unestimated_items) == (2, 16)
    assert dashboard.summary.average_progress == 100
    html = response.content.decode()
    # The headline counts all eighteen actions; the average of the two estimates (100%) is
    # labelled as such, never shown as the plan's progress.
    assert (
        '<span class="visually-hidden">Overall progress: </span>2 of 18 actions completed</span>'
    ) in html
    assert "Overall progress: </span>100%" not in html
    assert "Average of the progress estimates: 100%, from the 2 actions that have one." in html
    # A status bar for the plan and each of its four areas; a progress bar for the two items
    # with an estimate, the sixteen others say so instead.
    assert html.count('class="progress status-bar"') == 1 + 4
    assert html.count('class="progress__fill"') == 2
    assert html.count("No estimate</span>") == 16
