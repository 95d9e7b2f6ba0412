from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("governance/", views.GovernanceView.as_view(), name="governance"),
    path("affiliation/", views.AffiliationRequestView.as_view(), name="affiliation"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
]
