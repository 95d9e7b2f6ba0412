from django.urls import path

from knowledgehub import views

app_name = "knowledgehub"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("<int:pk>-<slug:slug>/", views.resource_detail, name="resource"),
    path("<int:pk>-<slug:slug>/cite.bib", views.citation_bibtex, name="cite_bib"),
    path("<int:pk>-<slug:slug>/cite.ris", views.citation_ris, name="cite_ris"),
    path("<int:pk>-<slug:slug>/download/", views.download, name="download"),
]
