from django.urls import path

from knowledgehub.views import calls, resources, reviewers, reviews, submissions

app_name = "knowledgehub"

urlpatterns = [
    path("", resources.SearchView.as_view(), name="search"),
    path("calls/", calls.CallListView.as_view(), name="calls"),
    path("calls/<slug:slug>/", calls.call_detail, name="call"),
    path("submit/", submissions.SubmissionFormView.as_view(), name="submit"),
    path("my-submissions/", submissions.MySubmissionsView.as_view(), name="my_submissions"),
    path("my-submissions/<int:pk>/", submissions.MySubmissionView.as_view(), name="my_submission"),
    path(
        "my-submissions/<int:pk>/edit/",
        submissions.SubmissionFormView.as_view(),
        name="edit_submission",
    ),
    path(
        "my-submissions/<int:pk>/withdraw/",
        submissions.WithdrawSubmissionView.as_view(),
        name="withdraw_submission",
    ),
    path(
        "submissions/<int:pk>/versions/<int:number>/file/",
        submissions.submission_file,
        name="submission_file",
    ),
    path("reviews/", reviews.ReviewListView.as_view(), name="reviews"),
    path("reviewers/", reviewers.ReviewersView.as_view(), name="reviewers"),
    path("reviews/<int:pk>/", reviews.ReviewSubmissionView.as_view(), name="review_submission"),
    path("<int:pk>-<slug:slug>/", resources.resource_detail, name="resource"),
    path("<int:pk>-<slug:slug>/cite.bib", resources.citation_bibtex, name="cite_bib"),
    path("<int:pk>-<slug:slug>/cite.ris", resources.citation_ris, name="cite_ris"),
    path("<int:pk>-<slug:slug>/download/", resources.download, name="download"),
]
