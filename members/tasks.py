"""E-mails about affiliations, sent by Celery after the change has committed."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import AffiliationInvitation, AffiliationRequest
from members.tokens import invitation_token
from untfsse.emails import TemplatedEmail, absolute_url


@shared_task(name="members.send_affiliation_decision")
def send_affiliation_decision(*, request_id: int) -> None:
    """Tell the user the secretariat's decision, once: a retried task finds it already sent."""
    with transaction.atomic():
        request = (
            AffiliationRequest.objects.select_for_update(of=("self",))
            .select_related("user", "organisation", "person")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.decided_at is None or request.decision_emailed_at is not None:
            return
        language = request.person.preferred_language if request.person else "en"
        TemplatedEmail(
            to=request.user.email,
            template="members/email/affiliation_decision",
            context={"request": request, "portal_url": absolute_url(reverse("home"))},
            language=language,
        ).send()
        request.decision_emailed_at = timezone.now()
        request.save(update_fields=["decision_emailed_at"])


@shared_task(name="members.notify_secretariat_of_affiliation_request")
def notify_secretariat_of_affiliation_request(*, request_id: int) -> None:
    request = (
        AffiliationRequest.objects.select_related("user", "organisation")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return
    admin_path = reverse("admin:members_affiliationrequest_change", args=[request.pk])
    TemplatedEmail(
        to=settings.SECRETARIAT_EMAIL,
        template="members/email/affiliation_request_received",
        context={"request": request, "admin_url": absolute_url(admin_path)},
    ).send()


@shared_task(name="members.send_affiliation_invitation")
def send_affiliation_invitation(*, invitation_id: int) -> None:
    invitation = (
        AffiliationInvitation.objects.select_related("organisation", "person")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return
    link = absolute_url(
        reverse("members:invitation", kwargs={"token": invitation_token(invitation.pk)})
    )
    TemplatedEmail(
        to=invitation.email,
        template="members/email/account_invitation",
        context={"invitation": invitation, "link": link},
        language=invitation.person.preferred_language if invitation.person else "en",
    ).send()
    AffiliationInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
