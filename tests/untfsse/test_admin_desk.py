"""The admin as the secretariat's desk: the portal's name, what needs doing first, the models
grouped by the secretariat's tasks, and the admin in the language its user chose (English,
French or Spanish) with every project string translated."""

import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
)
from tests.factories.actionplan import ActionItemFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
)
from untfsse.portal.admin_site import DESK_GROUPS

pytestmark = pytest.mark.django_db


# --- Branding and the index -----------------------------------------------------------------
def test_admin_is_branded_with_the_portals_name(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "<title>The secretariat&#x27;s desk | UNTFSSE Portal</title>" in html
    assert '<div id="site-name"><a href="/admin/">UNTFSSE Portal</a></div>' in html
    assert "Django administration" not in html
    assert "Django site admin" not in html


def test_index_opens_on_what_needs_doing(admin_client):
    FocalPointFactory()  # nothing waiting yet
    from members.models import AffiliationRequest

    requester = SecretariatUserFactory.build()  # an account asking to join an organisation
    requester.is_staff = False
    requester.save()
    AffiliationRequest.objects.create(user=requester, organisation=OrganisationFactory())
    html = admin_client.get("/admin/").content.decode()
    todo = html.split('id="desk-todo-title"')[1].split("</section>")[0]
    assert "Affiliation requests waiting" in todo
    assert '<a class="button" href="/secretariat/">Open the secretariat dashboard</a>' in todo
    assert html.index('id="desk-todo-title"') < html.index("app-meetings-cycle")


def test_index_groups_models_by_the_secretariats_tasks(admin_client):
    response = admin_client.get("/admin/")
    groups = [(group["app_label"], str(group["name"])) for group in response.context["app_list"]]
    assert groups == [
        ("meetings-cycle", "Meetings cycle"),
        ("action-plan", "Action plan"),
        ("knowledge-hub", "Knowledge Hub & reviews"),
        ("people", "People & organisations"),
        ("outbox-audit", "Outbox & audit"),
        ("accounts", "Accounts"),
        ("site", "Public site"),
    ]
    meetings_cycle = response.context["app_list"][0]
    assert [model["object_name"] for model in meetings_cycle["models"]] == [
        "Meeting",
        "Invitation",
        "MinutesVersion",
    ]
    outbox = response.context["app_list"][4]
    assert [str(model["name"]) for model in outbox["models"]][-1] == "Activity: who changed what"
    html = response.content.decode()
    assert '<span class="section">Meetings cycle</span>' in html


def test_every_registered_model_is_in_a_group_or_left_out_on_purpose():
    labels = {label for _key, _name, models in DESK_GROUPS for label in models}
    registered = {model._meta.label for model in admin.site._registry}
    # The agenda item's page is reached from its meeting (not listed on the index).
    assert registered - labels == {"meetings.AgendaItem"}


def test_an_apps_own_page_still_lists_that_app(admin_client):
    response = admin_client.get("/admin/meetings/")
    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["meetings"]


# --- The language ---------------------------------------------------------------------------
def test_header_switches_the_admin_to_french_and_keeps_it(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert '<html lang="en"' in html
    assert '<button type="submit" name="language" value="fr" lang="fr">FR' in html
    response = admin_client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/admin/meetings/meeting/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/meetings/meeting/"
    page = admin_client.get("/admin/meetings/meeting/")
    html = page.content.decode()
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr"' in html
    assert "Sélectionnez l’objet réunion à changer" in html or "Réunions" in html
    assert 'value="fr" lang="fr" aria-current="true" class="desk-languages__current"' in html
    # The site's pages keep their language from the address.
    assert '<html lang="en">' in admin_client.get("/meetings/").content.decode()


def test_admin_follows_the_persons_preferred_language_without_a_cookie(client):
    user = SecretariatUserFactory()
    PersonFactory(user=user, preferred_language="es")
    client.force_login(user)
    assert '<html lang="es"' in client.get("/admin/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_english(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="en"' in admin_client.get("/admin/").content.decode()


# --- No untranslated project string in French or Spanish ------------------------------------
class _VisibleText(HTMLParser):
    """The page's text as a person reads it: text nodes (options included) and the labels
    buttons and links carry in attributes; not scripts, styles, typed-in values, nor what is
    marked as written in another language (the language switcher's names)."""

    SKIPPED = {"script", "style", "textarea"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skipping = 0
        self._other_language: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.SKIPPED:
            self._skipping += 1
        if tag != "html" and attributes.get("lang"):
            self._other_language.append(tag)
            self._skipping += 1
        for name in ("title", "aria-label", "placeholder"):
            if attributes.get(name):
                self.texts.append(attributes[name])
        if tag == "input" and attributes.get("type") == "submit" and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1
        if self._other_language and self._other_language[-1] == tag:
            self._other_language.pop()
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def _english_forms(language: str) -> dict[str, str]:
    """Each project string (as English shows it: as is, capitalised, as a label with a colon)
    whose translation reads differently, mapped to its msgid."""
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    forms = {}
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgid_plural or re.search(r"%\(|\{\{|%s|%d", entry.msgid):
            continue
        if entry.msgstr.strip() == entry.msgid.strip():
            continue
        text = " ".join(entry.msgid.split())
        for form in (text, capfirst(text), f"{capfirst(text)}:", f"{capfirst(text)} :"):
            forms[form] = entry.msgid
    return forms


def _admin_pages(meeting, agenda_item) -> list[str]:
    pages = [
        "/admin/",
        "/admin/meetings/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        f"/admin/meetings/meeting/{meeting.pk}/attendance/",
        f"/admin/meetings/meeting/{meeting.pk}/minutes/circulate/",
        f"/admin/meetings/agendaitem/{agenda_item.pk}/change/",
        f"/admin/meetings/meeting/{meeting.pk}/history/",
    ]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        for name in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                pages.append(reverse("admin:{}_{}_{}".format(*info, name)))
    return pages


@pytest.mark.parametrize("language", ["fr", "es"])
def test_admin_in_french_and_spanish_has_no_untranslated_project_string(admin_client, language):
    meeting = PastMeetingFactory()
    MinutesFactory(meeting=meeting, body="Texte.")
    agenda_item = AgendaItemFactory(meeting=meeting)
    ActionItemFactory().agenda_items.add(agenda_item)
    person = PersonFactory(organisation=OrganisationFactory(kind="member"))
    InvitationFactory(
        meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
    )
    AttendanceFactory(meeting=meeting, person=person, organisation=person.organisation)
    MeetingFactory()
    english = _english_forms(language)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    untranslated, checked = {}, 0
    for url in _admin_pages(meeting, agenda_item):
        response = admin_client.get(url)
        if response.status_code != 200:
            continue  # a page the secretariat may not open (adding accounts, e.g.)
        checked += 1
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, url
        parser = _VisibleText()
        parser.feed(html)
        found = sorted({english[text] for text in parser.texts if text in english})
        if found:
            untranslated[url] = found
    assert untranslated == {}
    assert checked >= 40


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "1 réunion annulée."), ("es", "1 reunión cancelada.")],
)
def test_admin_messages_in_the_users_language(admin_client, language, message):
    meeting = MeetingFactory()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = admin_client.post(
        "/admin/meetings/meeting/",
        {"action": "cancel_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert message in response.content.decode()


def test_the_admins_language_does_not_outlive_the_request(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = admin_client.get("/admin/")
    assert response["Content-Language"] == "fr"
    assert translation.get_language() == "en"
