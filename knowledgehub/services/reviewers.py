"""Who may be asked to review: the secretariat grants and withdraws the reviewer role from its
own page, without a superuser (the role is the Reviewers group, which carries no permission)."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from knowledgehub.groups import REVIEWERS_GROUP
from members.actors import require_secretariat
from untfsse.core.audit import audit_record


def reviewer_grant(*, user, by) -> bool:
    """Make `user` a reviewer the secretariat can assign. Returns False when they already were.
    Raises PermissionDenied unless `by` is the secretariat, ValidationError for an inactive
    account."""
    require_secretariat(by)
    if not user.is_active:
        raise ValidationError(_("This account is closed: it cannot review."))
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
        if user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.add(group)
        audit_record(
            actor=by, action="reviewer.grant", obj=user, changes={"reviewer": [False, True]}
        )
    return True


def reviewer_withdraw(*, user, by) -> bool:
    """Take the reviewer role back: the secretariat can no longer assign `user` (reviews they
    wrote stay). Returns False when they were not a reviewer. Raises PermissionDenied unless
    `by` is the secretariat."""
    require_secretariat(by)
    with transaction.atomic():
        group = Group.objects.filter(name=REVIEWERS_GROUP).first()
        if group is None or not user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.remove(group)
        audit_record(
            actor=by, action="reviewer.withdraw", obj=user, changes={"reviewer": [True, False]}
        )
    return True
