"""The secretariat's admin writes progress updates through the services, so items follow."""

import datetime

import pytest

from actionplan.models import ActionItemStatus, ProgressUpdate
from actionplan.services import progress_update_post
from tests.factories import OrganisationFactory
from tests.factories.actionplan import ActionItemFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(secretariat, client):
    """The shared secretariat officer, signed in on `client`."""
    client.force_login(secretariat)
    return secretariat


@pytest.fixture
def item():
    return ActionItemFactory(
        code="1.1", title="Support the UN resolution", leads=[OrganisationFactory()]
    )


def item_form(item, updates=(), new=()):
    """The item's admin form as a browser would post it, with its update inline."""
    data = {
        "area": item.area_id,
        "code": item.code,
        "order": item.order,
        "title": item.title,
        "description": item.description,
        "lead_organisations": [o.pk for o in item.lead_organisations.all()],
        "target_date": "",
        "updates-TOTAL_FORMS": len(updates) + len(new),
        "updates-INITIAL_FORMS": len(updates),
        "updates-MIN_NUM_FORMS": 0,
        "updates-MAX_NUM_FORMS": 1000,
    }
    for index, fields in enumerate([*updates, *new]):
        for name, value in fields.items():
            data[f"updates-{index}-{name}"] = value
    return data


def update_fields(update=None, **values):
    fields = {
        "date": "2023-04-18", "date_precision": "day", "text": "Adopted.", "status": "completed",
        "progress": "", "reported_by": "", "source_meeting": "", "source_title": "",
        "source_url": "", "item": "",
    }  # fmt: skip
    if update is not None:
        fields.update(id=update.pk, item=update.item_id)
    fields.update(values)
    return fields


def test_admin_pages_open(client, secretariat, item):
    for url in [
        "/admin/actionplan/actionplan/",
        f"/admin/actionplan/actionplan/{item.plan_id}/change/",
        f"/admin/actionplan/priorityarea/{item.area_id}/change/",
        "/admin/actionplan/actionitem/?status__exact=not_started",
        f"/admin/actionplan/actionitem/?lead_organisations__id__exact={item.lead_organisations.get().pk}",
        "/admin/actionplan/actionitem/?q=resolution",
        f"/admin/actionplan/actionitem/{item.pk}/change/",
        "/admin/actionplan/progressupdate/",
        "/admin/actionplan/progressupdate/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_inline_update_added_in_the_admin_moves_the_item(client, secretariat, item):
    response = client.post(
        f"/admin/actionplan/actionitem/{item.pk}/change/",
        item_form(item, new=[update_fields()]),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    update = ProgressUpdate.objects.get()
    assert (update.status, update.progress, update.created_by) == ("completed", 100, secretariat)
    item.refresh_from_db()
    assert (item.status, item.progress) == (ActionItemStatus.COMPLETED, 100)


def test_inline_edit_and_delete_go_through_the_services(client, secretariat, item):
    older = progress_update_post(item=item, by=secretariat, date=datetime.date(2023, 1, 5),
                                 text="Started.", status="in_progress", progress=20)  # fmt: skip
    latest = progress_update_post(item=item, by=secretariat, date=datetime.date(2023, 4, 18),
                                  text="Adopted.", status="completed")  # fmt: skip
    url = f"/admin/actionplan/actionitem/{item.pk}/change/"
    # The inline lists the updates newest first.
    response = client.post(url, item_form(item, updates=[
        update_fields(latest, progress="100", DELETE="on"),
        update_fields(older, date="2023-01-05", text="Started.", status="in_progress", progress="30"),
    ]))  # fmt: skip
    assert response.status_code == 302
    assert list(ProgressUpdate.objects.values_list("pk", "progress")) == [(older.pk, 30)]
    item.refresh_from_db()
    assert (item.status, item.progress) == (ActionItemStatus.IN_PROGRESS, 30)


def test_inline_refuses_a_completed_update_below_100(client, secretariat, item):
    response = client.post(
        f"/admin/actionplan/actionitem/{item.pk}/change/",
        item_form(item, new=[update_fields(progress="50")]),
    )
    assert response.status_code == 200
    assert "A completed action is at 100%." in response.content.decode()
    assert ProgressUpdate.objects.count() == 0


def test_update_admin_add_and_delete_follow_the_services(client, secretariat, item):
    response = client.post(
        "/admin/actionplan/progressupdate/add/",
        {**update_fields(status="ongoing", progress="60"), "item": item.pk},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    item.refresh_from_db()
    assert (item.status, item.progress) == (ActionItemStatus.ONGOING, 60)

    response = client.post(f"/admin/actionplan/progressupdate/{update.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == (ActionItemStatus.NOT_STARTED, 0)


def test_bulk_delete_of_updates_refreshes_every_item(client, secretariat, item):
    other = ActionItemFactory()
    for target in (item, other):
        progress_update_post(item=target, by=secretariat, date=datetime.date(2023, 1, 5),
                             text="Started.", status="in_progress", progress=20)  # fmt: skip
    response = client.post(
        "/admin/actionplan/progressupdate/",
        {
            "action": "delete_selected",
            "_selected_action": list(ProgressUpdate.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    for target in (item, other):
        target.refresh_from_db()
        assert (target.status, target.progress) == (ActionItemStatus.NOT_STARTED, 0)


def test_items_inline_under_an_area_takes_the_plan_and_refuses_repeated_codes(client, secretariat):
    area = PriorityAreaFactory(number=2)
    url = f"/admin/actionplan/priorityarea/{area.pk}/change/"
    base = {
        "plan": area.plan_id, "number": 2, "title": area.title, "description": "", "order": 2,
        "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    twice = {
        **base,
        "items-TOTAL_FORMS": 2,
        **{f"items-{i}-{k}": v for i in (0, 1) for k, v in
           {"code": "2.1", "order": i + 1, "title": f"Action {i}", "target_date": ""}.items()},
    }  # fmt: skip
    response = client.post(url, twice)
    assert response.status_code == 200
    assert "Each code can be used once in a plan: 2.1" in response.content.decode()

    once = {**base, "items-TOTAL_FORMS": 1, "items-0-code": "2.1", "items-0-order": 1,
            "items-0-title": "Action", "items-0-target_date": ""}  # fmt: skip
    assert client.post(url, once).status_code == 302
    created = area.items.get()
    assert (created.plan_id, created.code) == (area.plan_id, "2.1")
