"""The permission matrix: every URL of the portal against every kind of user.

`test_every_url_has_an_entry` walks the URLconf and fails when a URL is added without a row
here, so nothing new can slip in unreviewed. Each row says, for each kind of user, what a GET
(and, for forms, a POST) must answer: 200, a redirect to sign in, 403, 404 where existence must
not leak, 405, 410. The admin is checked as a family: every one of its URLs, for the three
kinds of users that matter there.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.factories.actionplan import ActionItemFactory
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db

USERS = [
    "anonymous",
    "unverified",
    "verified",
    "observer_fp",
    "member_fp",
    "lead_fp",
    "submitter",
    "assigned_reviewer",
    "unassigned_reviewer",
    "secretariat",
    "superuser",
]
LOGIN = "login"  # a redirect to the sign-in page that comes back afterwards


@pytest.fixture
def world(settings) -> World:
    return build_world()


def expect(default, **overrides) -> dict:
    return {user: overrides.get(user, default) for user in USERS}


EVERYONE = expect(200)
SIGNED_IN = expect(200, anonymous=LOGIN)
SECRETARIAT_ONLY = expect(403, anonymous=LOGIN, secretariat=200, superuser=200)
# Focal points of current members and observers, and the secretariat.
SUBMITTER_ONLY = expect(404, anonymous=LOGIN, submitter=200)
MEMBERS_ONLY_404 = expect(
    404, observer_fp=200, member_fp=200, lead_fp=200, secretariat=200, superuser=200
)


@dataclass
class Row:
    """One URL: how to build its path from the world, and what each user gets."""

    path: Callable[[World], str]
    get: dict
    post: dict | None = None
    post_data: Callable[[World], dict] | None = None


def resource_path(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/knowledge-hub/{w.resource.pk}-{w.resource.slug}/{suffix}"


MATRIX: dict[str, Row] = {
    # The shell and interop.
    "healthz": Row(lambda w: "/healthz", EVERYONE),
    "robots_txt": Row(lambda w: "/robots.txt", EVERYONE),
    "sitemap": Row(lambda w: "/sitemap.xml", EVERYONE),
    "feed_meetings": Row(lambda w: "/feeds/meetings/", EVERYONE),
    "knowledgehub_feed": Row(lambda w: "/feeds/knowledge-hub/", EVERYONE),
    "oai": Row(
        lambda w: "/oai?verb=Identify",
        EVERYONE,
        post=EVERYONE,
        post_data=lambda w: {"verb": "Identify"},
    ),
    "home": Row(lambda w: "/", EVERYONE),
    "me": Row(
        lambda w: "/me/",
        SIGNED_IN,
        # People without a person record (not linked to an organisation) have no preferences.
        post=expect(403, anonymous=LOGIN, observer_fp=302, member_fp=302, lead_fp=302),
        post_data=lambda w: {"preferred_language": "fr", "time_zone": "UTC"},
    ),
    # Everyone signed in downloads their own data (a zip, by POST) and may ask to delete their
    # account; a wrong password deletes nobody (staff and reviewers are refused in any case).
    "me_data_export": Row(
        lambda w: "/me/data/",
        expect(405, anonymous=LOGIN),
        post=SIGNED_IN,
        post_data=lambda w: {},
    ),
    "me_account_delete": Row(
        lambda w: "/me/delete/",
        SIGNED_IN,
        post=expect(400, anonymous=LOGIN),
        post_data=lambda w: {"password": "not-the-password"},
    ),
    "secretariat_dashboard": Row(lambda w: "/secretariat/", SECRETARIAT_ONLY),
    "secretariat_attendance_report": Row(
        lambda w: "/secretariat/reports/attendance/", SECRETARIAT_ONLY
    ),
    "secretariat_attendance_report_csv": Row(
        lambda w: "/secretariat/reports/attendance.csv", SECRETARIAT_ONLY
    ),
    "secretariat_activity": Row(lambda w: "/secretariat/activity/", SECRETARIAT_ONLY),
    "secretariat_activity_csv": Row(lambda w: "/secretariat/activity.csv", SECRETARIAT_ONLY),
    # Django's language switcher (the admin header's): a cookie and a redirect, for anyone.
    "set_language": Row(
        lambda w: "/i18n/setlang/",
        expect(302),
        post=expect(302),
        post_data=lambda w: {"language": "fr", "next": "/admin/"},
    ),
    # Accounts (django-allauth). Signed-in users are sent on from the sign-in and sign-up pages.
    "account_login": Row(lambda w: "/accounts/login/", expect(302, anonymous=200)),
    "account_signup": Row(lambda w: "/accounts/signup/", expect(302, anonymous=200)),
    "account_logout": Row(lambda w: "/accounts/logout/", expect(200, anonymous=302)),
    "account_inactive": Row(lambda w: "/accounts/inactive/", EVERYONE),
    "account_reauthenticate": Row(lambda w: "/accounts/reauthenticate/", SIGNED_IN),
    "account_email": Row(lambda w: "/accounts/email/", SIGNED_IN),
    "account_email_verification_sent": Row(lambda w: "/accounts/confirm-email/", EVERYONE),
    "account_change_password": Row(lambda w: "/accounts/password/change/", SIGNED_IN),
    # Everyone here has a password, so "set" sends them to "change".
    "account_set_password": Row(lambda w: "/accounts/password/set/", expect(302, anonymous=LOGIN)),
    "account_reset_password": Row(lambda w: "/accounts/password/reset/", EVERYONE),
    "account_reset_password_done": Row(lambda w: "/accounts/password/reset/done/", EVERYONE),
    "account_reset_password_from_key_done": Row(
        lambda w: "/accounts/password/reset/key/done/", EVERYONE
    ),
    # A forged key shows the "bad link" page; it never reveals or changes anything.
    "account_confirm_email": Row(lambda w: "/accounts/confirm-email/forged-key/", EVERYONE),
    "account_reset_password_from_key": Row(
        lambda w: "/accounts/password/reset/key/1-forged/", EVERYONE
    ),
    # No sign-in code was requested, so there is nothing to confirm.
    "account_confirm_login_code": Row(lambda w: "/accounts/login/code/confirm/", expect(302)),
    # Members.
    "members:directory": Row(lambda w: "/members/", EVERYONE),
    "members:governance": Row(lambda w: "/members/governance/", EVERYONE),
    "members:organisation": Row(lambda w: "/members/ilo/", EVERYONE),
    "members:affiliation": Row(
        lambda w: "/members/affiliation/",
        expect(200, anonymous=LOGIN, unverified=403),
        post=expect(302, anonymous=LOGIN, unverified=403),
        post_data=lambda w: {"organisation": w.other_organisation.pk, "name": "Someone"},
    ),
    # The invitation link: anonymous visitors go to sign up, signed-in users are told it was
    # sent to another address.
    "members:invitation": Row(lambda w: f"/members/invitation/{w.invitation_token}/", expect(302)),
    # Meetings.
    "meetings:list": Row(lambda w: "/meetings/", EVERYONE),
    "meetings:calendar": Row(lambda w: "/meetings/calendar.ics", EVERYONE),
    "meetings:detail": Row(lambda w: "/meetings/next-meeting/", EVERYONE),
    "meetings:meeting_calendar": Row(lambda w: "/meetings/next-meeting/calendar.ics", EVERYONE),
    "meetings:rsvp": Row(
        lambda w: "/meetings/next-meeting/rsvp/",
        expect(
            403,
            anonymous=LOGIN,
            observer_fp=405,
            member_fp=405,
            lead_fp=405,
            secretariat=405,
            superuser=405,
        ),
        # Only the invited answer; the secretariat is not invited to this meeting.
        post=expect(403, anonymous=LOGIN, observer_fp=302, member_fp=302, lead_fp=302),
        post_data=lambda w: {"response": "accepted"},
    ),
    "meetings:document": Row(
        lambda w: f"/meetings/next-meeting/documents/{w.members_document.pk}/", MEMBERS_ONLY_404
    ),
    # The one-click unsubscribe works without signing in (the token is the permission).
    "meetings:unsubscribe": Row(
        lambda w: f"/meetings/reminders/unsubscribe/{w.unsubscribe_token}/",
        EVERYONE,
        post=EVERYONE,
        post_data=lambda w: {},
    ),
    # An invitation e-mail's answer link works without signing in (the signed token is the
    # permission); opening it only asks for confirmation (the answer is tested in
    # tests/meetings/test_invitations.py: a link answers once, so not by every visitor here).
    "meetings:invitation_answer": Row(lambda w: w.invitation_answer_path, EVERYONE),
    # Action plan.
    "actionplan:current": Row(lambda w: "/action-plan/", EVERYONE),
    "actionplan:plan": Row(lambda w: "/action-plan/2022-2024/", EVERYONE),
    "actionplan:changes": Row(lambda w: "/action-plan/2022-2024/changes/", EVERYONE),
    "actionplan:export": Row(lambda w: "/action-plan/2022-2024/export.csv", EVERYONE),
    "actionplan:report": Row(lambda w: "/action-plan/2022-2024/report/", EVERYONE),
    "actionplan:item": Row(
        lambda w: "/action-plan/2022-2024/1.1/",
        EVERYONE,
        # Only focal points of the lead organisation post from the page; the secretariat edits
        # updates in the admin.
        post=expect(403, anonymous=LOGIN, lead_fp=302),
        post_data=lambda w: {
            "date": timezone.localdate().isoformat(),
            "text": "Progress",
            "status": "in_progress",
            "progress": "10",
        },
    ),
    # Knowledge Hub.
    "knowledgehub:search": Row(lambda w: "/knowledge-hub/?q=economy", EVERYONE),
    "knowledgehub:resource": Row(resource_path(), EVERYONE),
    "knowledgehub:cite_bib": Row(resource_path("cite.bib"), EVERYONE),
    "knowledgehub:cite_ris": Row(resource_path("cite.ris"), EVERYONE),
    "knowledgehub:download": Row(resource_path("download/"), EVERYONE),
    # Calls for papers and submissions. A submission and its files exist only for its submitter,
    # its assigned reviewers and the secretariat: everyone else gets 404, never 403.
    "knowledgehub:calls": Row(lambda w: "/knowledge-hub/calls/", EVERYONE),
    "knowledgehub:call": Row(lambda w: f"/knowledge-hub/calls/{w.call.slug}/", EVERYONE),
    "knowledgehub:submit": Row(
        lambda w: "/knowledge-hub/submit/",
        expect(200, anonymous=LOGIN, unverified=403),
        # Allowed, but incomplete: the form comes back with its errors (400), nothing lost.
        post=expect(400, anonymous=LOGIN, unverified=403),
        post_data=lambda w: {"title": "A new paper"},
    ),
    # Each user's own list (empty for most of them).
    "knowledgehub:my_submissions": Row(lambda w: "/knowledge-hub/my-submissions/", SIGNED_IN),
    "knowledgehub:my_submission": Row(
        lambda w: f"/knowledge-hub/my-submissions/{w.submission.pk}/", SUBMITTER_ONLY
    ),
    "knowledgehub:edit_submission": Row(
        lambda w: f"/knowledge-hub/my-submissions/{w.draft.pk}/edit/",
        SUBMITTER_ONLY,
        post=expect(404, anonymous=LOGIN, submitter=400),
        post_data=lambda w: {"title": "My unfinished draft, retitled"},
    ),
    # The e-mail check comes first, for any id: a 403 there reveals nothing.
    "knowledgehub:withdraw_submission": Row(
        lambda w: f"/knowledge-hub/my-submissions/{w.submission.pk}/withdraw/",
        expect(404, anonymous=LOGIN, unverified=403, submitter=200),
        post=expect(404, anonymous=LOGIN, unverified=403, submitter=302),
        post_data=lambda w: {},
    ),
    "knowledgehub:submission_file": Row(
        lambda w: f"/knowledge-hub/submissions/{w.submission.pk}/versions/1/file/",
        expect(404, submitter=200, assigned_reviewer=200, secretariat=200, superuser=200),
    ),
    # The reviewer's list shows only their assignments (empty for everyone else).
    "knowledgehub:reviews": Row(lambda w: "/knowledge-hub/reviews/", SIGNED_IN),
    # The secretariat grants and withdraws the reviewer role.
    "knowledgehub:reviewers": Row(
        lambda w: "/knowledge-hub/reviewers/",
        SECRETARIAT_ONLY,
        post=expect(403, anonymous=LOGIN, secretariat=302, superuser=302),
        post_data=lambda w: {"email": w.users["verified"].email},
    ),
    "knowledgehub:review_submission": Row(
        lambda w: f"/knowledge-hub/reviews/{w.submission.pk}/",
        expect(404, anonymous=LOGIN, assigned_reviewer=200, secretariat=200, superuser=200),
        # Only the assigned reviewer has a review form; the secretariat decides, it does not review.
        post=expect(404, anonymous=LOGIN, assigned_reviewer=302, secretariat=403, superuser=403),
        post_data=lambda w: {
            "form": "review",
            "recommendation": "minor",
            "comments_to_author": "Good",
        },
    ),
    # The read API: public records for everyone, the same for every user (it never looks at
    # who is signed in); read-only, so a POST is refused.
    "api:index": Row(lambda w: "/api/v1/", EVERYONE),
    "api:schema": Row(lambda w: "/api/v1/schema/", EVERYONE),
    "api:docs": Row(lambda w: "/api/v1/docs/", EVERYONE),
    "api:organisation-list": Row(lambda w: "/api/v1/organisations/", EVERYONE),
    "api:organisation-detail": Row(
        lambda w: f"/api/v1/organisations/{w.other_organisation.pk}/", EVERYONE
    ),
    "api:person-list": Row(lambda w: "/api/v1/people/", EVERYONE),
    "api:office-list": Row(lambda w: "/api/v1/offices/", EVERYONE),
    "api:meeting-list": Row(
        lambda w: "/api/v1/meetings/", EVERYONE, post=expect(405), post_data=lambda w: {}
    ),
    "api:meeting-detail": Row(lambda w: f"/api/v1/meetings/{w.meeting.pk}/", EVERYONE),
    "api:action-plan-list": Row(lambda w: "/api/v1/action-plans/", EVERYONE),
    "api:action-plan-detail": Row(lambda w: f"/api/v1/action-plans/{w.plan.pk}/", EVERYONE),
    "api:action-plan-items": Row(lambda w: f"/api/v1/action-plans/{w.plan.pk}/items/", EVERYONE),
    "api:action-plan-updates": Row(
        lambda w: f"/api/v1/action-plans/{w.plan.pk}/updates/", EVERYONE
    ),
    "api:action-item-detail": Row(lambda w: f"/api/v1/action-items/{w.item.pk}/", EVERYONE),
    "api:resource-list": Row(lambda w: "/api/v1/resources/?q=economy", EVERYONE),
    "api:resource-detail": Row(lambda w: f"/api/v1/resources/{w.resource.pk}/", EVERYONE),
    "api:withdrawn-resource-list": Row(lambda w: "/api/v1/resources/withdrawn/", EVERYONE),
    "api:call-list": Row(lambda w: "/api/v1/calls/", EVERYONE),
    # Any other address under /api/: a JSON 404.
    "api:not-found": Row(lambda w: "/api/v1/no-such-list/", expect(404)),
}


def url_names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<{pattern.pattern}>"
            yield f"{namespace}:{name}" if namespace else name


def test_every_url_has_an_entry():
    names = set(url_names(get_resolver().url_patterns))
    unreviewed = sorted(name for name in names - set(MATRIX) if not name.startswith("admin"))
    assert unreviewed == [], "add these URLs to the permission matrix"


def assert_security_headers(response) -> None:
    """Every HTML page: a Content Security Policy without 'unsafe-inline', no MIME sniffing,
    a referrer policy and no framing by other sites."""
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def sign_in(client, world: World, kind: str) -> None:
    client.logout()
    if world.users[kind] is not None:
        client.force_login(world.users[kind])


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_get(client, world, name):
    row = MATRIX[name]
    path = row.path(world)
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        response = client.get(path)
        results[kind] = outcome(response)
        if response.get("Content-Type", "").startswith("text/html"):
            assert_security_headers(response)
    assert results == row.get


@pytest.mark.parametrize("name", sorted(name for name, row in MATRIX.items() if row.post))
def test_matrix_post(client, world, name):
    row = MATRIX[name]
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        results[kind] = outcome(client.post(row.path(world), row.post_data(world)))
    assert results == row.post


# --- Object-level cases ----------------------------------------------------------------------
def test_members_only_document_by_direct_url_and_by_guessing(client, world):
    public = f"/meetings/next-meeting/documents/{world.public_document.pk}/"
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        results[kind] = client.get(public).status_code
    assert results == expect(200)
    # A document id that belongs to another meeting is not found through this one.
    sign_in(client, world, "member_fp")
    assert (
        client.get(f"/meetings/past-meeting/documents/{world.members_document.pk}/").status_code
        == 404
    )
    # Files have no public media URL at all.
    assert client.get(f"/media/{world.members_document.file.name}").status_code == 404


def test_circulated_minutes_only_for_members(client, world):
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        results[kind] = (
            "The minutes of the previous meeting were adopted."
            in client.get("/meetings/past-meeting/").content.decode()
        )
    assert results == {
        user: user in {"observer_fp", "member_fp", "lead_fp", "secretariat", "superuser"}
        for user in USERS
    }


def test_join_link_only_for_members(client, world):
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        results[kind] = (
            "https://meet.example.org/untfsse"
            in client.get("/meetings/next-meeting/").content.decode()
        )
    assert results == {
        user: user in {"observer_fp", "member_fp", "lead_fp", "secretariat", "superuser"}
        for user in USERS
    }


def test_another_organisations_action_item_refuses_an_update(client, world):
    other = ActionItemFactory(
        area=world.item.area, order=2, leads=[OrganisationFactory(acronym="OECD")]
    )
    sign_in(client, world, "lead_fp")
    response = client.post(
        f"/action-plan/2022-2024/{other.code}/",
        {
            "date": timezone.localdate().isoformat(),
            "text": "Mine now",
            "status": "completed",
            "progress": "100",
        },
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert (other.status, other.updates.count()) == ("not_started", 0)


def test_withdrawn_resource_is_a_tombstone_for_everyone(client, world):
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        results[kind] = client.get(
            f"/knowledge-hub/{world.withdrawn.pk}-{world.withdrawn.slug}/"
        ).status_code
    assert results == expect(410)


def test_withdrawn_resource_is_a_tombstone_in_the_api_for_everyone(client, world):
    results = {}
    for kind in USERS:
        sign_in(client, world, kind)
        response = client.get(f"/api/v1/resources/{world.withdrawn.pk}/")
        results[kind] = (response.status_code, sorted(response.json()))
    assert results == expect(
        (410, ["id", "status", "title", "url", "withdrawal_reason", "withdrawn_on"])
    )


def test_rsvp_after_the_start_is_refused(client, world):
    world.meeting.start = timezone.now() - datetime.timedelta(minutes=5)
    world.meeting.save(update_fields=["start"])
    sign_in(client, world, "member_fp")
    client.post("/meetings/next-meeting/rsvp/", {"response": "declined"})
    invitation = world.meeting.invitations.get(person=world.users["member_fp"].person)
    assert invitation.response == "none"


# --- The admin, as a family ------------------------------------------------------------------
def admin_paths(world: World) -> list[str]:
    """Every admin page that needs no form: index, app indexes, changelists, add forms and the
    change/history pages of one object of each model."""
    from django.contrib import admin

    paths = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        paths += [f"/admin/{opts.app_label}/", base, f"{base}add/"]
        instance = model_admin.get_queryset(
            type("R", (), {"user": world.users["superuser"]})()
        ).first()
        if instance is not None:
            paths += [f"{base}{instance.pk}/change/", f"{base}{instance.pk}/history/"]
    return sorted(set(paths))


# The admin pages the secretariat is refused. Requests and submissions come from users,
# deliveries and e-mails from the scheduler, versions from the minutes, the seventeen goals
# are fixed: no "add" there, on purpose. Accounts and their addresses are the superuser's to
# create (tests/security/test_privileges.py).
NOT_ADDED_HERE = {
    "/admin/knowledgehub/notificationdelivery/add/": 403,
    "/admin/knowledgehub/sdg/add/": 403,
    "/admin/knowledgehub/submission/add/": 403,
    "/admin/members/affiliationrequest/add/": 403,
    "/admin/meetings/minutesversion/add/": 403,
    "/admin/meetings/minutescirculationdelivery/add/": 403,
    "/admin/meetings/agendaitem/add/": 403,
    "/admin/meetings/reminderdelivery/add/": 403,
}
ACCOUNTS_ADDED_BY_THE_SUPERUSER = {
    "/admin/account/emailaddress/add/": 403,
    "/admin/members/user/add/": 403,
}


def secretariat_refused(paths: list[str]) -> dict:
    """Every admin page the secretariat gets something other than 200 on, with what it gets:
    Django's groups and permissions are the superuser's (403 on each of their pages, 404 on
    the index of an app with no model left to show)."""
    groups = {path: 403 for path in paths if path.startswith("/admin/auth/group/")}
    return {**NOT_ADDED_HERE, **ACCOUNTS_ADDED_BY_THE_SUPERUSER, **groups, "/admin/auth/": 404}


def test_admin_is_for_staff_only(client, world):
    paths = admin_paths(world)
    refused = secretariat_refused(paths)
    for path in paths:
        sign_in(client, world, "anonymous")
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/"), (
            path
        )
        sign_in(client, world, "member_fp")
        focal_point = client.get(path)
        assert focal_point.status_code == 302 and focal_point["Location"].startswith(
            "/admin/login/"
        ), path
        sign_in(client, world, "secretariat")
        assert client.get(path).status_code == refused.get(path, 200), path


def test_admin_pages_open_for_the_secretariat_and_superuser(client, world):
    paths = admin_paths(world)
    sign_in(client, world, "secretariat")
    statuses = {path: client.get(path).status_code for path in paths}
    assert {path: status for path, status in statuses.items() if status != 200} == (
        secretariat_refused(paths)
    )
    sign_in(client, world, "superuser")
    statuses = {path: client.get(path).status_code for path in paths}
    assert {path: status for path, status in statuses.items() if status != 200} == NOT_ADDED_HERE
