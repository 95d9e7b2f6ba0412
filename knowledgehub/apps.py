from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgehubConfig(AppConfig):
    name = "knowledgehub"
    verbose_name = _("Knowledge Hub")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from knowledgehub import checks  # noqa: F401 (registers the start-up check)
        from knowledgehub.checks import search_extension_health
        from knowledgehub.groups import ensure_reviewers_group
        from knowledgehub.notifications import SUBMISSION_EMAIL
        from knowledgehub.sections import organisation_resources_section
        from members.sections import OrganisationSection, register_organisation_section
        from untfsse.core import navigation
        from untfsse.core.health import register_health_check
        from untfsse.core.outbox.kinds import register_kind

        register_kind(SUBMISSION_EMAIL)
        register_health_check("search_extension", search_extension_health)

        post_migrate.connect(ensure_reviewers_group, dispatch_uid="knowledgehub.reviewers_group")

        navigation.register(label=_("Knowledge Hub"), url_name="knowledgehub:search", order=40)
        register_organisation_section(
            OrganisationSection(
                key="knowledge-hub",
                title=_("Knowledge Hub resources"),
                template_name="knowledgehub/_organisation_resources.html",
                order=40,
                context=organisation_resources_section,
            )
        )
