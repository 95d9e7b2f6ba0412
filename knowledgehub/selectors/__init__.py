"""Reads of the Knowledge Hub shared by pages, feeds, sitemaps, services and other apps'
sections: resources (`resources`) and submissions (`submissions`)."""

from knowledgehub.selectors.resources import (
    latest_resources,
    resource_for_download,
    resource_for_page,
    resources_for_sitemap,
    resources_of_organisation,
    resources_waiting_for_extraction,
)
from knowledgehub.selectors.submissions import (
    MetadataChange,
    assignments_of_reviewer,
    call_for_page,
    call_submission_refusal,
    calls_for_listing,
    calls_open_to,
    eligible_reviewers,
    is_eligible_reviewer,
    submission_for_review,
    submission_for_submitter,
    submission_snapshot,
    submission_version_for_download,
    submissions_in_review,
    submissions_of_submitter,
    version_changes,
)

__all__ = [
    "MetadataChange",
    "assignments_of_reviewer",
    "call_for_page",
    "call_submission_refusal",
    "calls_for_listing",
    "calls_open_to",
    "eligible_reviewers",
    "is_eligible_reviewer",
    "latest_resources",
    "resource_for_download",
    "resource_for_page",
    "resources_for_sitemap",
    "resources_of_organisation",
    "resources_waiting_for_extraction",
    "submission_for_review",
    "submission_for_submitter",
    "submission_snapshot",
    "submission_version_for_download",
    "submissions_in_review",
    "submissions_of_submitter",
    "version_changes",
]
