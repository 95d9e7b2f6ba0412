"""Cache invalidation declared next to the data (untfsse/core/invalidation.py): every model of
the portal declares its content areas, and creating, changing or deleting a row (or linking
rows) makes exactly those areas' cached pages stale, once the transaction commits."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actionplan.models import ActionItem, ActionPlan, PriorityArea, ProgressUpdate
from knowledgehub.models import (
    CallForPapers,
    NotificationDelivery,
    Resource,
    ResourceAuthor,
    Review,
    ReviewAssignment,
    Sdg,
    Submission,
    SubmissionAuthor,
    SubmissionTransition,
    SubmissionVersion,
    Theme,
)
from meetings.models import (
    AgendaItem,
    Attendance,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesCirculationDelivery,
    MinutesVersion,
    ReminderDelivery,
    SchedulerHeartbeat,
)
from members.models import (
    AffiliationDelivery,
    AffiliationInvitation,
    AffiliationRequest,
    Organisation,
    Person,
    Role,
    User,
)
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory
from tests.factories.knowledgehub import CallForPapersFactory, ResourceFactory, make_submission
from tests.factories.meetings import MeetingFactory, MinutesFactory
from tests.knowledgehub.pdfs import make_pdf
from untfsse.core.cache import ContentArea, cache_public_page, content_versions
from untfsse.core.invalidation import content_changed, content_changes_batched, declared_areas
from untfsse.core.models import AuditEntry
from untfsse.deployment import redis_cache
from untfsse.portal.models import DigestDelivery, SiteText

# The kit and the apps, shell included: every model they define declares its areas.
PORTAL_APPS = ("core", "members", "meetings", "knowledgehub", "actionplan", "untfsse")
EVERY_AREA = tuple(ContentArea)

pytestmark = pytest.mark.django_db


def portal_models() -> list:
    return [model for label in PORTAL_APPS for model in apps.get_app_config(label).get_models()]


def versions() -> dict[ContentArea, int]:
    return {area: int(content_versions((area,))) for area in EVERY_AREA}


def advanced(before: dict, after: dict) -> set[ContentArea]:
    return {area for area in EVERY_AREA if after[area] != before[area]}


def test_every_model_of_the_portal_declares_its_content_areas():
    undeclared = [model._meta.label for model in portal_models() if declared_areas(model) is None]
    assert undeclared == []


def test_the_declarations():
    declared = {model._meta.label: declared_areas(model) for model in portal_models()}
    members, meetings = (ContentArea.MEMBERS,), (ContentArea.MEETINGS,)
    hub, plan = (ContentArea.KNOWLEDGE_HUB,), (ContentArea.ACTION_PLAN,)
    assert declared == {
        "members.User": (),
        "members.Organisation": members,
        "members.Person": members,
        "members.Role": members,
        "members.AffiliationRequest": (),
        "members.AffiliationInvitation": (),
        "members.AffiliationDelivery": (),
        "meetings.Meeting": meetings,
        "meetings.AgendaItem": meetings,
        "meetings.Document": meetings,
        "meetings.Minutes": meetings,
        "meetings.MinutesVersion": (),
        "meetings.Invitation": (),
        "meetings.Attendance": meetings,
        "meetings.ReminderDelivery": (),
        "meetings.MinutesCirculationDelivery": (),
        "meetings.SchedulerHeartbeat": (),
        "knowledgehub.Sdg": hub,
        "knowledgehub.Theme": hub,
        "knowledgehub.Resource": hub,
        "knowledgehub.ResourceAuthor": hub,
        "knowledgehub.CallForPapers": hub,
        "knowledgehub.Submission": (),
        "knowledgehub.SubmissionAuthor": (),
        "knowledgehub.SubmissionVersion": (),
        "knowledgehub.SubmissionTransition": (),
        "knowledgehub.ReviewAssignment": (),
        "knowledgehub.Review": (),
        "knowledgehub.NotificationDelivery": (),
        "actionplan.ActionPlan": plan,
        "actionplan.PriorityArea": plan,
        "actionplan.ActionItem": (*plan, *meetings),
        "actionplan.ProgressUpdate": plan,
        "untfsse.SiteText": (ContentArea.SITE,),
        "untfsse.DigestDelivery": (),
        "core.AuditEntry": (),
    }


# --- Every model, created, changed and deleted ---------------------------------------------
@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """One row of everything the walked rows point at (its own invalidations run here)."""
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(acronym="WLD")
        person = PersonFactory(organisation=organisation)
        meeting = MeetingFactory()
        item = ActionItemFactory()
        submission = make_submission(state="under_review", reviewer=SecretariatUserFactory())
        world = {
            "organisation": organisation,
            "person": person,
            "user": UserFactory(),
            "meeting": meeting,
            "minutes": MinutesFactory(meeting=meeting),
            "plan": item.plan,
            "area": item.area,
            "item": item,
            "resource": ResourceFactory(),
            "call": CallForPapersFactory(),
            "submission": submission,
            "version": SubmissionVersion.objects.get(submission=submission),
            "assignment": ReviewAssignment.objects.get(submission=submission),
        }
    return world


def _pdf(name: str = "paper.pdf") -> ContentFile:
    return ContentFile(make_pdf("Walked"), name=name)


NOW = datetime.datetime(2024, 3, 5, 9, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(hours=2)


def _new_sdg(world) -> Sdg:
    """The migration made all 17 goals: the last one is taken out to be made anew."""
    Sdg.objects.filter(number=17).delete()
    return Sdg(number=17, name="Partnerships for the goals")


# How to make one new row of each model, given the world. A new model fails
# test_every_model_is_walked until it has a line here.
NEW_ROW = {
    User: lambda w: User(email="walked@example.org"),
    Organisation: lambda w: Organisation(
        name="Walked", acronym="WALK", slug="walk", kind="partner"
    ),
    Person: lambda w: Person(name="Walked Person", organisation=w["organisation"]),
    Role: lambda w: Role(office="chair", person=w["person"], organisation=w["organisation"]),
    AffiliationRequest: lambda w: AffiliationRequest(
        user=w["user"], organisation=w["organisation"], name="Walked"
    ),
    AffiliationInvitation: lambda w: AffiliationInvitation(
        email="invited@example.org", organisation=w["organisation"], name="Walked"
    ),
    AffiliationDelivery: lambda w: AffiliationDelivery(
        purpose="invitation",
        invitation=AffiliationInvitation.objects.create(
            email="walked-invitation@example.org", organisation=w["organisation"], name="Walked"
        ),
    ),
    Meeting: lambda w: Meeting(
        kind="regular", title="Walked meeting", slug="walked", start=NOW, end=LATER
    ),
    AgendaItem: lambda w: AgendaItem(meeting=w["meeting"], title="Walked item", order=99),
    Document: lambda w: Document(meeting=w["meeting"], title="Walked", file=_pdf()),
    Minutes: lambda w: Minutes(meeting=MeetingFactory()),
    MinutesVersion: lambda w: MinutesVersion(minutes=w["minutes"], body="Text", status="draft"),
    Invitation: lambda w: Invitation(meeting=w["meeting"], person=w["person"]),
    Attendance: lambda w: Attendance(meeting=w["meeting"], person=w["person"], capacity="guest"),
    ReminderDelivery: lambda w: ReminderDelivery(
        meeting=w["meeting"],
        person=w["person"],
        scheduled_start=w["meeting"].start,
        due_at=NOW,
        next_attempt_at=NOW,
    ),
    SchedulerHeartbeat: lambda w: SchedulerHeartbeat(name="walked", last_run_at=NOW),
    Sdg: _new_sdg,
    Theme: lambda w: Theme(name="Walked", slug="walked"),
    Resource: lambda w: Resource(kind="report", title="Walked", slug="walked"),
    ResourceAuthor: lambda w: ResourceAuthor(resource=w["resource"], name="Walked", order=9),
    CallForPapers: lambda w: CallForPapers(
        title="Walked call", slug="walked", opens_at=NOW, closes_at=LATER
    ),
    Submission: lambda w: Submission(submitter=w["user"]),
    SubmissionAuthor: lambda w: SubmissionAuthor(
        submission=w["submission"], name="Walked", order=9
    ),
    SubmissionVersion: lambda w: SubmissionVersion(
        submission=w["submission"], number=99, pdf=_pdf()
    ),
    SubmissionTransition: lambda w: SubmissionTransition(
        submission=w["submission"], from_state="draft", to_state="submitted"
    ),
    ReviewAssignment: lambda w: ReviewAssignment(submission=w["submission"], reviewer=w["user"]),
    Review: lambda w: Review(
        assignment=w["assignment"],
        version=w["version"],
        recommendation="accept",
        comments_to_author="Fine.",
    ),
    MinutesCirculationDelivery: lambda w: MinutesCirculationDelivery(
        minutes=w["minutes"], person=w["person"], email="walked@example.org"
    ),
    NotificationDelivery: lambda w: NotificationDelivery(
        submission=w["submission"],
        assignment=w["assignment"],
        template="walked",
        email="walked@example.org",
    ),
    ActionPlan: lambda w: ActionPlan(
        title="Walked plan", slug="walked", period_start=2030, period_end=2031
    ),
    PriorityArea: lambda w: PriorityArea(plan=w["plan"], title="Walked area", number=9),
    ActionItem: lambda w: ActionItem(
        plan=w["plan"], area=w["area"], code="9.9", title="Walked action"
    ),
    ProgressUpdate: lambda w: ProgressUpdate(
        item=w["item"], date=datetime.date(2024, 1, 1), text="Walked", status="in_progress"
    ),
    SiteText: lambda w: SiteText(key="walked", title="Walked", body="Walked"),
    DigestDelivery: lambda w: DigestDelivery(week_starting=datetime.date(2030, 1, 7)),
    AuditEntry: lambda w: AuditEntry(
        actor_label="the system",
        action="walked.walk",
        area="meetings",
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=str(w["meeting"].pk),
        object_repr="Walked meeting",
    ),
}


def test_every_model_is_walked():
    assert sorted(model._meta.label for model in NEW_ROW) == sorted(
        model._meta.label for model in portal_models()
    )


def _observe(capture, change) -> tuple[set, set]:
    """The areas that went stale before the commit (none should) and after it."""
    before = versions()
    with capture(execute=True):
        change()
        before_commit = advanced(before, versions())
    return before_commit, advanced(before, versions())


def test_creating_changing_and_deleting_any_row_makes_its_areas_stale_after_commit(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    observed, expected = {}, {}
    for model, new_row in NEW_ROW.items():
        with capture(execute=True):
            row = new_row(world)  # whatever the row needs besides the world is made here
        declared = set(declared_areas(model))
        expected[model._meta.label] = [(set(), declared)] * 3
        observed[model._meta.label] = [
            _observe(capture, row.save),
            _observe(capture, lambda row=row: row.save()),  # saved again: a change
            _observe(capture, row.delete),
        ]
    assert observed == expected


def _links(world):
    """(owner, many-to-many field, a row to link) for every many-to-many field of the portal."""
    group, _created = Group.objects.get_or_create(name="Walked")
    targets = {
        Organisation: world["organisation"],
        Sdg: Sdg.objects.get_or_create(number=8, defaults={"name": "Decent work"})[0],
        Theme: Theme.objects.get_or_create(slug="walked-link", defaults={"name": "Walked"})[0],
        AgendaItem: AgendaItem.objects.create(meeting=world["meeting"], title="Linked", order=5),
        Group: group,
        Permission: Permission.objects.order_by("pk").first(),
    }
    owners = {
        User: world["user"],
        Resource: world["resource"],
        CallForPapers: world["call"],
        Submission: world["submission"],
        ActionItem: world["item"],
    }
    return [
        (owners[model], field, targets[field.related_model])
        for model in portal_models()
        for field in model._meta.many_to_many
    ]


def test_linking_and_unlinking_rows_makes_the_owners_areas_stale_after_commit(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        links = _links(world)
    observed, expected = {}, {}
    for owner, field, target in links:
        forward = getattr(owner, field.name)
        backward = getattr(target, field.remote_field.get_accessor_name())
        declared = set(declared_areas(type(owner)))
        name = f"{owner._meta.label}.{field.name}"
        expected[name] = [(set(), declared)] * 5
        observed[name] = [
            _observe(capture, lambda forward=forward, target=target: forward.add(target)),
            _observe(capture, lambda forward=forward, target=target: forward.remove(target)),
            _observe(capture, lambda backward=backward, owner=owner: backward.add(owner)),
            _observe(capture, lambda backward=backward, owner=owner: backward.remove(owner)),
            _observe(capture, forward.clear),
        ]
    assert len(observed) == 11
    assert observed == expected


# --- Writes that send no signal --------------------------------------------------------------
def test_a_queryset_update_says_what_it_changed(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        OrganisationFactory(acronym="ILO")
    before = versions()
    with capture(execute=True):
        Organisation.objects.update(name="Renamed")  # no signal
    assert advanced(before, versions()) == set()
    with capture(execute=True):
        content_changed(Organisation, Resource)
    assert advanced(before, versions()) == {ContentArea.MEMBERS, ContentArea.KNOWLEDGE_HUB}


def test_a_queryset_delete_sends_a_signal_per_row(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        OrganisationFactory(acronym="ILO")
    before = versions()
    with capture(execute=True):
        Organisation.objects.all().delete()
    assert advanced(before, versions()) == {ContentArea.MEMBERS}


def test_a_model_without_a_declaration_cannot_be_named():
    with pytest.raises(ImproperlyConfigured, match=r"auth\.Group declares no content_areas"):
        content_changed(Group)


def test_a_page_must_name_its_areas_with_the_constants():
    with pytest.raises(TypeError, match="cache areas must be ContentArea members"):
        cache_public_page("members")(lambda request: None)


def test_many_changes_in_one_transaction_advance_each_area_once(
    django_capture_on_commit_callbacks,
):
    before = versions()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(3):
            OrganisationFactory(acronym=f"ORG{number}")
        MeetingFactory()
    after = versions()
    assert len(callbacks) == 4
    assert {area: after[area] - before[area] for area in EVERY_AREA} == {
        ContentArea.SITE: 0,
        ContentArea.MEMBERS: 1,
        ContentArea.MEETINGS: 1,
        ContentArea.KNOWLEDGE_HUB: 0,
        ContentArea.ACTION_PLAN: 0,
    }


def test_a_batch_notes_its_changes_and_advances_each_area_once(
    django_capture_on_commit_callbacks,
):
    before = versions()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, content_changes_batched():
        for number in range(20):
            OrganisationFactory(acronym=f"ORG{number}")
        content_changed(Resource)
        assert advanced(before, versions()) == set()
    after = versions()
    assert len(callbacks) == 1
    assert {area: after[area] - before[area] for area in EVERY_AREA} == {
        ContentArea.SITE: 0,
        ContentArea.MEMBERS: 1,
        ContentArea.MEETINGS: 0,
        ContentArea.KNOWLEDGE_HUB: 1,
        ContentArea.ACTION_PLAN: 0,
    }


def test_loading_the_seed_data_advances_each_area_once(django_capture_on_commit_callbacks):
    before = versions()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_seed_data", stdout=StringIO())
    after = versions()
    assert len(callbacks) == 1
    assert {area: after[area] - before[area] for area in EVERY_AREA} == dict.fromkeys(EVERY_AREA, 1)


def test_generating_bulk_data_advances_each_area_once(django_capture_on_commit_callbacks):
    before = versions()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("generate_bulk_data", scale=0.001, stdout=StringIO())
    after = versions()
    assert len(callbacks) == 1
    # The site's own texts have no bulk data.
    assert {area: after[area] - before[area] for area in EVERY_AREA} == {
        ContentArea.SITE: 0,
        ContentArea.MEMBERS: 1,
        ContentArea.MEETINGS: 1,
        ContentArea.KNOWLEDGE_HUB: 1,
        ContentArea.ACTION_PLAN: 1,
    }


# --- Real transactions ---------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_makes_nothing_stale():
    before = versions()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganisationFactory(acronym="ILO")
        assert advanced(before, versions()) == set()
        raise RuntimeError("rolled back")
    assert advanced(before, versions()) == set()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_never_strands_a_later_change():
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            OrganisationFactory(acronym="ILO")  # its commit hook is dropped with the savepoint
            raise RuntimeError("rolled back")
        before = versions()
        MeetingFactory()
        assert advanced(before, versions()) == set()
    assert ContentArea.MEETINGS in advanced(before, versions())


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_makes_its_areas_stale_at_once():
    before = versions()
    SiteText.objects.create(key="walked", title="Walked", body="Walked")
    assert advanced(before, versions()) == {ContentArea.SITE}


def test_a_change_while_the_cache_is_away_is_saved(settings, django_capture_on_commit_callbacks):
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:9/1", timeout_seconds=0.2)}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            organisation = OrganisationFactory(acronym="ILO")
            organisation.name = "Renamed"
            organisation.save()
        assert Organisation.objects.get(acronym="ILO").name == "Renamed"
    finally:
        del settings.CACHES


# --- Pages ---------------------------------------------------------------------------------
def test_a_cached_resource_page_shows_a_download_at_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(
            title="Guide to cooperatives", pdf=SimpleUploadedFile("g.pdf", make_pdf("Guide"))
        )
    page = resource.get_absolute_url()
    downloads = "<dt>Downloads</dt><dd>{}</dd>"
    assert downloads.format(0) in client.get(page).content.decode()
    assert downloads.format(0) in client.get(page).content.decode()  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        download = client.get(
            reverse("knowledgehub:download", kwargs={"pk": resource.pk, "slug": resource.slug})
        )
    assert download.status_code == 200
    assert downloads.format(1) in client.get(page).content.decode()


def test_a_site_text_edited_in_the_admin_shows_at_once_on_the_cached_home_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = SiteText.objects.create(key="home-intro", title="Who we are", body="First words.")
    assert "First words." in client.get("/").content.decode()
    editor = type(client)()
    editor.force_login(SecretariatUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"/admin/untfsse/sitetext/{text.pk}/change/",
            {"title": "Who we are", "body": "Second words."},
        )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Second words." in html
    assert "First words." not in html


def test_no_page_is_older_than_the_last_change_of_its_areas(
    client, django_capture_on_commit_callbacks
):
    """A change made by hand in the shell, through no service at all, shows at once."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(slug="next-one", title="Next regular meeting")
    assert "Next regular meeting" in client.get("/meetings/next-one/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        meeting.title = "Renamed meeting"
        meeting.updated_at = timezone.now()
        meeting.save()
    assert "Renamed meeting" in client.get("/meetings/next-one/").content.decode()
