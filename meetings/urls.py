from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("calendar.ics", views.CalendarFeedView.as_view(), name="calendar"),
    path(
        "reminders/unsubscribe/<str:token>/",
        views.ReminderUnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path(
        "invitations/<int:pk>/answer/<str:token>/",
        views.InvitationAnswerView.as_view(),
        name="invitation_answer",
    ),
    path("<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", views.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("<slug:slug>/rsvp/", views.RsvpView.as_view(), name="rsvp"),
    path("<slug:slug>/documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
]
