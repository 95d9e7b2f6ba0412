"""The OpenAPI description: valid OpenAPI 3, every field and parameter described, every
operation's errors documented."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture(scope="module")
def description() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def undescribed_properties(schema: dict, where: str) -> list[str]:
    missing = []
    for name, prop in schema.get("properties", {}).items():
        if "description" not in prop:
            missing.append(f"{where}.{name}")
        if "properties" in prop:
            missing += undescribed_properties(prop, f"{where}.{name}")
    return missing


def test_description_is_valid_openapi_3(description):
    validate_schema(description)  # raises on any error
    assert description["openapi"].startswith("3.")
    assert description["info"]["title"] == "UNTFSSE Portal API"


def test_every_field_is_described(description):
    missing = []
    for name, schema in description["components"]["schemas"].items():
        missing += undescribed_properties(schema, name)
    assert missing == []


def test_every_parameter_is_described_and_every_error_documented(description):
    undocumented = []
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    undocumented.append(f"{method} {path} {parameter['name']}")
            assert {"200", "304", "400", "404", "406", "429"} <= set(operation["responses"])
            assert operation.get("description"), f"{method} {path}"
    assert undocumented == []


def test_every_api_route_is_in_the_description(description):
    assert sorted(description["paths"]) == [
        "/api/v1/",
        "/api/v1/action-items/{id}/",
        "/api/v1/action-plans/",
        "/api/v1/action-plans/{id}/",
        "/api/v1/action-plans/{plan_pk}/items/",
        "/api/v1/action-plans/{plan_pk}/updates/",
        "/api/v1/calls/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/offices/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/people/",
        "/api/v1/resources/",
        "/api/v1/resources/withdrawn/",
        "/api/v1/resources/{id}/",
    ]


@pytest.mark.django_db
def test_making_the_description_leaves_the_pages_filters_alone(client, description):
    """The description is made from the pages' FilterSets; the plan page's area and lead
    filters, whose choices each instance fills in, still work afterwards in the same process."""
    from tests.factories import OrganisationFactory
    from tests.factories.actionplan import (
        ActionItemFactory,
        ActionPlanFactory,
        PriorityAreaFactory,
    )

    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    plan = ActionPlanFactory(slug="2022-2024")
    ActionItemFactory(area=PriorityAreaFactory(plan=plan, number=1), order=1, leads=[ilo])
    SchemaGenerator().get_schema(request=None, public=True)

    page = client.get("/action-plan/2022-2024/?area=1&lead=ilo")
    assert page.context["filter"].form.errors == {}
    assert client.get(f"/api/v1/action-plans/{plan.pk}/items/?area=1&lead=ilo").json()["count"] == 1
