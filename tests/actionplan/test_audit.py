"""Every action plan service records one audit entry in its own transaction; a refused one
records nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan.models import ProgressUpdate
from actionplan.services import (
    action_item_refresh_state,
    progress_update_delete,
    progress_update_edit,
    progress_update_post,
)
from tests.audit_support import audit_rows
from tests.factories import FocalPointFactory, OrganisationFactory, SecretariatUserFactory
from tests.factories.actionplan import ActionItemFactory

pytestmark = pytest.mark.django_db

MAR, MAY = datetime.date(2023, 3, 10), datetime.date(2023, 5, 10)


@pytest.fixture
def lead():
    return OrganisationFactory(acronym="ILO")


@pytest.fixture
def item(lead):
    return ActionItemFactory(leads=[lead])


@pytest.fixture
def focal_point(lead):
    return FocalPointFactory(name="Fatou Focal", email="fatou@ilo.org", organisation=lead)


@pytest.fixture
def secretariat():
    return SecretariatUserFactory(name="Sara Secretariat", email="sara@unsse.org")


def row(actor, label, action, update, changes) -> dict:
    return {
        "actor": actor.pk if actor is not None else None,
        "actor_label": label,
        "action": action,
        "area": "actionplan",
        "object": ("actionplan.progressupdate", str(update.pk), f"{update.item.code} · 2023-03-10"),
        "changes": changes,
    }


def test_post_edit_and_delete_are_recorded(item, focal_point, secretariat):
    update = progress_update_post(
        item=item, by=focal_point, date=MAR, text="Started", status="in_progress", progress=40
    )
    progress_update_edit(update=update, by=secretariat, progress=50, text="Started well")
    update_id = update.pk
    progress_update_delete(update=update, by=secretariat)
    update.pk = update_id  # for the expected object's number
    sara = "Sara Secretariat <sara@unsse.org>"
    assert audit_rows() == [
        row(
            focal_point,
            "Fatou Focal <fatou@ilo.org>",
            "progress_update.post",
            update,
            {"status": [None, "in_progress"], "progress": [None, 40]},
        ),
        row(
            secretariat,
            sara,
            "progress_update.edit",
            update,
            {"progress": [40, 50], "text": ["Started", "Started well"]},
        ),
        row(
            secretariat,
            sara,
            "progress_update.delete",
            update,
            {"status": ["in_progress", None], "progress": [50, None]},
        ),
    ]
    assert ProgressUpdate.objects.count() == 0


def test_refused_progress_updates_record_nothing(item, focal_point):
    with pytest.raises(PermissionDenied):
        progress_update_post(
            item=item, by=FocalPointFactory(), date=MAR, text="No", status="in_progress"
        )
    with pytest.raises(ValidationError):
        progress_update_post(
            item=item, by=focal_point, date=MAR, text="No", status="completed", progress=50
        )
    update = progress_update_post(
        item=item, by=focal_point, date=MAR, text="Yes", status="in_progress"
    )
    with pytest.raises(PermissionDenied):
        progress_update_edit(update=update, by=focal_point, progress=60)
    with pytest.raises(PermissionDenied):
        progress_update_delete(update=update, by=focal_point)
    assert [entry["action"] for entry in audit_rows()] == ["progress_update.post"]


def test_action_item_refresh_state_is_the_system_and_only_when_it_changes(item, focal_point):
    ProgressUpdate.objects.create(
        item=item, date=MAY, text="Done", status="completed", progress=100
    )
    action_item_refresh_state(item=item)
    action_item_refresh_state(item=item)
    assert audit_rows() == [
        {
            "actor": None,
            "actor_label": "the system",
            "action": "action_item.refresh_state",
            "area": "actionplan",
            "object": ("actionplan.actionitem", str(item.pk), str(item)),
            "changes": {"status": ["not_started", "completed"], "progress": [0, 100]},
        }
    ]
