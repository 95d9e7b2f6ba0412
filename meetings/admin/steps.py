"""The meeting cycle's steps on the meeting's own admin page: recording attendance for the
whole invitation list, and moving the minutes (circulate, approve, publish) with a confirmation
step. Each screen calls the service that makes the change; the service checks the actor."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.models import (
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from meetings.selectors import attendance_sheet_lines
from meetings.services import (
    AttendanceSheetRow,
    attendance_record_sheet,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
)
from members.models import Person
from untfsse.core.widgets import AutocompleteSelect

CAPACITY_CHOICES = [("", _("from the organisation")), *AttendanceCapacity.choices]
STATUS_CHOICES = [("", _("not recorded")), *AttendanceStatus.choices]
WALK_IN_LINES = 3


class AttendanceLineForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), widget=forms.HiddenInput)
    capacity = forms.ChoiceField(label=_("capacity"), choices=CAPACITY_CHOICES, required=False)
    status = forms.ChoiceField(label=_("status"), choices=STATUS_CHOICES, required=False)


class WalkInForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("person"), queryset=Person.objects.all(), required=False
    )
    capacity = forms.ChoiceField(label=_("capacity"), choices=CAPACITY_CHOICES, required=False)
    status = forms.ChoiceField(
        label=_("status"), choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.widget = AutocompleteSelect(Attendance._meta.get_field("person"), admin_site)
        person.widget.choices = person.choices


AttendanceLineFormSet = formset_factory(AttendanceLineForm, extra=0)
WalkInFormSet = formset_factory(WalkInForm, extra=WALK_IN_LINES)


class ApprovalForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        label=_("approved at"),
        queryset=Meeting.objects.none(),
        help_text=_("A later meeting that has taken place."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = (
            Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
            .filter(start__gt=meeting.start, start__lte=timezone.now())
            .order_by("start")
        )


# What each button does: its service, its title, its confirmation text and its done message.
MINUTES_STEPS = {
    "circulate": {
        "from_status": MinutesStatus.DRAFT,
        "label": _("Circulate the minutes"),
        "question": _(
            "Circulate the draft minutes? Members and observers see them on the meeting page, "
            "and every focal point of a current member or observer organisation gets an e-mail "
            "in their language."
        ),
        "done": _("The minutes were circulated to members and observers."),
    },
    "approve": {
        "from_status": MinutesStatus.CIRCULATED,
        "label": _("Approve the minutes"),
        "question": _(
            "Approve the minutes at the meeting chosen below? Their text is then frozen: it can "
            "no longer be changed."
        ),
        "done": _("The minutes were approved; their text is frozen."),
    },
    "publish": {
        "from_status": MinutesStatus.APPROVED,
        "label": _("Make the minutes public"),
        "question": _("Make the approved minutes public? Everyone can then read them."),
        "done": _("The minutes are public."),
    },
}


def meeting_steps(meeting: Meeting) -> dict:
    """What the meeting's change page offers next: the minutes' status and next step, and
    whether attendance can be recorded."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    next_step = None
    if minutes is not None:
        next_step = next(
            (key for key, step in MINUTES_STEPS.items() if step["from_status"] == minutes.status),
            None,
        )
    return {
        "minutes": minutes,
        "minutes_next": next_step,
        "minutes_next_label": MINUTES_STEPS[next_step]["label"] if next_step else "",
        "attendance_open": not meeting.is_cancelled and meeting.has_started(),
        "cancelled": meeting.is_cancelled,
    }


