from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgehubConfig(AppConfig):
    name = "knowledgehub"
    verbose_name = _("Knowledge Hub")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from knowledgehub.groups import ensure_reviewers_group
        from knowledgehub.sections import organisation_resources_section
        from members.sections import OrganisationSection, register_organisation_section
        from untfsse.core import navigation

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
