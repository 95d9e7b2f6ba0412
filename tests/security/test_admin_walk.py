"""Every registered ModelAdmin, walked as each kind of staff account an attacker could hold.

For every admin the project registers (its own and the third parties' it keeps), as a staff
account with no group and no permission, as a staff account in each group the project defines,
the walk requests the changelist, its search, each of its filters, the add, change, delete and
history pages (GET and POST), the autocomplete lookups that point at the model, and every action
by POST. What each kind may do is written below, admin by admin and action by action: a new
admin or a new action without a line here fails `test_every_admin_and_action_has_an_expectation`.
Every refused write is followed by a check that the database did not change; an allowed write is
made inside a transaction that is rolled back, so the walk leaves the world as it found it.
"""

import hashlib
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actionplan.services import progress_update_post
from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.models import NotificationDelivery, Theme
from meetings.models import DeliveryState, MinutesCirculationDelivery, MinutesVersion
from members.groups import SECRETARIAT_GROUP
from members.models import AffiliationRequest
from tests.factories import RoleFactory, UserFactory
from tests.factories.meetings import AgendaItemFactory, ReminderDeliveryFactory
from tests.security.world import build_world
from untfsse.portal.models import SiteText

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class May:
    """What one kind of staff account may do in one admin, on the object the walk takes.
    `delete` may also be RECORD_KEPT; `actions` names every action the admin has, each with
    whether this account is offered it."""

    view: bool = False
    add: bool = False
    change: bool = False
    delete: bool | str = False
    actions: dict = field(default_factory=dict)


# The confirmation page opens and lists what deleting would take along, but the deletion is
# refused: some of it is a record nobody deletes in the admin (e-mails sent, minutes' earlier
# texts). A meeting is cancelled, never deleted, once it has such a record.
RECORD_KEPT = "record kept"


def nothing(*actions: str) -> May:
    return May(actions=dict.fromkeys(actions, False))


# Every action of every admin, as registered.
ACTIONS = {
    "auth.Group": ["delete_selected"],
    "account.EmailAddress": ["delete_selected", "make_verified"],
    "untfsse.SiteText": ["delete_selected"],
    "members.User": ["delete_selected"],
    "members.Organisation": ["delete_selected", "export_directory_with_contacts"],
    "members.Person": ["delete_selected"],
    "members.Role": ["delete_selected"],
    "members.AffiliationRequest": ["delete_selected", "approve_selected", "reject_selected"],
    "members.AffiliationInvitation": ["delete_selected", "send_again"],
    "meetings.Meeting": [
        "delete_selected",
        "invite_member_focal_points",
        "invite_observer_focal_points",
        "record_attendance_from_invitations",
        "mark_held",
        "cancel_meetings",
        "circulate_minutes",
        "approve_minutes",
        "publish_minutes",
        "export_attendance",
        "send_due_reminders_now",
        "retry_failed_reminders",
    ],
    "meetings.ReminderDelivery": ["delete_selected", "retry_failed"],
    "meetings.MinutesCirculationDelivery": ["delete_selected", "retry_failed"],
    "meetings.AgendaItem": ["delete_selected"],
    "meetings.Invitation": ["delete_selected"],
    "meetings.MinutesVersion": ["delete_selected"],
    "knowledgehub.Resource": ["delete_selected", "withdraw_selected", "republish_selected"],
    "knowledgehub.Theme": ["delete_selected"],
    "knowledgehub.Sdg": ["delete_selected"],
    "knowledgehub.CallForPapers": ["delete_selected"],
    "knowledgehub.Submission": [
        "delete_selected",
        "decide_under_review",
        "decide_revisions_requested",
        "decide_accepted",
        "decide_rejected",
        "decide_published",
    ],
    "knowledgehub.NotificationDelivery": ["delete_selected", "retry_failed"],
    "actionplan.ActionPlan": ["delete_selected"],
    "actionplan.PriorityArea": ["delete_selected"],
    "actionplan.ActionItem": ["delete_selected"],
    "actionplan.ProgressUpdate": ["delete_selected"],
}


