"""Who may post progress updates: the one rule, used by the item page and the services."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from actionplan.models import ActionItem
from members.standing import standing_of


def can_post_progress_update(user, item) -> bool:
    """True for an affiliated focal point of one of the item's lead organisations.

    The lead organisations are read from `item.lead_organisations.all()`, so a page that
    prefetched them asks no further query.
    """
    if user is None or not user.is_authenticated:
        return False
    lead_ids = [organisation.pk for organisation in item.lead_organisations.all()]
    return standing_of(user).is_focal_point_of(lead_ids)


def can_post_to_item_at(user, *, plan_slug: str, code: str) -> bool:
    """can_post_progress_update for the item at this address, without reading the item: one
    query for an affiliated focal point, none for anyone else."""
    standing = standing_of(user)
    if not standing.is_affiliated:
        return False
    return ActionItem.objects.filter(
        plan__slug=plan_slug, code=code, lead_organisations=standing.organisation
    ).exists()


class LeadFocalPointRequiredForPostMixin(AccessMixin):
    """Anyone may read the page; only a lead organisation's focal point may POST to it.

    Anonymous visitors who POST are sent to sign in; everyone else gets 403. The view
    provides `get_item()`.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            if not can_post_progress_update(request.user, self.get_item()):
                raise PermissionDenied("Only focal points of a lead organisation post updates.")
        return super().dispatch(request, *args, **kwargs)
