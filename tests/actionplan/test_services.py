import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan.models import ActionItemStatus, ProgressUpdate
from actionplan.services import (
    action_item_refresh_state,
    progress_update_delete,
    progress_update_edit,
    progress_update_post,
)
from tests.factories import FocalPointFactory, OrganisationFactory
from tests.factories.actionplan import ActionItemFactory, HeldMeetingFactory

pytestmark = pytest.mark.django_db

JAN, MAR, MAY = datetime.date(2023, 1, 10), datetime.date(2023, 3, 10), datetime.date(2023, 5, 10)


@pytest.fixture
def lead():
    return OrganisationFactory(acronym="ILO")


@pytest.fixture
def item(lead):
    return ActionItemFactory(leads=[lead])


@pytest.fixture
def focal_point(lead):
    return FocalPointFactory(organisation=lead)


def state(item):
    item.refresh_from_db()
    return item.status, item.progress


def post(item, by, date, status, progress=None, **extra):
    return progress_update_post(
        item=item, by=by, date=date, text=f"Update of {date}", status=status, progress=progress,
        **extra,
    )  # fmt: skip


def test_new_item_is_not_started_at_zero(item):
    assert state(item) == (ActionItemStatus.NOT_STARTED, 0)


def test_posting_an_update_sets_status_and_progress(item, focal_point):
    update = post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 40)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 40)
    # The object passed in follows too, and the reporter is the focal point's person.
    assert (item.status, item.progress) == (ActionItemStatus.IN_PROGRESS, 40)
    assert update.reported_by == focal_point.person
    assert update.created_by == focal_point


def test_an_older_update_posted_later_does_not_change_the_state(item, focal_point):
    post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 40)
    post(item, focal_point, JAN, ActionItemStatus.NOT_STARTED, 0)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 40)


def test_same_date_the_later_entry_wins(item, focal_point):
    post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 40)
    post(item, focal_point, MAR, ActionItemStatus.ONGOING, 55)
    assert state(item) == (ActionItemStatus.ONGOING, 55)


def test_update_without_estimate_keeps_the_last_estimate(item, focal_point):
    post(item, focal_point, JAN, ActionItemStatus.IN_PROGRESS, 30)
    post(item, focal_point, MAR, ActionItemStatus.ONGOING, None)
    assert state(item) == (ActionItemStatus.ONGOING, 30)


def test_completed_without_progress_is_recorded_at_100(item, focal_point):
    update = post(item, focal_point, MAR, ActionItemStatus.COMPLETED, None)
    assert update.progress == 100
    assert state(item) == (ActionItemStatus.COMPLETED, 100)


def test_completed_with_less_than_100_is_refused(item, focal_point):
    with pytest.raises(ValidationError) as error:
        post(item, focal_point, MAR, ActionItemStatus.COMPLETED, 80)
    assert error.value.message_dict == {"progress": ["A completed action is at 100%."]}
    assert ProgressUpdate.objects.count() == 0
    assert state(item) == (ActionItemStatus.NOT_STARTED, 0)


def test_future_date_is_refused(item, focal_point, time_machine):
    # Noon UTC on 22 November: it is already 23 November in Kiribati (UTC+14), not the 24th.
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC))
    post(item, focal_point, datetime.date(2026, 11, 23), ActionItemStatus.IN_PROGRESS, 10)
    with pytest.raises(ValidationError) as error:
        post(item, focal_point, datetime.date(2026, 11, 24), ActionItemStatus.IN_PROGRESS, 10)
    assert error.value.message_dict == {"date": ["An update cannot be dated in the future."]}


def test_progress_over_100_is_refused(item, secretariat):
    with pytest.raises(ValidationError) as error:
        post(item, secretariat, MAR, ActionItemStatus.IN_PROGRESS, 101)
    assert list(error.value.message_dict) == ["progress"]


def test_editing_an_older_update_into_the_latest_moves_the_state(item, focal_point, secretariat):
    older = post(item, focal_point, JAN, ActionItemStatus.IN_PROGRESS, 20)
    post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 50)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 50)

    # Editing the older one without making it the latest changes nothing.
    progress_update_edit(update=older, by=secretariat, progress=25, text="Corrected")
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 50)

    # Re-dating it after the other makes it the latest.
    progress_update_edit(update=older, by=secretariat, date=MAY, status=ActionItemStatus.ONGOING)
    assert state(item) == (ActionItemStatus.ONGOING, 25)


def test_editing_the_latest_update_changes_the_state(item, focal_point, secretariat):
    latest = post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 50)
    progress_update_edit(update=latest, by=secretariat, status=ActionItemStatus.DISCONTINUED)
    assert state(item) == (ActionItemStatus.DISCONTINUED, 50)


def test_deleting_the_latest_update_falls_back_to_the_previous(item, focal_point, secretariat):
    post(item, focal_point, JAN, ActionItemStatus.IN_PROGRESS, 20)
    latest = post(item, focal_point, MAR, ActionItemStatus.COMPLETED, 100)
    progress_update_delete(update=latest, by=secretariat)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 20)
    assert ProgressUpdate.objects.filter(item=item).count() == 1


def test_deleting_the_last_update_returns_to_not_started(item, focal_point, secretariat):
    only = post(item, focal_point, JAN, ActionItemStatus.IN_PROGRESS, 20)
    progress_update_delete(update=only, by=secretariat)
    assert state(item) == (ActionItemStatus.NOT_STARTED, 0)


def test_focal_point_of_another_organisation_cannot_post(item):
    outsider = FocalPointFactory(organisation=OrganisationFactory(acronym="OECD"))
    with pytest.raises(PermissionDenied):
        post(item, outsider, MAR, ActionItemStatus.IN_PROGRESS, 10)
    assert ProgressUpdate.objects.count() == 0


def test_secretariat_can_post_and_is_not_recorded_as_reporter(item, secretariat):
    update = post(item, secretariat, MAR, ActionItemStatus.IN_PROGRESS, 10)
    assert update.reported_by is None
    assert update.created_by == secretariat


def test_only_the_secretariat_edits_and_deletes(item, focal_point):
    update = post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 10)
    with pytest.raises(PermissionDenied):
        progress_update_edit(update=update, by=focal_point, progress=90)
    with pytest.raises(PermissionDenied):
        progress_update_delete(update=update, by=focal_point)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 10)


def test_edit_refuses_fields_it_does_not_manage(item, focal_point, secretariat):
    update = post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 10)
    with pytest.raises(TypeError):
        progress_update_edit(update=update, by=secretariat, item=ActionItemFactory())


def test_update_cites_a_meeting(item, focal_point):
    meeting = HeldMeetingFactory(day=datetime.date(2023, 7, 11))
    update = post(
        item, focal_point, datetime.date(2023, 7, 11), ActionItemStatus.ONGOING,
        source_meeting=meeting,
    )  # fmt: skip
    assert list(meeting.action_item_updates.all()) == [update]


def test_refresh_repairs_a_state_out_of_line(item, focal_point):
    post(item, focal_point, MAR, ActionItemStatus.IN_PROGRESS, 40)
    type(item).objects.filter(pk=item.pk).update(status=ActionItemStatus.COMPLETED, progress=100)
    action_item_refresh_state(item=item)
    assert state(item) == (ActionItemStatus.IN_PROGRESS, 40)