def offered(label: str, *allowed: str) -> dict:
    """The admin's actions, with only `allowed` offered."""
    unknown = set(allowed) - set(ACTIONS[label])
    assert not unknown, unknown
    return {name: name in allowed for name in ACTIONS[label]}


def editor(label: str, *, add=True, delete=True, actions=()) -> May:
    return May(
        view=True,
        add=add,
        change=True,
        delete=delete,
        actions=offered(label, *(["delete_selected"] if delete else []), *actions),
    )


def reader(label: str, *, actions=()) -> May:
    """Sees the list and each object, edits none (the delivery logs still offer their retry
    action to those Django lets change the rows)."""
    return May(view=True, actions=offered(label, *actions))


# The Secretariat group: every record of the portal's own apps, within what each admin
# narrows; accounts and their addresses stay the superuser's (members.groups).
SECRETARIAT = {
    "auth.Group": nothing(*ACTIONS["auth.Group"]),
    "account.EmailAddress": reader("account.EmailAddress"),
    "untfsse.SiteText": editor("untfsse.SiteText"),
    # The object walked is an ordinary account: the name is the secretariat's to correct.
    "members.User": May(view=True, change=True, actions=offered("members.User")),
    "members.Organisation": editor(
        "members.Organisation", actions=["export_directory_with_contacts"]
    ),
    "members.Person": editor("members.Person"),
    "members.Role": editor("members.Role"),
    "members.AffiliationRequest": editor(
        "members.AffiliationRequest", add=False, actions=["approve_selected", "reject_selected"]
    ),
    "members.AffiliationInvitation": editor(
        "members.AffiliationInvitation", actions=["send_again"]
    ),
    "meetings.Meeting": May(
        view=True,
        add=True,
        change=True,
        delete=RECORD_KEPT,  # the walked meeting has sent a reminder
        actions=offered("meetings.Meeting", *ACTIONS["meetings.Meeting"]),
    ),
    "meetings.ReminderDelivery": reader("meetings.ReminderDelivery", actions=["retry_failed"]),
    "meetings.MinutesCirculationDelivery": reader(
        "meetings.MinutesCirculationDelivery", actions=["retry_failed"]
    ),
    # Only the action items it discusses are chosen there; the agenda is edited on the meeting.
    "meetings.AgendaItem": May(view=True, change=True, actions=offered("meetings.AgendaItem")),
    # Invitations are made, never edited: the answers are the invitees'.
    "meetings.Invitation": May(
        view=True,
        add=True,
        delete=True,
        actions=offered("meetings.Invitation", "delete_selected"),
    ),
    "meetings.MinutesVersion": reader("meetings.MinutesVersion"),
    "knowledgehub.Resource": editor(
        "knowledgehub.Resource", delete=False, actions=["withdraw_selected", "republish_selected"]
    ),
    "knowledgehub.Theme": editor("knowledgehub.Theme"),
    "knowledgehub.Sdg": editor("knowledgehub.Sdg", add=False, delete=False),
    "knowledgehub.CallForPapers": editor("knowledgehub.CallForPapers"),
    "knowledgehub.Submission": editor(
        "knowledgehub.Submission",
        add=False,
        delete=False,
        actions=[name for name in ACTIONS["knowledgehub.Submission"] if name != "delete_selected"],
    ),
    "knowledgehub.NotificationDelivery": reader(
        "knowledgehub.NotificationDelivery", actions=["retry_failed"]
    ),
    "actionplan.ActionPlan": editor("actionplan.ActionPlan"),
    "actionplan.PriorityArea": editor("actionplan.PriorityArea"),
    "actionplan.ActionItem": editor("actionplan.ActionItem"),
    "actionplan.ProgressUpdate": editor("actionplan.ProgressUpdate"),
}

# A staff account with no group and no permission, and one in the Reviewers group (which
# carries no permission: reviewers work on their own pages): nothing anywhere.
NOTHING = {label: nothing(*names) for label, names in ACTIONS.items()}
EXPECTED = {"no_permission": NOTHING, "reviewer_staff": NOTHING, "secretariat": SECRETARIAT}


