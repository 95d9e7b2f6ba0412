"""The portal's URLs. English pages have no prefix; French and Spanish live under /fr/ and /es/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from actionplan.sitemaps import ActionPlanSitemap
from knowledgehub.feeds import LatestResourcesFeed
from knowledgehub.sitemaps import KnowledgeHubSitemap
from knowledgehub.views import oai_endpoint
from meetings.feeds import MeetingReportsFeed
from meetings.sitemaps import MeetingPagesSitemap, MeetingSitemap
from untfsse.core import views as kit_views
from untfsse.portal import views
from untfsse.portal.sitemaps import StaticPagesSitemap

sitemaps = {
    "pages": StaticPagesSitemap,
    "meeting-pages": MeetingPagesSitemap,
    "meetings": MeetingSitemap,
    "action-plan": ActionPlanSitemap,
    "knowledge-hub": KnowledgeHubSitemap,
}

handler500 = "untfsse.core.views.server_error"

# The admin signs in through allauth's page, with its rate limits and verified addresses, so
# there is one sign-in to protect; a signed-in user who is not staff gets 403 there.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", kit_views.healthz, name="healthz"),
    path("robots.txt", kit_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("feeds/meetings/", MeetingReportsFeed(), name="feed_meetings"),
    path("admin/", admin.site.urls),
    # Django's set_language: the admin header's language switcher (the cookie the admin follows).
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/knowledge-hub/", LatestResourcesFeed(), name="knowledgehub_feed"),
    path("oai", oai_endpoint, name="oai"),
    # The read API: no language prefix (it answers in English, codes rather than labels).
    path("api/", include("untfsse.portal.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("me/", views.FocalPointPageView.as_view(), name="me"),
    path("me/data/", views.PersonalDataExportView.as_view(), name="me_data_export"),
    path("me/delete/", views.AccountDeleteView.as_view(), name="me_account_delete"),
    path("secretariat/", views.SecretariatDashboardView.as_view(), name="secretariat_dashboard"),
    path(
        "secretariat/reports/attendance/",
        views.AttendanceReportView.as_view(),
        name="secretariat_attendance_report",
    ),
    path(
        "secretariat/reports/attendance.csv",
        views.AttendanceReportView.as_view(),
        {"as_csv": True},
        name="secretariat_attendance_report_csv",
    ),
    path("secretariat/activity/", views.ActivityView.as_view(), name="secretariat_activity"),
    path(
        "secretariat/activity.csv",
        views.ActivityView.as_view(),
        {"as_csv": True},
        name="secretariat_activity_csv",
    ),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("knowledge-hub/", include("knowledgehub.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
