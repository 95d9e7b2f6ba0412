"""The kit's models: the base model every app's own models build on, and the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """When a record was created and last changed; the base of the portal's own models."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change of state made by a service: who acted, what they did, to what, what changed.

    Written by `untfsse.core.audit.audit_record` inside the service's own transaction (a change
    rolled back leaves no entry), and never changed afterwards. The actor's label and the
    object's short text are stored, so an entry still reads correctly once the account or the
    object is gone.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (actor, at) index below serves the lookups
    )
    # "the system" for the portal's own work; otherwise the account as it was named then.
    actor_label = models.CharField(_("actor label"), max_length=300)
    action = models.CharField(_("action"), max_length=64)
    area = models.CharField(_("area"), max_length=64)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (content type, object id, at) index below serves the lookups
    )
    # Empty when the action was on several objects at once (their ids are in `changes`).
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    content_areas = ()  # shown on no cached page: the activity page is read fresh each time

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="core_audit_newest"),
            models.Index(fields=["area", "-at"], name="core_audit_area"),
            models.Index(fields=["content_type", "object_id", "-at"], name="core_audit_object"),
            models.Index(fields=["actor", "-at"], name="core_audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.object_repr}"