def test_every_admin_and_action_has_an_expectation():
    registered = {
        model._meta.label: sorted(name for _func, name, _desc in model_admin._get_base_actions())
        for model, model_admin in admin.site._registry.items()
    }
    assert registered == {label: sorted(names) for label, names in ACTIONS.items()}
    for kind, expectations in EXPECTED.items():
        assert set(expectations) == set(registered), kind
        for label, may in expectations.items():
            assert sorted(may.actions) == registered[label], (kind, label)


def test_every_action_declares_its_permissions():
    undeclared = [
        f"{model._meta.label}.{name}"
        for model, model_admin in admin.site._registry.items()
        for func, name, _desc in model_admin._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]
    assert undeclared == []


# --- The world, with an object for every admin -----------------------------------------------
@pytest.fixture
def admin_world(settings):
    world = build_world()
    secretariat = world.users["secretariat"]
    ReminderDeliveryFactory(
        meeting=world.meeting,
        person=world.users["member_fp"].person,
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="550 refused",
    )
    MinutesCirculationDelivery.objects.create(
        minutes=world.past_meeting.minutes,
        person=world.users["member_fp"].person,
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="550 refused",
    )
    AgendaItemFactory(meeting=world.meeting)
    NotificationDelivery.objects.filter(
        pk__in=NotificationDelivery.objects.values("pk")[:1]
    ).update(state=DeliveryState.FAILED, attempts=5, last_error="550 refused")
    RoleFactory(person=world.users["lead_fp"].person, organisation=world.other_organisation)
    AffiliationRequest.objects.create(
        user=world.users["verified"],
        organisation=world.other_organisation,
        name="Ana Request",
        position="Coordinator",
    )
    progress_update_post(
        item=world.item,
        by=secretariat,
        date=timezone.localdate(),
        text="Started",
        status="in_progress",
        progress=10,
    )
    minutes = world.past_meeting.minutes
    MinutesVersion.objects.create(
        minutes=minutes, body=minutes.body, status=minutes.status, saved_by=secretariat
    )
    Theme.objects.get_or_create(name="Public policies", slug="public-policies")
    SiteText.objects.get_or_create(key="walk", defaults={"title": "Walk", "body": "Text"})
    staff = {
        "no_permission": UserFactory(is_staff=True),
        "reviewer_staff": UserFactory(is_staff=True),
        "secretariat": secretariat,
    }
    Group.objects.get(name=REVIEWERS_GROUP).user_set.add(staff["reviewer_staff"])
    assert list(secretariat.groups.values_list("name", flat=True)) == [SECRETARIAT_GROUP]
    return world, staff


def walked_object(model, model_admin, world, superuser):
    """One object of the model, as the superuser's admin lists it (an ordinary account for
    users: the secretariat may change those, not staff ones)."""
    request = RequestFactory().get("/")
    request.user = superuser
    queryset = model_admin.get_queryset(request).order_by("pk")
    if model._meta.label == "members.User":
        queryset = queryset.filter(is_staff=False)
    instance = queryset.first()
    assert instance is not None, f"the world has no {model._meta.label} to walk"
    return instance


def filter_queries(model_admin, base_url, superuser) -> list[str]:
    """The first two choices of each of the changelist's filters, as query strings."""
    request = RequestFactory().get(base_url)
    request.user = superuser
    changelist = model_admin.get_changelist_instance(request)
    queries = []
    for spec in changelist.filter_specs:
        choices = [choice["query_string"] for choice in spec.choices(changelist)]
        queries += [query for query in choices if query != "?"][:2]
    return queries


def autocomplete_queries(target_model) -> list[str]:
    """Every autocomplete lookup of the admins (and their inlines) that points at the model."""
    queries = []
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, names in sources:
            for name in names:
                if source._meta.get_field(name).remote_field.model is target_model:
                    queries.append(
                        f"?app_label={source._meta.app_label}&model_name="
                        f"{source._meta.model_name}&field_name={name}&term=a"
                    )
    return sorted(set(queries))


