"""Forms of the submission pages: the paper's metadata and file, its authors (a formset with
blank rows, so that no JavaScript is needed), reviews, decisions and reviewer assignments.

Forms only check what was typed; the services decide what it means (a draft takes anything,
submitting needs it complete).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowledgehub.models import (
    SUBMISSION_LICENCES,
    CallForPapers,
    Licence,
    Recommendation,
    ResourceKind,
    ResourceLanguage,
    Review,
    Sdg,
    SubmissionState,
    Theme,
)
from knowledgehub.selectors import calls_open_to, eligible_reviewers
from knowledgehub.services.submissions import SubmissionAuthorEntry
from untfsse.core.uploads import validate_pdf_upload

PDF_HELP = _("PDF only, at most 20 MB.")
# Blank author rows offered below the filled ones; saving the draft offers more.
BLANK_AUTHOR_ROWS = 3
MAX_AUTHORS = 40


class SdgChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, sdg):
        return f"{sdg.label}: {sdg.display_name}"


def _version_with_file(submission):
    """The version whose file a new upload would replace: the one being prepared, else (for a
    revision not yet started) the last submitted one, which the revision carries forward."""
    if submission is None:
        return None
    open_version = submission.versions.filter(submitted_at__isnull=True).first()
    return open_version or submission.current_version


class SubmissionForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call for papers"),
        queryset=None,
        required=False,
        empty_label=_("No particular call"),
        help_text=_("The open call your paper answers, if any."),
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    abstract = forms.CharField(
        label=_("Abstract"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("A summary of the paper, as it will appear in the Knowledge Hub."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of paper"), choices=ResourceKind.choices, initial=ResourceKind.RESEARCH_PAPER
    )
    language = forms.ChoiceField(
        label=_("Language of the paper"), choices=ResourceLanguage.choices, initial="en"
    )
    sdgs = SdgChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Sdg.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The goals the paper addresses."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[(licence.value, licence.label) for licence in SUBMISSION_LICENCES],
        initial=Licence.CC_BY,
        help_text=_(
            "The terms under which the Knowledge Hub may publish the paper. Creative Commons "
            "Attribution lets anyone share it, citing you."
        ),
    )
    pdf = forms.FileField(
        label=_("The paper (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=PDF_HELP,
    )
    cover_note = forms.CharField(
        label=_("Cover note to the secretariat"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version_note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your answer to the revision request: the reviewers read it with the diff."),
    )

    def __init__(self, *args, user, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        calls = calls_open_to(user)
        if submission is not None and submission.call and submission.call not in calls:
            calls.append(submission.call)
        self.fields["call"].queryset = CallForPapers.objects.filter(
            pk__in=[call.pk for call in calls]
        ).order_by("closes_at", "pk")
        revising = (
            submission is not None and submission.state == SubmissionState.REVISIONS_REQUESTED
        )
        if revising:
            del self.fields["call"]  # the call is fixed once submitted
        else:
            del self.fields["version_note"]
        if not calls and "call" in self.fields:
            del self.fields["call"]
        # A draft may lack them, so they are not required by the form, but a submission needs
        # them: marked like required fields (see the note above the form).
        for name in ("title", "abstract", "pdf"):
            self.fields[name].needed_to_submit = True
            self.fields[name].widget.attrs["aria-required"] = "true"
        self.show_current_file(_version_with_file(submission))

    def show_current_file(self, version) -> None:
        """Say which file is kept, so nobody uploads it again after an error elsewhere."""
        if version is not None and version.pdf:
            help_text = format_html(
                "{} {}",
                _("Current file: %(name)s (%(size)s); upload another to replace it.")
                % {"name": version.original_name, "size": filesizeformat(version.file_size)},
                PDF_HELP,
            )
        else:
            help_text = PDF_HELP
        self.fields["pdf"].help_text = help_text
        # A bound field made while validating copied the old text.
        self["pdf"].help_text = help_text

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf:
            validate_pdf_upload(pdf)
        return pdf or None


class AuthorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=300,
        required=False,
        help_text=_("Organisation or university, as printed on the paper."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("affiliation") and not cleaned.get("name", "").strip():
            self.add_error("name", _("Give the author's name, or empty the affiliation."))
        return cleaned


class BaseAuthorFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Not "Position": beside "Affiliation" it read as a job title.
        form.fields["ORDER"].label = _("Place in the author list")
        form.fields["ORDER"].help_text = _("Change the numbers to reorder the authors.")
        form.fields["ORDER"].widget.attrs["min"] = 1
        if index == 0:
            form.fields["name"].needed_to_submit = True  # at least one author
            form.fields["name"].widget.attrs["aria-required"] = "true"

    def entries(self) -> list[SubmissionAuthorEntry]:
        """The named authors, in the order given (rows without a position keep their place)."""
        rows = [
            (form.cleaned_data.get("ORDER"), index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data.get("name", "").strip()
        ]
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0, row[1]))
        return [
            SubmissionAuthorEntry(name=data["name"], affiliation=data.get("affiliation", ""))
            for _order, _index, data in rows
        ]


def author_formset(data=None, *, submission=None, extra_rows: int = BLANK_AUTHOR_ROWS):
    """The authors' rows: the saved ones (with their positions) and some blank ones."""
    initial = []
    if submission is not None:
        initial = [
            {"name": author.name, "affiliation": author.affiliation, "ORDER": position}
            for position, author in enumerate(submission.authors.all(), start=1)
        ]
    if not initial and extra_rows < 1:
        extra_rows = 1
    formset_class = forms.formset_factory(
        AuthorForm,
        formset=BaseAuthorFormSet,
        extra=extra_rows,
        can_order=True,
        max_num=MAX_AUTHORS,
        absolute_max=MAX_AUTHORS,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="authors")


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["recommendation", "comments_to_author", "confidential_comments"]
        widgets = {
            "recommendation": forms.RadioSelect,
            "comments_to_author": forms.Textarea(attrs={"rows": 8}),
            "confidential_comments": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "comments_to_author": _("Sent to the author with the secretariat's decision."),
            "confidential_comments": _("Read by the secretariat only; never sent to the author."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = Recommendation.choices


DECISION_LABELS = {
    SubmissionState.UNDER_REVIEW: _("Start the review"),
    SubmissionState.REVISIONS_REQUESTED: _("Ask the author for revisions"),
    SubmissionState.ACCEPTED: _("Accept"),
    SubmissionState.REJECTED: _("Reject"),
    SubmissionState.PUBLISHED: _("Publish in the Knowledge Hub"),
}


class DecisionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent to the author with the reviewers' comments to the author (never their "
            "confidential comments). Required when asking for revisions."
        ),
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [
            (state, DECISION_LABELS[state]) for state in moves if state in DECISION_LABELS
        ]


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    due_on = forms.DateField(
        label=_("Review due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = [assignment.reviewer_id for assignment in submission.assignments.all()]
        self.fields["reviewer"].queryset = eligible_reviewers().exclude(
            pk__in=[submission.submitter_id, *assigned]
        )
        self.fields["reviewer"].label_from_instance = lambda user: (
            f"{user.name} <{user.email}>" if user.name else user.email
        )


class GrantReviewerForm(forms.Form):
    """The secretariat names an account, by its e-mail address, to make it a reviewer."""

    email = forms.EmailField(
        label=_("E-mail address of the account"),
        help_text=_("The address the person signs in with."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _(
                    "No account uses this address. Ask the person to create an account on the "
                    "portal, then add them here."
                )
            )
        self.user = user
        return email


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def add_service_errors(form, error: ValidationError, *, elsewhere: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it, in `elsewhere[key]` (a list) when the page shows it elsewhere, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        messages = [message for item in errors for message in item.messages]
        if field in form.fields:
            form.add_error(field, messages)
        elif elsewhere is not None and field in elsewhere:
            elsewhere[field].extend(messages)
        else:
            form.add_error(None, messages)
