"""Anonymous pages come from the cache until their content changes; signed-in pages never do."""

import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Organisation
from tests.factories import OrganisationFactory, SecretariatUserFactory, UserFactory
from untfsse.deployment import redis_cache

pytestmark = pytest.mark.django_db


def test_anonymous_page_is_served_from_the_cache(client, django_assert_num_queries):
    OrganisationFactory(acronym="ILO")
    first = client.get("/members/")
    with django_assert_num_queries(0):
        second = client.get("/members/")
    assert second.content == first.content
    assert "Cookie" in second["Vary"]
    # The security headers are still added to the cached page.
    assert "default-src 'self'" in second["Content-Security-Policy"]


def test_admin_change_shows_at_once_on_the_cached_page(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(acronym="ILO", name="International Labour Organization")
    assert "International Labour Organization" in client.get("/members/").content.decode()

    admin_client = type(client)()
    admin_client.force_login(SecretariatUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/members/organisation/{organisation.pk}/change/",
            {
                "acronym": "ILO",
                "name": "International Labour Office",
                "slug": "ilo",
                "kind": "member",
                "country": "CH",
                "website": "",
                "joined_on": "",
                "left_on": "",
                "description": "",
                "people-TOTAL_FORMS": "0",
                "people-INITIAL_FORMS": "0",
                "roles-TOTAL_FORMS": "0",
                "roles-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302
    html = client.get("/members/").content.decode()
    assert "International Labour Office" in html
    assert "International Labour Organization" not in html


def test_signed_in_user_never_receives_the_cached_anonymous_page(client):
    OrganisationFactory(acronym="ILO")
    anonymous_html = client.get("/members/").content.decode()
    assert "Sign in" in anonymous_html
    client.force_login(UserFactory(name="Barbara Sak"))
    html = client.get("/members/").content.decode()
    assert "Barbara Sak" in html
    assert "Sign in</a>" not in html


def test_anonymous_visitor_never_receives_a_signed_in_page(client):
    OrganisationFactory(acronym="ILO")
    client.force_login(UserFactory(name="Barbara Sak"))
    client.get("/members/")
    anonymous = type(client)()
    html = anonymous.get("/members/").content.decode()
    assert "Barbara Sak" not in html


def test_each_language_has_its_own_cached_page(client):
    OrganisationFactory(acronym="ILO")
    assert client.get("/members/").headers["Content-Language"] == "en"
    assert client.get("/fr/members/").headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in client.get("/fr/members/").content.decode()


def test_a_cache_outage_is_a_miss_not_an_error(client, settings):
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:9/1", timeout_seconds=0.2)}
    try:
        OrganisationFactory(acronym="ILO")
        response = client.get("/members/")
        assert response.status_code == 200
        assert "ILO" in response.content.decode()
        assert cache.get("anything", "missing") == "missing"
    finally:
        del settings.CACHES


def _queries_of(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    return len(queries)


def test_a_made_up_query_parameter_is_answered_but_never_stored(client):
    OrganisationFactory(acronym="ILO")
    assert _queries_of(client, "/members/?utm_source=spam") > 0
    assert _queries_of(client, "/members/?utm_source=spam") > 0
    # The page itself is still stored for its real address.
    assert _queries_of(client, "/members/") > 0
    assert _queries_of(client, "/members/") == 0


def test_the_parameters_a_page_reads_share_one_entry_whatever_their_order(
    client, django_assert_num_queries
):
    OrganisationFactory(acronym="ILO", kind="member", country="CH")
    first = client.get("/members/?kind=member&country=CH")
    with django_assert_num_queries(0):
        second = client.get("/members/?country=CH&kind=member")
    assert second.content == first.content


def test_an_overlong_query_string_is_not_stored(client):
    OrganisationFactory(acronym="ILO")
    assert _queries_of(client, "/members/", {"q": "x" * 600}) > 0
    assert _queries_of(client, "/members/", {"q": "x" * 600}) > 0


@pytest.mark.parametrize(
    ("view", "filterset"),
    [
        ("members.views.DirectoryView", "members.filters.OrganisationFilter"),
        ("meetings.views.MeetingListView", "meetings.filters.MeetingFilter"),
        ("actionplan.views.PlanDetailView", "actionplan.filters.ActionItemFilter"),
        ("knowledgehub.views.resources.SearchView", "knowledgehub.filters.ResourceFilter"),
    ],
)
def test_each_filtered_page_declares_every_filter_it_reads(view, filterset):
    from django.utils.module_loading import import_string

    declared = set(import_string(view).cache_query_params)
    assert set(import_string(filterset).base_filters) <= declared


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client_per_connection_pool(settings):
    from django_redis.cache import RedisCache

    redis_cache = RedisCache(settings.REDIS_URL, {})
    first = redis_cache.client.get_client(write=False)
    assert redis_cache.client.get_client(write=True) is first
    redis_cache.set("reuse-check", 1, 30)
    assert redis_cache.get("reuse-check") == 1
    redis_cache.delete("reuse-check")


def _signed_in(name: str, **person):
    from django.test import Client

    from tests.factories import FocalPointFactory

    user = FocalPointFactory(name=name)
    if person:
        type(user.person).objects.filter(pk=user.person.pk).update(**person)
    reader = Client()
    reader.force_login(user)
    return reader


def test_signed_in_readers_share_the_listing_but_each_gets_their_own_frame(
    django_capture_on_commit_callbacks,
):
    OrganisationFactory(acronym="ILO", name="International Labour Organization")
    barbara, laurence = _signed_in("Barbara Sak"), _signed_in("Laurence Kwark")
    first = _queries_of(barbara, "/members/")
    second = _queries_of(laurence, "/members/")
    # The second reader's page skips the directory's queries (organisations, countries).
    assert first - second == 2
    html = laurence.get("/members/").content.decode()
    assert "Laurence Kwark" in html and "Barbara Sak" not in html
    assert "International Labour Organization" in html

    organisation = Organisation.objects.get(acronym="ILO")
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "ILO, renamed"
        organisation.save()
    assert "ILO, renamed" in laurence.get("/members/").content.decode()


def test_the_shared_meeting_list_is_kept_per_time_zone():
    import datetime

    from tests.factories.meetings import PastMeetingFactory

    PastMeetingFactory(
        title="Morning meeting",
        time_zone="Europe/Zurich",
        start=datetime.datetime(2024, 3, 5, 8, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 3, 5, 9, tzinfo=datetime.UTC),
    )
    geneva = _signed_in("In Geneva", time_zone="Europe/Zurich")
    seoul = _signed_in("In Seoul", time_zone="Asia/Seoul")
    assert "(Europe/Zurich)" in geneva.get("/meetings/").content.decode()
    seoul_html = seoul.get("/meetings/").content.decode()
    assert "(Asia/Seoul)" in seoul_html
    assert "(Europe/Zurich)." not in seoul_html


@pytest.mark.parametrize(
    "url", ["/", "/members/", "/meetings/", "/knowledge-hub/?q=cooperatives", "/action-plan/"]
)
def test_a_second_signed_in_reader_is_spared_the_shared_reads(url):
    from tests.factories.actionplan import ActionItemFactory
    from tests.factories.knowledgehub import ResourceFactory

    item = ActionItemFactory()
    type(item.plan).objects.filter(pk=item.plan_id).update(is_current=True)
    ResourceFactory(title="Cooperatives and decent work")
    first = _queries_of(_signed_in("First reader"), url)
    second = _queries_of(_signed_in("Second reader"), url)
    assert second < first


def test_the_order_of_a_repeated_parameter_makes_its_own_entry(client):
    OrganisationFactory(acronym="ILO", kind="member")
    OrganisationFactory(acronym="RIPESS", kind="observer")
    # The filters read the last value: these two addresses are different pages.
    first = client.get("/members/?kind=member&kind=observer").content.decode()
    second = client.get("/members/?kind=observer&kind=member").content.decode()
    assert first != second


def test_a_lost_content_version_never_brings_back_an_older_page(client):
    OrganisationFactory(acronym="ILO")
    assert _queries_of(client, "/members/") > 0
    assert _queries_of(client, "/members/") == 0
    cache.delete("content-version:members")  # evicted, or Redis restarted without its data
    assert _queries_of(client, "/members/") > 0


def test_a_meeting_changed_through_its_service_shows_at_once_on_cached_pages(
    client, django_capture_on_commit_callbacks
):
    from meetings.services import meeting_cancel
    from tests.factories.meetings import MeetingFactory

    meeting = MeetingFactory(slug="next-one", title="Next regular meeting")
    assert "This meeting was cancelled." not in client.get("/meetings/next-one/").content.decode()
    assert _queries_of(client, "/meetings/next-one/") == 0  # served from the cache
    assert _queries_of(client, "/meetings/") > 0
    assert _queries_of(client, "/meetings/") == 0

    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=SecretariatUserFactory())

    assert "This meeting was cancelled." in client.get("/meetings/next-one/").content.decode()
    assert "Cancelled" in client.get("/meetings/").content.decode()


# --- A copy stale by age is remade by one request, the others get it meanwhile ---------------
def _page_served(monkeypatch):
    """serve(at): serve_public_page with the clock at `at`; and the list of pages made."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from untfsse.core import cache as page_cache

    made = []

    def render():
        made.append(1)
        return HttpResponse(f"copy {len(made)}")

    def serve(at: float) -> str:
        # The cache module's clock only: the cache itself keeps real time.
        clock = SimpleNamespace(time=lambda: at, time_ns=time.time_ns)
        monkeypatch.setattr(page_cache, "time", clock)
        request = RequestFactory().get("/stale-test/")
        request.user = AnonymousUser()
        areas = (page_cache.ContentArea.SITE,)
        return page_cache.serve_public_page(request, areas, render).content.decode()

    return serve, made


def _remaking_key() -> str:
    from django.test import RequestFactory

    from untfsse.core import cache as page_cache

    return "remaking:" + page_cache._page_key(RequestFactory().get("/stale-test/"), ())


def test_a_copy_stale_by_age_is_remade_by_one_request_while_the_others_get_it(monkeypatch):
    from untfsse.core import cache as page_cache

    serve, made = _page_served(monkeypatch)
    start = 1_000_000.0
    assert serve(start) == "copy 1"
    assert serve(start + 299) == "copy 1"  # fresh
    later = start + page_cache.PUBLIC_PAGE_TIMEOUT + 1
    # Another request is remaking it: this one gets the copy it would have had a moment before.
    assert cache.add(_remaking_key(), 1, 30)
    assert serve(later) == "copy 1"
    assert len(made) == 1
    # Once no one is remaking it, the next request does, and the new copy is fresh.
    cache.delete(_remaking_key())
    assert serve(later) == "copy 2"
    assert serve(later + 1) == "copy 2"
    assert len(made) == 2


def test_a_copy_made_under_older_content_versions_is_never_served(monkeypatch):
    from untfsse.core import cache as page_cache

    serve, made = _page_served(monkeypatch)
    assert serve(1_000_000.0) == "copy 1"
    page_cache.advance_content_versions([page_cache.ContentArea.SITE])
    assert cache.add(_remaking_key(), 1, 30)  # even while another request remakes it
    assert serve(1_000_001.0) == "copy 2"
    assert len(made) == 2
