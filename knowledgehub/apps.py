from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def organisation_resources_section(*, organisation, request) -> dict | None:
    """The organisation page's "Knowledge Hub resources" section, or None without any."""
    from knowledgehub.selectors import resources_of_organisation

    resources = resources_of_organisation(organisation)
    return {"resources": resources} if resources else None


class KnowledgehubConfig(AppConfig):
    name = "knowledgehub"
    verbose_name = _("Knowledge Hub")

    def ready(self) -> None:
        from knowledgehub.groups import ensure_reviewers_group
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
