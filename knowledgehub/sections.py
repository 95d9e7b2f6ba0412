"""What the Knowledge Hub contributes to pages of lower apps (the organisation page)."""

from knowledgehub.selectors import resources_of_organisation


def organisation_resources_section(*, organisation, request) -> dict | None:
    """The organisation page's "Knowledge Hub resources" section, or None without any."""
    resources = resources_of_organisation(organisation)
    return {"resources": resources} if resources else None
