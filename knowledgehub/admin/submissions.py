"""The secretariat's admin for calls for papers and submissions.

Submissions are read here, never edited field by field: reviewers are assigned in an inline and
every decision is an action, both through the services (knowledgehub.services.submissions), so
the rules, the timeline and the e-mails are those of the portal's own pages. A secretariat
member never sees their own submission here (they cannot decide on it, nor read its reviews).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from knowledgehub.models import (
    CallForPapers,
    NotificationDelivery,
    ReviewAssignment,
    Submission,
    SubmissionAuthor,
    SubmissionState,
    SubmissionTransition,
    SubmissionVersion,
)
from knowledgehub.notifications import deliveries_retry_failed
from knowledgehub.selectors import eligible_reviewers
from knowledgehub.services.submissions import review_assign, submission_transition
from untfsse.core.outbox.admin import DeliveryAdminMixin

S = SubmissionState

# A sentence per state the submissions were moved to, agreeing with their number.
STATE_CHANGED = {
    S.DRAFT: ngettext_lazy(
        "%(count)d submission is back in draft.",
        "%(count)d submissions are back in draft.",
        "count",
    ),
    S.SUBMITTED: ngettext_lazy(
        "%(count)d submission is marked as submitted.",
        "%(count)d submissions are marked as submitted.",
        "count",
    ),
    S.UNDER_REVIEW: ngettext_lazy(
        "%(count)d submission is now under review.",
        "%(count)d submissions are now under review.",
        "count",
    ),
    S.REVISIONS_REQUESTED: ngettext_lazy(
        "Revisions are requested for %(count)d submission.",
        "Revisions are requested for %(count)d submissions.",
        "count",
    ),
    S.ACCEPTED: ngettext_lazy(
        "%(count)d submission is accepted.", "%(count)d submissions are accepted.", "count"
    ),
    S.PUBLISHED: ngettext_lazy(
        "%(count)d submission is published in the Knowledge Hub.",
        "%(count)d submissions are published in the Knowledge Hub.",
        "count",
    ),
    S.REJECTED: ngettext_lazy(
        "%(count)d submission is rejected.", "%(count)d submissions are rejected.", "count"
    ),
    S.WITHDRAWN: ngettext_lazy(
        "%(count)d submission is withdrawn.", "%(count)d submissions are withdrawn.", "count"
    ),
}


@admin.register(CallForPapers)
class CallForPapersAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "eligibility", "submission_count"]
    list_filter = ["eligibility"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "opens_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(submission_count=Count("submissions"))

    @admin.display(description=_("submissions"), ordering="submission_count")
    def submission_count(self, call):
        return call.submission_count


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubmissionAuthorInline(ReadOnlyInline):
    model = SubmissionAuthor
    fields = ["order", "name", "affiliation", "person"]
    readonly_fields = ["order", "name", "affiliation", "person"]


class SubmissionVersionInline(ReadOnlyInline):
    model = SubmissionVersion
    fields = ["number", "file_link", "submitted_at", "note"]
    readonly_fields = ["number", "file_link", "submitted_at", "note"]

    def get_queryset(self, request):
        # The version the submitter is still preparing is theirs alone.
        return super().get_queryset(request).filter(submitted_at__isnull=False)

    @admin.display(description=_("file"))
    def file_link(self, version):
        if not version.pdf:
            return "—"
        return format_html('<a href="{}">{}</a>', version.file_url, version.original_name)


class SubmissionTransitionInline(ReadOnlyInline):
    model = SubmissionTransition
    fields = ["at", "from_state", "to_state", "by", "note"]
    readonly_fields = ["at", "from_state", "to_state", "by", "note"]


class ReviewAssignmentInline(ReadOnlyInline):
    model = ReviewAssignment
    fk_name = "submission"
    verbose_name = _("reviewer")
    verbose_name_plural = _("reviewers")
    fields = ["reviewer", "due_on", "assigned_by", "assigned_at", "reviews_given"]
    readonly_fields = fields

    @admin.display(description=_("reviews"))
    def reviews_given(self, assignment):
        reviews = assignment.reviews.select_related("version")
        text = format_html_join(
            ", ",
            "v{}: {}",
            ((review.version.number, review.get_recommendation_display()) for review in reviews),
        )
        return text or "—"


class AddReviewerInline(admin.TabularInline):
    """Blank rows to assign reviewers; saved through review_assign (it checks the reviewer,
    starts the review and tells the reviewer), never by the admin itself."""

    model = ReviewAssignment
    fk_name = "submission"
    verbose_name = _("new reviewer")
    verbose_name_plural = _("assign reviewers")
    fields = ["reviewer", "due_on"]
    extra = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.state in (S.SUBMITTED, S.UNDER_REVIEW, S.REVISIONS_REQUESTED)
            and super().has_add_permission(request, obj)
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        queryset = eligible_reviewers()
        if obj is not None:
            assigned = obj.assignments.values_list("reviewer_id", flat=True)
            queryset = queryset.exclude(pk=obj.submitter_id).exclude(pk__in=list(assigned))
        formset.form.base_fields["reviewer"].queryset = queryset
        return formset


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_(
            "Sent with the reviewers' comments to the author (never their confidential "
            "comments). Required when asking for revisions."
        ),
    )


def _decision_action(to_state: str, description: str):
    def action(modeladmin, request, queryset):
        return modeladmin.decide(request, queryset, to_state, description)

    action.__name__ = f"decide_{to_state}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "submitter", "call", "state", "state_changed_at", "reviewer_count"]
    list_filter = ["state", "call"]
    search_fields = ["title", "submitter__email", "submitter__name", "authors__name"]
    date_hierarchy = "created_at"
    inlines = [
        SubmissionAuthorInline,
        SubmissionVersionInline,
        ReviewAssignmentInline,
        AddReviewerInline,
        SubmissionTransitionInline,
    ]
    fields = [
        "state",
        "review_page",
        "submitter",
        "call",
        "title",
        "kind",
        "language",
        "licence",
        "abstract",
        "sdgs",
        "themes",
        "cover_note",
        "resource",
        "reviews",
        "created_at",
        "state_changed_at",
    ]
    readonly_fields = fields
    actions = [
        _decision_action(S.UNDER_REVIEW, _("Start the review of the selected submissions")),
        _decision_action(S.REVISIONS_REQUESTED, _("Ask the authors for revisions")),
        _decision_action(S.ACCEPTED, _("Accept the selected submissions")),
        _decision_action(S.REJECTED, _("Reject the selected submissions")),
        _decision_action(S.PUBLISHED, _("Publish the selected accepted submissions")),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(state=S.DRAFT)
            .exclude(submitter=request.user)
            .select_related("submitter", "call")
            .annotate(reviewer_count=Count("assignments", distinct=True))
        )

    def has_add_permission(self, request):
        return False  # submissions come from the submitters' form

    def has_delete_permission(self, request, obj=None):
        return False  # the timeline is the record; a submitter withdraws instead

    @admin.display(description=_("reviewers"), ordering="reviewer_count")
    def reviewer_count(self, submission):
        return submission.reviewer_count

    @admin.display(description=_("review page"))
    def review_page(self, submission):
        return format_html('<a href="{}">{}</a>', submission.get_review_url(), _("Open"))

    @admin.display(description=_("reviews"))
    def reviews(self, submission):
        rows = [
            (
                assignment.reviewer,
                review.version.number,
                review.get_recommendation_display(),
                review.comments_to_author,
                review.confidential_comments or "—",
            )
            for assignment in submission.assignments.select_related("reviewer")
            for review in assignment.reviews.select_related("version")
        ]
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<p><strong>{} (v{}): {}</strong><br>{}<br><em>{}</em></p>",
            rows,
        )

    def save_formset(self, request, form, formset, change):
        # Only the "assign reviewers" rows can have changed: the other inline is read only.
        if formset.model is not ReviewAssignment:
            return super().save_formset(request, form, formset, change)
        submission = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            try:
                review_assign(
                    submission=submission,
                    reviewer=inline_form.cleaned_data["reviewer"],
                    by=request.user,
                    due_on=inline_form.cleaned_data.get("due_on"),
                )
            except (ValidationError, PermissionDenied) as error:
                messages_text = getattr(error, "messages", [str(error)])
                self.message_user(request, " ".join(messages_text), messages.ERROR)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def decide(self, request, queryset, to_state: str, title: str):
        form = DecisionNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for submission in queryset:
                try:
                    submission_transition(
                        submission=submission,
                        to_state=to_state,
                        by=request.user,
                        note=form.cleaned_data["note"],
                    )
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    text = " ".join(getattr(error, "messages", [str(error)]))
                    self.message_user(request, f"{submission}: {text}", messages.ERROR)
            self.message_user(
                request,
                STATE_CHANGED[to_state] % {"count": done},
                messages.SUCCESS if done else messages.WARNING,
            )
            return HttpResponseRedirect(request.get_full_path())
        return TemplateResponse(
            request,
            "admin/knowledgehub/submission/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "form": form,
                "submissions": queryset,
                "action": request.POST.get("action", ""),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(DeliveryAdminMixin, admin.ModelAdmin):
    retry_failed_service = staticmethod(deliveries_retry_failed)
    list_display = ["template", "email", "submission", "state", "attempts", "sent_at"]
    list_filter = ["state", "template"]
    search_fields = ["email", "submission__title"]

    def get_queryset(self, request):
        # Like the submissions themselves: a secretariat member's own paper is not theirs to
        # follow here (its e-mails would tell them who reviews it).
        return (
            super()
            .get_queryset(request)
            .select_related("submission")
            .exclude(submission__submitter=request.user)
        )

    def retried_message(self, retried: int) -> str:
        return ngettext(
            "%(count)d e-mail queued again.", "%(count)d e-mails queued again.", retried
        ) % {"count": retried}
