"""/api/: version 1 of the read API, its description and documentation; any other address
under /api/ answers a JSON 404."""

from django.urls import path, re_path

from untfsse.portal.api.errors import api_not_found
from untfsse.portal.api.views import actionplan, docs, knowledgehub, meetings, members

app_name = "api"

urlpatterns = [
    path("v1/", docs.ApiIndexView.as_view(), name="index"),
    path("v1/schema/", docs.SchemaView.as_view(), name="schema"),
    path("v1/docs/", docs.DocsView.as_view(), name="docs"),
    path("v1/organisations/", members.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "v1/organisations/<int:pk>/",
        members.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("v1/people/", members.PersonListView.as_view(), name="person-list"),
    path("v1/offices/", members.OfficeListView.as_view(), name="office-list"),
    path("v1/meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("v1/meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("v1/action-plans/", actionplan.PlanListView.as_view(), name="action-plan-list"),
    path(
        "v1/action-plans/<int:pk>/", actionplan.PlanDetailView.as_view(), name="action-plan-detail"
    ),
    path(
        "v1/action-plans/<int:plan_pk>/items/",
        actionplan.PlanItemListView.as_view(),
        name="action-plan-items",
    ),
    path(
        "v1/action-plans/<int:plan_pk>/updates/",
        actionplan.PlanUpdateListView.as_view(),
        name="action-plan-updates",
    ),
    path(
        "v1/action-items/<int:pk>/",
        actionplan.ActionItemDetailView.as_view(),
        name="action-item-detail",
    ),
    path("v1/resources/", knowledgehub.ResourceListView.as_view(), name="resource-list"),
    path(
        "v1/resources/withdrawn/",
        knowledgehub.WithdrawnResourceListView.as_view(),
        name="withdrawn-resource-list",
    ),
    path(
        "v1/resources/<int:pk>/",
        knowledgehub.ResourceDetailView.as_view(),
        name="resource-detail",
    ),
    path("v1/calls/", knowledgehub.CallListView.as_view(), name="call-list"),
    # Addresses ending in a slash only: without one, Django first redirects to the address
    # with the slash (APPEND_SLASH), which then lands here. [\s\S], not ".": an address may
    # hold a (percent-encoded) line break.
    re_path(r"^[\s\S]*/$", api_not_found, name="not-found"),
]
