"""Agenda and plan linked both ways: the meeting page lists, under each agenda item, the action
items it discusses; the secretariat chooses them on the agenda item's admin page with
autocomplete."""

import json

import pytest

from actionplan.models import ActionItem
from tests.audit_support import audit_rows
from tests.factories.actionplan import ActionItemFactory
from tests.factories.meetings import AgendaItemFactory, PastMeetingFactory

pytestmark = pytest.mark.django_db


def test_meeting_page_lists_the_action_items_under_their_agenda_item(client):
    meeting = PastMeetingFactory(slug="linked")
    first = AgendaItemFactory(meeting=meeting, order=1, title="Knowledge Hub")
    AgendaItemFactory(meeting=meeting, order=2, title="Any other business")
    item = ActionItemFactory(title="Launch the Hub")
    item.agenda_items.add(first)
    html = client.get("/meetings/linked/").content.decode()
    agenda = html.split('id="agenda-title"')[1].split("</section>")[0]
    first_item, second_item = agenda.split("<li><strong>")[1:3]
    assert f'<a href="{item.get_absolute_url()}">{item.code} Launch the Hub</a>' in first_item
    assert "Action items discussed:" in first_item
    assert "Action items discussed:" not in second_item


def test_meeting_page_follows_a_new_link(client, django_capture_on_commit_callbacks):
    meeting = PastMeetingFactory(slug="linked")
    agenda_item = AgendaItemFactory(meeting=meeting)
    item = ActionItemFactory()
    assert "Action items discussed:" not in client.get("/meetings/linked/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item.agenda_items.add(agenda_item)
    assert "Action items discussed:" in client.get("/meetings/linked/").content.decode()


def test_admin_chooses_action_items_with_autocomplete_and_the_choice_is_audited(admin_client):
    agenda_item = AgendaItemFactory(meeting=PastMeetingFactory())
    wanted, other = ActionItemFactory(title="Wanted action"), ActionItemFactory()
    url = f"/admin/meetings/agendaitem/{agenda_item.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    assert 'data-field-name="actionitem"' in page
    found = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "actionplan",
            "model_name": "actionitem_agenda_items",
            "field_name": "actionitem",
            "term": "Wanted",
        },
    )
    assert json.loads(found.content)["results"] == [{"id": str(wanted.pk), "text": str(wanted)}]
    response = admin_client.post(url, {"action_items": [wanted.pk]})
    assert response.status_code == 302
    assert list(agenda_item.action_items.all()) == [wanted]
    assert list(other.agenda_items.all()) == []
    (entry,) = audit_rows(action="agenda_item.set_action_items")
    assert entry["changes"] == {"action_items": [[], [wanted.pk]]}


def test_meeting_admin_agenda_links_to_the_choice(admin_client):
    meeting = PastMeetingFactory()
    agenda_item = AgendaItemFactory(meeting=meeting)
    html = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert f'<a href="/admin/meetings/agendaitem/{agenda_item.pk}/change/">Choose</a>' in html


def test_action_item_admin_chooses_agenda_items_with_autocomplete(admin_client):
    item = ActionItemFactory()
    html = admin_client.get(f"/admin/actionplan/actionitem/{item.pk}/change/").content.decode()
    assert 'data-field-name="agenda_items"' in html
    assert ActionItem.agenda_items.field.name == "agenda_items"
