"""The admin as the secretariat's desk: the portal's name, an index that opens on what needs
doing (the dashboard's rows), and the models grouped by the secretariat's tasks rather than by
the app that happens to hold them.

Django's admin is filled by every app's `admin.register`; this site only changes how it is
presented, so it lives in the shell, which may read every area (the dashboard does). It is made
the default site by `untfsse.portal.apps.DeskAdminConfig` in INSTALLED_APPS.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from members.standing import standing_of
from untfsse.portal.dashboard import secretariat_dashboard

# The secretariat's tasks, each with the models it is done in (by label), in the order shown.
# A model no task names is shown under "Other", so registering one never hides it.
DESK_GROUPS: list[tuple[str, object, list[str]]] = [
    ("meetings-cycle", _("Meetings cycle"), ["meetings.Meeting", "meetings.Invitation", "meetings.MinutesVersion"]),
    (
        "action-plan",
        _("Action plan"),
        ["actionplan.ActionPlan", "actionplan.PriorityArea", "actionplan.ActionItem", "actionplan.ProgressUpdate"],
    ),
    (
        "knowledge-hub",
        _("Knowledge Hub & reviews"),
        ["knowledgehub.Submission", "knowledgehub.CallForPapers", "knowledgehub.Resource", "knowledgehub.Theme", "knowledgehub.Sdg"],
    ),
    (
        "people",
        _("People & organisations"),
        ["members.Organisation", "members.Person", "members.Role", "members.AffiliationRequest", "members.AffiliationInvitation"],
    ),
    (
        "outbox-audit",
        _("Outbox & audit"),
        ["meetings.ReminderDelivery", "meetings.MinutesCirculationDelivery", "knowledgehub.NotificationDelivery"],
    ),
    ("accounts", _("Accounts"), ["members.User", "account.EmailAddress", "auth.Group"]),
    ("site", _("Public site"), ["untfsse.SiteText"]),
]  # fmt: skip
OTHER_GROUP = ("other", _("Other"))


def _activity_entry() -> dict:
    """The audit trail is a page of the shell, not a model: a row of "Outbox & audit"."""
    return {
        "name": _("Activity: who changed what"),
        "object_name": "AuditActivity",
        "admin_url": reverse("secretariat_activity"),
        "add_url": None,
        "view_only": True,
        "perms": {"view": True},
    }


def desk_groups(app_list: list[dict]) -> list[dict]:
    """Django's list of apps and their models, regrouped by the secretariat's tasks. A group
    has no address of its own (`app_url` empty): its models link to their lists."""
    models = {
        f"{app['app_label']}.{model['object_name']}": model
        for app in app_list
        for model in app["models"]
    }
    groups = []
    for key, name, labels in DESK_GROUPS:
        chosen = [models.pop(label) for label in labels if label in models]
        if key == "outbox-audit" and chosen:
            chosen.append(_activity_entry())
        if chosen:
            groups.append({"name": name, "app_label": key, "app_url": "", "models": chosen})
    if models:
        rest = sorted(models.values(), key=lambda model: str(model["name"]).lower())
        groups.append(
            {"name": OTHER_GROUP[1], "app_label": OTHER_GROUP[0], "app_url": "", "models": rest}
        )
    return groups


class DeskAdminSite(admin.AdminSite):
    site_header = settings.SITE_NAME
    site_title = settings.SITE_NAME
    index_title = _("The secretariat's desk")

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list  # an app's own page lists that app's models, as Django does
        return desk_groups(app_list)

    def each_context(self, request):
        context = super().each_context(request)
        try:
            context["language_switch_url"] = reverse("set_language")
        except NoReverseMatch:
            context["language_switch_url"] = ""
        return context

    def index(self, request, extra_context=None):
        standing = standing_of(request.user)
        sections = secretariat_dashboard(viewer=request.user) if standing.is_secretariat else []
        extra = {
            "desk_sections": [section for section in sections if section.rows],
            "desk_quiet_sections": [section for section in sections if not section.rows],
            **(extra_context or {}),
        }
        return super().index(request, extra_context=extra)