# --- The database, before and after ------------------------------------------------------------
UNTRACKED = {"django_session"}  # signing in writes the session; nothing the walk tests


def database_fingerprint() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table in UNTRACKED or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.db_table}:{list(rows)!r}".encode())
    return digest.hexdigest()


class RolledBack(Exception):
    pass


def post_rolled_back(client, path, data):
    """POST as the user would, then undo whatever it wrote."""
    try:
        with transaction.atomic():
            response = client.post(path, data)
            raise RolledBack(response)
    except RolledBack as rolled_back:
        return rolled_back.args[0]


class Walk:
    def __init__(self, client, kind):
        self.client = client
        self.kind = kind
        self.failures = []

    def expect_get(self, path, allowed: bool, *, allowed_status=200):
        status = self.client.get(path).status_code
        expected = allowed_status if allowed else 403
        if status != expected:
            self.failures.append(f"{self.kind} GET {path}: {status}, expected {expected}")

    def expect_post(self, path, data, allowed: bool, *, refused_status=403):
        if allowed:
            status = post_rolled_back(self.client, path, data).status_code
            if status in (403, 404) or status >= 500:
                self.failures.append(f"{self.kind} POST {path} {data}: {status}, expected it done")
            return
        before = database_fingerprint()
        status = self.client.post(path, data).status_code
        if status != refused_status:
            self.failures.append(
                f"{self.kind} POST {path} {data}: {status}, expected {refused_status}"
            )
        if database_fingerprint() != before:
            self.failures.append(f"{self.kind} POST {path} {data}: the database changed")


def actions_shown(client, changelist_url) -> set[str]:
    """The actions the changelist offers in its drop-down."""
    form = client.get(changelist_url).context["action_form"]
    return {name for name, _label in form.fields["action"].choices if name} if form else set()


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_admin_walk(client, admin_world, kind):
    world, staff = admin_world
    superuser = world.users["superuser"]
    client.force_login(staff[kind])
    walk = Walk(client, kind)
    index = client.get("/admin/")
    assert index.status_code == 200
    sees_nothing = all(not may.view and not may.change for may in EXPECTED[kind].values())
    assert ("You don’t have permission to view or edit anything." in index.content.decode()) == (
        sees_nothing
    )
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        may = EXPECTED[kind][label]
        sees = may.view or may.change
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        instance = walked_object(model, model_admin, world, superuser)
        pk = instance.pk

        walk.expect_get(base, sees)
        if model_admin.search_fields or model_admin.get_search_fields(None):
            walk.expect_get(f"{base}?q=a", sees)
        for query in filter_queries(model_admin, base, superuser):
            walk.expect_get(f"{base}{query}", sees)
        walk.expect_get(f"{base}add/", may.add)
        walk.expect_post(f"{base}add/", {}, may.add)
        walk.expect_get(f"{base}{pk}/change/", sees)
        walk.expect_post(f"{base}{pk}/change/", {}, may.change)
        walk.expect_get(f"{base}{pk}/delete/", bool(may.delete))
        walk.expect_post(f"{base}{pk}/delete/", {"post": "yes"}, may.delete is True)
        walk.expect_get(f"{base}{pk}/history/", sees)
        for query in autocomplete_queries(model):
            walk.expect_get(f"{reverse('admin:autocomplete')}{query}", may.view)

        offered_actions = {name for name, allowed in may.actions.items() if allowed}
        if sees and (shown := actions_shown(client, base)) != offered_actions:
            walk.failures.append(f"{kind} {label}: actions {shown}, expected {offered_actions}")
        # A refused action on a list the account can see is not among the choices: the admin
        # says "No action selected" and redirects back, or, with no action offered at all,
        # shows the list again; either way nothing changes.
        refused_status = (302 if offered_actions else 200) if sees else 403
        for name, allowed in may.actions.items():
            data = {"action": name, ACTION_CHECKBOX_NAME: [str(pk)], "index": "0"}
            walk.expect_post(base, data, allowed, refused_status=refused_status)
    assert walk.failures == [], "\n".join(walk.failures)
