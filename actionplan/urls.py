from django.urls import path

from actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("", views.CurrentPlanView.as_view(), name="current"),
    path("<slug:plan_slug>/", views.PlanDetailView.as_view(), name="plan"),
    path("<slug:plan_slug>/changes/", views.PlanChangesView.as_view(), name="changes"),
    path("<slug:plan_slug>/export.csv", views.PlanExportView.as_view(), name="export"),
    path("<slug:plan_slug>/report/", views.PlanReportView.as_view(), name="report"),
    # Codes are upper-case letters, digits and dots (1.1, T.2): never "changes", "report" or
    # "export.csv".
    path("<slug:plan_slug>/<str:code>/", views.ActionItemView.as_view(), name="item"),
]
