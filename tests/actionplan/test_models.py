import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplan.models import ActionItem, ActionItemStatus, PriorityArea
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db


def test_only_one_plan_can_be_current():
    ActionPlanFactory(slug="2020", is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanFactory(slug="2022-2024", is_current=True)


def test_second_current_plan_is_a_validation_error_in_forms():
    ActionPlanFactory(slug="2020", is_current=True)
    second = ActionPlanFactory.build(slug="2022-2024", is_current=True)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == ["Another plan is the current one: untick it there first."]


def test_period_must_be_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanFactory(period_start=2024, period_end=2022)


def test_item_progress_is_a_percentage():
    item = ActionItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(progress=101)


def test_item_status_must_be_known():
    item = ActionItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(status="abandoned")


def test_codes_are_unique_within_a_plan_not_across_plans():
    first = ActionItemFactory(code="1.1")
    ActionItemFactory(code="1.1")  # another plan
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(area=PriorityAreaFactory(plan=first.plan), code="1.1")


def test_clean_takes_the_plan_from_the_area_and_reports_a_taken_code():
    existing = ActionItemFactory(code="1.1")
    other_area = PriorityAreaFactory(plan=existing.plan)
    item = ActionItem(area=other_area, code="1.1", title="Twin", order=1)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert item.plan_id == existing.plan_id
    assert error.value.message_dict == {"code": ["This plan already has an item with this code."]}


@pytest.mark.parametrize("code", ["changes", "export.csv", "1", "1.", "t.1"])
def test_codes_cannot_shadow_the_plan_pages(code):
    item = ActionItemFactory.build(area=PriorityAreaFactory(), code=code)
    with pytest.raises(ValidationError) as error:
        item.full_clean(exclude=["plan"])
    assert error.value.message_dict["code"] == ["Write the code as in the plan, e.g. 1.1 or T.2."]


def test_one_transversal_area_and_unique_numbers_per_plan():
    plan = ActionPlanFactory()
    PriorityAreaFactory(plan=plan, number=None)
    PriorityAreaFactory(plan=plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityAreaFactory(plan=plan, number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityAreaFactory(plan=plan, number=1)
    assert PriorityAreaFactory(number=None).is_transversal  # other plan: fine


def test_area_labels_and_keys():
    numbered = PriorityAreaFactory(number=2)
    transversal = PriorityAreaFactory(number=None)
    assert (numbered.label, numbered.key) == ("Priority area 2", "2")
    assert (transversal.label, transversal.key) == ("Transversal area", "T")


def test_item_url_and_defaults():
    item = ActionItemFactory(area=PriorityAreaFactory(plan=ActionPlanFactory(slug="2022-2024")))
    assert item.get_absolute_url() == f"/action-plan/2022-2024/{item.code}/"
    assert (item.status, item.progress) == (ActionItemStatus.NOT_STARTED, 0)
    assert PriorityArea.objects.count() == 1
