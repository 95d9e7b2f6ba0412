"""The Knowledge Hub's records: resources (`resources`) and the submissions that become them
(`submissions`: calls for papers, submissions, their versions, reviews and notifications).

Everything is importable from `knowledgehub.models`, as it was when this was one module.
"""

from knowledgehub.models.resources import (
    DEFAULT_SEARCH_CONFIG,
    DOI_PATTERN,
    LICENCE_URLS,
    SDG_NAMES,
    SEARCH_CONFIGS,
    Licence,
    Resource,
    ResourceAuthor,
    ResourceKind,
    ResourceLanguage,
    ResourceQuerySet,
    ResourceStatus,
    Sdg,
    TextExtractionStatus,
    Theme,
    normalise_doi,
    resource_file_path,
    search_config_expression,
    validate_doi,
)
from knowledgehub.models.submissions import (
    SUBMISSION_LICENCES,
    CallEligibility,
    CallForPapers,
    NotificationDelivery,
    Recommendation,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionAuthor,
    SubmissionState,
    SubmissionTransition,
    SubmissionVersion,
    submission_file_path,
)

# The outbox's one DeliveryState, importable from here as it was before there was one outbox.
from untfsse.core.outbox.models import DeliveryState

__all__ = [
    "DEFAULT_SEARCH_CONFIG",
    "DOI_PATTERN",
    "LICENCE_URLS",
    "SDG_NAMES",
    "SEARCH_CONFIGS",
    "SUBMISSION_LICENCES",
    "CallEligibility",
    "CallForPapers",
    "DeliveryState",
    "Licence",
    "NotificationDelivery",
    "Recommendation",
    "Resource",
    "ResourceAuthor",
    "ResourceKind",
    "ResourceLanguage",
    "ResourceQuerySet",
    "ResourceStatus",
    "Review",
    "ReviewAssignment",
    "Sdg",
    "Submission",
    "SubmissionAuthor",
    "SubmissionState",
    "SubmissionTransition",
    "SubmissionVersion",
    "TextExtractionStatus",
    "Theme",
    "normalise_doi",
    "resource_file_path",
    "search_config_expression",
    "submission_file_path",
    "validate_doi",
]