class MeetingStepsMixin:
    """For MeetingAdmin: the steps' addresses, screens and the change page's panel."""

    change_form_template = "admin/meetings/meeting/desk_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/attendance/",
                wrap(self.attendance_sheet_view),
                name="{}_{}_attendance".format(*info),
            ),
            path(
                "<path:object_id>/minutes/<slug:step>/",
                wrap(self.minutes_step_view),
                name="{}_{}_minutes_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if meeting is not None:
            extra["meeting_steps"] = meeting_steps(meeting)
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _meeting_to_change(self, request, object_id) -> Meeting:
        meeting = self.get_object(request, object_id)
        if meeting is None:
            raise Http404(_("No such meeting."))
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def _change_url(self, meeting) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[meeting.pk]
        )

    def _screen(self, request, meeting, template, context, status=200):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": meeting,
                "meeting": meeting,
                "change_url": self._change_url(meeting),
                **context,
            },
            status=status,
        )

    # --- attendance ---------------------------------------------------------------------------
    def attendance_sheet_view(self, request, object_id):
        meeting = self._meeting_to_change(request, object_id)
        lines = attendance_sheet_lines(meeting)
        initial = [
            {"person": line.person.pk, "capacity": line.capacity, "status": line.status}
            for line in lines
        ]
        data = request.POST if request.method == "POST" else None
        sheet = AttendanceLineFormSet(data, initial=initial, prefix="line")
        walk_ins = WalkInFormSet(data, prefix="walkin", form_kwargs={"admin_site": self.admin_site})
        errors = []
        if data is not None and sheet.is_valid() and walk_ins.is_valid():
            invited = {line.person.pk for line in lines}
            rows = [
                AttendanceSheetRow(
                    person=form.cleaned_data["person"],
                    capacity=form.cleaned_data["capacity"],
                    status=form.cleaned_data["status"],
                )
                for form in sheet
                if form.cleaned_data["person"].pk in invited
            ]
            rows += [
                AttendanceSheetRow(
                    person=form.cleaned_data["person"],
                    capacity=form.cleaned_data["capacity"],
                    status=form.cleaned_data["status"],
                )
                for form in walk_ins
                if form.cleaned_data.get("person") is not None
            ]
            try:
                done = attendance_record_sheet(meeting=meeting, rows=rows, by=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance recorded for %(count)d person.",
                        "Attendance recorded for %(count)d people.",
                        done["recorded"],
                    )
                    % {"count": done["recorded"]},
                )
                return HttpResponseRedirect(self._change_url(meeting))
        elif data is not None:
            errors = [_("Please correct the errors below.")]
        if len(sheet.forms) != len(lines):
            # The list changed since the screen was opened (or the form was tampered with):
            # show the list as it is now.
            sheet = AttendanceLineFormSet(initial=initial, prefix="line")
        media = self.media + walk_ins.media
        return self._screen(
            request,
            meeting,
            "admin/meetings/meeting/attendance_sheet.html",
            {
                "title": _("Attendance: %(meeting)s") % {"meeting": meeting},
                "lines": list(zip(lines, sheet.forms, strict=True)),
                "sheet": sheet,
                "walk_ins": walk_ins,
                "errors": errors,
                "media": media,
            },
            status=400 if errors else 200,
        )

    # --- minutes ------------------------------------------------------------------------------
    def minutes_step_view(self, request, object_id, step):
        meeting = self._meeting_to_change(request, object_id)
        if step not in MINUTES_STEPS:
            raise Http404(_("No such step."))
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            messages.error(request, _("This meeting has no minutes yet."))
            return HttpResponseRedirect(self._change_url(meeting))
        definition = MINUTES_STEPS[step]
        approval = None
        if step == "approve":
            approval = ApprovalForm(
                request.POST if request.method == "POST" else None,
                meeting=meeting,
                initial={"at_meeting": minutes.approved_at_meeting_id},
            )
        errors = []
        if request.method == "POST" and (approval is None or approval.is_valid()):
            try:
                if step == "circulate":
                    minutes_circulate(minutes=minutes, by=request.user)
                elif step == "approve":
                    minutes_approve(
                        minutes=minutes,
                        by=request.user,
                        at_meeting=approval.cleaned_data["at_meeting"],
                    )
                else:
                    minutes_publish(minutes=minutes, by=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, definition["done"])
                return HttpResponseRedirect(self._change_url(meeting))
        elif request.method == "POST":
            errors = [_("Please correct the errors below.")]
        return self._screen(
            request,
            meeting,
            "admin/meetings/meeting/minutes_step.html",
            {
                "title": definition["label"],
                "step": step,
                "question": definition["question"],
                "minutes": minutes,
                "approval": approval,
                "errors": errors,
                "wrong_status": minutes.status != definition["from_status"],
            },
            status=400 if errors else 200,
        )
