import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionItemStatus, latest_possible_today
from actionplan.selectors import source_meeting_choices
from meetings.models import Meeting
from meetings.timing import meeting_day


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{meeting.title} ({meeting_day(meeting)})"


class ProgressUpdateForm(forms.Form):
    """What a lead organisation's focal point reports from the item's page."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When it happened or was reported."),
    )
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to keep the current estimate. A completed item is at 100%."),
    )
    source_meeting = MeetingChoiceField(
        label=_("Reported at meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not reported at a meeting"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_meeting"].queryset = source_meeting_choices(plan=plan)

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > latest_possible_today():
            raise forms.ValidationError(_("An update cannot be dated in the future."))
        return date


class PlanChangesForm(forms.Form):
    """The two meetings of the "what changed since" page, named by their addresses."""

    since = MeetingChoiceField(
        label=_("Since the meeting"), queryset=Meeting.objects.none(), to_field_name="slug"
    )
    until = MeetingChoiceField(
        label=_("Until the meeting"),
        queryset=Meeting.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Today"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Meetings around the plan's period: a year either side covers the meeting that
        # adopted it and the one that reviews it.
        meetings = (
            Meeting.objects.not_cancelled()
            .filter(start__year__gte=plan.period_start - 1, start__year__lte=plan.period_end + 1)
            .order_by("-start")
        )
        self.fields["since"].queryset = meetings
        self.fields["until"].queryset = meetings

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until.start <= since.start:
            raise forms.ValidationError(_("Choose a second meeting that comes after the first."))
        return cleaned
