"""The Reviewers group: accounts the secretariat may ask to review submissions.

Reviewers need no admin access (they work on their own pages), so the group carries no
permissions; membership alone makes a user eligible (see `knowledgehub.selectors.eligible_reviewers`).
"""

from django.contrib.auth.models import Group

REVIEWERS_GROUP = "Reviewers"


def ensure_reviewers_group(**kwargs) -> None:
    """Create the Reviewers group if it does not exist (run after every migrate)."""
    Group.objects.get_or_create(name=REVIEWERS_GROUP)
